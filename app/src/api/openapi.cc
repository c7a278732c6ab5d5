#include "openapi.h"

#include <string>

#include "app/http/response.h"

namespace caseledger::app::api {

http::Handler OpenApiHandler() {
  return [](http::RequestContext /*ctx*/, http::Responder respond) {
    respond(http::TextResponse(200, std::string(OpenApiDocument()),
                               std::string(http::kJsonContentType)));
  };
}

}  // namespace caseledger::app::api
