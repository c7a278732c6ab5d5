// Base64 (RFC 4648 section 4, standard alphabet, padded), for document bytes in JSON bodies.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace caseledger::app::api {

// nullopt unless `text` is canonical padded base64 without whitespace.
std::optional<std::string> DecodeBase64(std::string_view text);
std::string EncodeBase64(std::string_view bytes);

}  // namespace caseledger::app::api
