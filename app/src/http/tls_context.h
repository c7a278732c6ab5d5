// Private: the server's TLS configuration (TLS 1.2 and 1.3 only, forward-secret AEAD ciphers).
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>

#include "app/http/server.h"
#include "ledger/result.h"

namespace caseledger::app::http::internal {

// Errors: kInvalidArgument field "tls.cert_chain_file" or "tls.private_key_file" when a file
// cannot be read or the key does not match the certificate.
ledger::Result<std::unique_ptr<boost::asio::ssl::context>> MakeTlsContext(
    const TlsOptions& options);

}  // namespace caseledger::app::http::internal
