#pragma once
// Currency: an ISO 4217 alphabetic code with the number of minor-unit digits the standard gives
// it (EUR 2, JPY 0, KWD 3). The exponent always comes from the table in currency.cc, never from
// input text. Trivially copyable; compare by code.
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace quitt::domain {

class Currency {
 public:
  // "EUR", "eur" → EUR. NotFound-style InvalidArgument when the code is not an active ISO 4217
  // currency.
  static Result<Currency> FromCode(std::string_view code);
  static constexpr Currency Eur() { return Currency("EUR", 2); }

  std::string_view code() const { return std::string_view(code_, 3); }
  int exponent() const { return exponent_; }
  // 10^exponent: how many minor units make one major unit.
  std::int64_t minor_per_major() const;

  friend bool operator==(const Currency& a, const Currency& b) { return a.code() == b.code(); }

 private:
  constexpr Currency(const char* code, int exponent)
      : code_{code[0], code[1], code[2]}, exponent_(exponent) {}
  char code_[3];
  int exponent_;
};

}  // namespace quitt::domain
