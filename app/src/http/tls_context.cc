#include "http/tls_context.h"

#include <openssl/ssl.h>

namespace caseledger::app::http::internal {

namespace ssl = boost::asio::ssl;

namespace {

// Mozilla "intermediate" TLS 1.2 suites; TLS 1.3 suites are OpenSSL's defaults.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

}  // namespace

ledger::Result<std::unique_ptr<ssl::context>> MakeTlsContext(const TlsOptions& options) {
  auto context = std::make_unique<ssl::context>(ssl::context::tls_server);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                       ssl::context::single_dh_use);
  SSL_CTX* native = context->native_handle();
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1) {
    return ledger::MakeError(ledger::Code::kInternal, "OpenSSL rejected the TLS settings");
  }
  SSL_CTX_set_options(native, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION);

  boost::system::error_code ec;
  context->use_certificate_chain_file(options.cert_chain_file, ec);
  if (ec) {
    return ledger::InvalidField("tls.cert_chain_file", "must be a readable PEM certificate chain");
  }
  context->use_private_key_file(options.private_key_file, ssl::context::pem, ec);
  if (ec || SSL_CTX_check_private_key(native) != 1) {
    return ledger::InvalidField("tls.private_key_file",
                                "must be a readable PEM private key matching the certificate");
  }
  return context;
}

}  // namespace caseledger::app::http::internal
