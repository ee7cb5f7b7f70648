#pragma once
// Iban: an International Bank Account Number checked by ISO 13616: known country, the country's
// length and BBAN structure (SWIFT IBAN registry), and MOD 97-10 check digits in 02..98.
// For Spain the national check digits are verified too. Input may carry spaces, dashes or dots
// and lower-case letters (normalised to the electronic, upper-case form).
#include <string>
#include <string_view>

#include "common/status.h"

namespace quitt::domain {

class Iban {
 public:
  static Result<Iban> Parse(std::string_view text);

  // "DE89370400440532013000"
  const std::string& electronic() const { return value_; }
  // "DE89 3704 0044 0532 0130 00"
  std::string Printed() const;
  std::string_view country() const { return std::string_view(value_).substr(0, 2); }

  friend bool operator==(const Iban&, const Iban&) = default;

 private:
  explicit Iban(std::string value) : value_(std::move(value)) {}
  std::string value_;
};

// ISO 7064 MOD 97-10 remainder of an alphanumeric string (letters count A=10 ... Z=35).
// Returns -1 for characters outside 0-9/A-Z.
int Mod97(std::string_view alphanumeric);

}  // namespace quitt::domain
