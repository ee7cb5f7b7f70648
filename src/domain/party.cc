#include "domain/party.h"

#include "common/text.h"

namespace quitt::domain {

const char* CustomerKindName(CustomerKind kind) {
  return kind == CustomerKind::kConsumer ? "consumer" : "business";
}

std::optional<CustomerKind> ParseCustomerKind(std::string_view text) {
  std::string word = ToLowerAscii(Trim(text));
  if (word == "consumer" || word == "b2c" || word == "private" || word == "verbraucher" ||
      word == "privat" || word == "privatperson" || word == "person") {
    return CustomerKind::kConsumer;
  }
  if (word == "business" || word == "b2b" || word == "company" || word == "unternehmen" ||
      word == "firma" || word == "gewerbe" || word == "unternehmer") {
    return CustomerKind::kBusiness;
  }
  return std::nullopt;
}

}  // namespace quitt::domain
