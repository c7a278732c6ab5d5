#include "http/self_signed_cert.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

namespace caseledger::app::http::testing {

namespace {

struct Deleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
  void operator()(X509* cert) const { X509_free(cert); }
  void operator()(X509_EXTENSION* ext) const { X509_EXTENSION_free(ext); }
  void operator()(FILE* file) const { std::fclose(file); }
};

template <class T>
using Owned = std::unique_ptr<T, Deleter>;

bool AddExtension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  Owned<X509_EXTENSION> ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

}  // namespace

CertificateFiles MakeSelfSignedCertificate() {
  CertificateFiles files;
  char pattern[] = "/tmp/caseledger-tls-XXXXXX";
  if (mkdtemp(pattern) == nullptr) {
    files.error = "mkdtemp failed";
    return files;
  }
  files.directory = pattern;
  files.cert_file = files.directory + "/cert.pem";
  files.key_file = files.directory + "/key.pem";

  Owned<EVP_PKEY> key(EVP_EC_gen("P-256"));
  Owned<X509> cert(X509_new());
  if (!key || !cert) {
    files.error = "key generation failed";
    return files;
  }
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  if (!AddExtension(cert.get(), NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1") ||
      !AddExtension(cert.get(), NID_basic_constraints, "critical,CA:TRUE") ||
      X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) {
    files.error = "certificate signing failed";
    return files;
  }
  Owned<FILE> cert_out(std::fopen(files.cert_file.c_str(), "w"));
  Owned<FILE> key_out(std::fopen(files.key_file.c_str(), "w"));
  if (!cert_out || !key_out || PEM_write_X509(cert_out.get(), cert.get()) != 1 ||
      PEM_write_PrivateKey(key_out.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    files.error = "writing PEM files failed";
  }
  return files;
}

}  // namespace caseledger::app::http::testing
