#include "app/http/method.h"

namespace caseledger::app::http {

std::string_view MethodName(Method method) {
  switch (method) {
    case Method::kGet:
      return "GET";
    case Method::kHead:
      return "HEAD";
    case Method::kPost:
      return "POST";
    case Method::kPut:
      return "PUT";
    case Method::kPatch:
      return "PATCH";
    case Method::kDelete:
      return "DELETE";
    case Method::kOptions:
      return "OPTIONS";
    case Method::kOther:
      return "OTHER";
  }
  return "OTHER";
}

Method ParseMethod(std::string_view token) {
  if (token == "GET") return Method::kGet;
  if (token == "POST") return Method::kPost;
  if (token == "PUT") return Method::kPut;
  if (token == "PATCH") return Method::kPatch;
  if (token == "DELETE") return Method::kDelete;
  if (token == "HEAD") return Method::kHead;
  if (token == "OPTIONS") return Method::kOptions;
  return Method::kOther;
}

}  // namespace caseledger::app::http
