#include "domain/creditor_reference.h"

#include "common/text.h"
#include "domain/iban.h"

namespace quitt::domain {
namespace {

Result<std::string> Compact(std::string_view text) {
  std::string out;
  for (char c : Trim(text)) {
    if (c == ' ') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))) {
      return InvalidArgument("creditor reference '" + std::string(text) +
                             "' contains a character other than letters and digits");
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace

Result<CreditorReference> CreditorReference::Parse(std::string_view text) {
  QUITT_ASSIGN_OR_RETURN(std::string compact, Compact(text));
  auto bad = [&](const std::string& why) {
    return InvalidArgument("creditor reference '" + std::string(text) + "' is invalid: " + why);
  };
  if (compact.size() < 5 || compact.size() > 25) return bad("it must have 5 to 25 characters");
  if (compact.substr(0, 2) != "RF") return bad("it must start with RF");
  if (!(compact[2] >= '0' && compact[2] <= '9' && compact[3] >= '0' && compact[3] <= '9')) {
    return bad("the check digits must be digits");
  }
  const int check = (compact[2] - '0') * 10 + (compact[3] - '0');
  if (check < 2 || check > 98 || Mod97(compact.substr(4) + compact.substr(0, 4)) != 1) {
    return bad("check digits do not match");
  }
  return CreditorReference(std::move(compact));
}

Result<CreditorReference> CreditorReference::Create(std::string_view reference) {
  QUITT_ASSIGN_OR_RETURN(std::string compact, Compact(reference));
  if (compact.empty() || compact.size() > 21) {
    return InvalidArgument("a creditor reference holds 1 to 21 letters or digits, not '" +
                           std::string(reference) + "'");
  }
  const int check = 98 - Mod97(compact + "RF00");
  std::string value = "RF";
  value.push_back(static_cast<char>('0' + check / 10));
  value.push_back(static_cast<char>('0' + check % 10));
  return CreditorReference(value + compact);
}

std::string CreditorReference::Printed() const {
  std::string out;
  for (std::size_t i = 0; i < value_.size(); ++i) {
    if (i > 0 && i % 4 == 0) out.push_back(' ');
    out.push_back(value_[i]);
  }
  return out;
}

}  // namespace quitt::domain
