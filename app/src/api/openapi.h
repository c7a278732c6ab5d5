// The API's OpenAPI 3 document: docs/openapi.json, embedded in the binary byte for byte at build
// time (cmake/embed_file.cmake) and served at GET /api/v1/openapi.json. tests/api checks that it
// lists exactly the routes the server registers.
//
// Thread safety: constant data.
#pragma once

#include <string_view>

#include "app/http/handler.h"

namespace caseledger::app::api {

// The bytes of docs/openapi.json as it was when the binary was built.
std::string_view OpenApiDocument();

// 200 with OpenApiDocument(), Content-Type application/json.
http::Handler OpenApiHandler();

}  // namespace caseledger::app::api
