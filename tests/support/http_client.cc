#include "support/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json/parse.hpp>
#include <optional>

namespace caseledger::app::http::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using boost::system::error_code;

std::string ClientResponse::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (beast::iequals(key, name)) return value;
  }
  return "";
}

boost::json::value ClientResponse::Json() const {
  error_code ec;
  boost::json::value value = boost::json::parse(body, ec);
  return ec ? boost::json::value() : value;
}

struct TestClient::Impl {
  Impl(std::uint16_t port_in, ClientOptions options_in)
      : port(port_in),
        options(std::move(options_in)),
        tls_context(asio::ssl::context::tls_client) {}

  beast::tcp_stream& Tcp() { return tls ? beast::get_lowest_layer(*tls) : *plain; }

  // Runs the io_context until the started operation completes (Beast's timer bounds it).
  void RunOnce() {
    io.restart();
    io.run();
  }

  template <class Op>
  error_code Await(Op&& start) {
    error_code result = asio::error::would_block;
    Tcp().expires_after(options.timeout);
    start([&result](error_code ec, auto&&...) { result = ec; });
    RunOnce();
    return result;
  }

  std::uint16_t port;
  ClientOptions options;
  asio::io_context io;
  asio::ssl::context tls_context;
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls;
  beast::flat_buffer buffer;
  bool connected = false;
  std::string error;
};

TestClient::TestClient(std::uint16_t port, ClientOptions options)
    : impl_(std::make_unique<Impl>(port, std::move(options))) {}

TestClient::~TestClient() = default;

const std::string& TestClient::error() const { return impl_->error; }

bool TestClient::Connect() {
  Impl& s = *impl_;
  if (s.connected) return true;
  asio::ip::tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), s.port);
  if (s.options.tls) {
    if (!s.options.ca_file.empty()) {
      s.tls_context.load_verify_file(s.options.ca_file);
      s.tls_context.set_verify_mode(asio::ssl::verify_peer);
    } else {
      s.tls_context.set_verify_mode(asio::ssl::verify_none);
    }
    if (s.options.tls_max_1_1) {
      SSL_CTX_set_security_level(s.tls_context.native_handle(), 0);
      SSL_CTX_set_max_proto_version(s.tls_context.native_handle(), TLS1_1_VERSION);
    }
    s.tls.emplace(s.io, s.tls_context);
    SSL_set_tlsext_host_name(s.tls->native_handle(), "localhost");
  } else {
    s.plain.emplace(s.io);
  }
  error_code ec = s.Await([&](auto handler) { s.Tcp().async_connect(endpoint, handler); });
  if (!ec && s.tls) {
    ec = s.Await(
        [&](auto handler) { s.tls->async_handshake(asio::ssl::stream_base::client, handler); });
  }
  if (ec) {
    s.error = "connect: " + ec.message();
    return false;
  }
  s.connected = true;
  return true;
}

bool TestClient::WriteRaw(std::string_view bytes) {
  Impl& s = *impl_;
  if (!Connect()) return false;
  error_code ec = s.Await([&](auto handler) {
    if (s.tls) {
      asio::async_write(*s.tls, asio::buffer(bytes), handler);
    } else {
      asio::async_write(*s.plain, asio::buffer(bytes), handler);
    }
  });
  if (ec) s.error = "write: " + ec.message();
  return !ec;
}

ClientResponse TestClient::ReadResponse() {
  Impl& s = *impl_;
  ClientResponse out;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 << 20);
  error_code ec = s.Await([&](auto handler) {
    if (s.tls) {
      bhttp::async_read(*s.tls, s.buffer, parser, handler);
    } else {
      bhttp::async_read(*s.plain, s.buffer, parser, handler);
    }
  });
  if (ec) {
    out.error = "read: " + ec.message();
    s.connected = false;
    return out;
  }
  auto message = parser.release();
  out.status = static_cast<int>(message.result_int());
  out.body = std::move(message.body());
  out.keep_alive = message.keep_alive();
  for (const auto& field : message) {
    out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  return out;
}

ClientResponse TestClient::Send(const ClientRequest& request) {
  Impl& s = *impl_;
  ClientResponse out;
  if (!Connect()) {
    out.error = s.error;
    return out;
  }
  bhttp::request<bhttp::string_body> message{bhttp::string_to_verb(request.method), request.target,
                                             11};
  if (message.method() == bhttp::verb::unknown) message.method_string(request.method);
  message.set(bhttp::field::host, "localhost");
  for (const auto& [name, value] : request.headers) message.set(name, value);
  message.body() = request.body;
  message.keep_alive(request.keep_alive);
  message.prepare_payload();
  error_code ec = s.Await([&](auto handler) {
    if (s.tls) {
      bhttp::async_write(*s.tls, message, handler);
    } else {
      bhttp::async_write(*s.plain, message, handler);
    }
  });
  if (ec) {
    out.error = "write: " + ec.message();
    s.connected = false;
    return out;
  }
  return ReadResponse();
}

bool TestClient::ReadUntilClosed(std::string* received) {
  Impl& s = *impl_;
  if (received != nullptr) {
    received->assign(static_cast<const char*>(s.buffer.data().data()), s.buffer.size());
  }
  while (true) {
    char chunk[4096];
    std::size_t got = 0;
    error_code ec = s.Await([&](auto handler) {
      auto done = [&got, handler](error_code e, std::size_t n) mutable {
        got = n;
        handler(e);
      };
      if (s.tls) {
        s.tls->async_read_some(asio::buffer(chunk), done);
      } else {
        s.plain->async_read_some(asio::buffer(chunk), done);
      }
    });
    if (received != nullptr) received->append(chunk, got);
    if (ec == beast::error::timeout) {
      s.error = "server did not close the connection";
      return false;
    }
    if (ec) {
      s.connected = false;
      return true;  // EOF, reset or TLS close: the server closed
    }
  }
}

ClientResponse Fetch(std::uint16_t port, const ClientRequest& request, ClientOptions options) {
  TestClient client(port, std::move(options));
  return client.Send(request);
}

}  // namespace caseledger::app::http::testing
