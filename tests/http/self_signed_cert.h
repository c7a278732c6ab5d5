// Makes a throw-away self-signed certificate (EC P-256, CN=localhost, SAN localhost and
// 127.0.0.1) at test run time, written as PEM files in a fresh temporary directory.
#pragma once

#include <string>

namespace caseledger::app::http::testing {

struct CertificateFiles {
  std::string directory{};
  std::string cert_file{};  // PEM certificate; also usable as the client's trust anchor
  std::string key_file{};   // PEM private key
  std::string error{};      // non-empty on failure
};

CertificateFiles MakeSelfSignedCertificate();

}  // namespace caseledger::app::http::testing
