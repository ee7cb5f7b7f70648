#pragma once
// Money: an exact amount of one currency, held as a signed 64-bit count of minor units (cents).
//
// There is no way to build Money from a floating-point number. Arithmetic between two amounts
// requires the same currency; mixing currencies is a bug in the caller and stops the program
// (QUITT_CHECK), because silently adding euros to francs is worse. Overflow is checked the same
// way: ±92 quadrillion euros is far beyond any claim.
//
// Anything that can create a fraction of a minor unit (interest, percentages, shares) goes through
// RoundQuotient, the one rounding function, which names its mode. Splitting an amount into parts
// (instalments, allocation by weight) uses Allocate, which always sums back to the whole.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "domain/currency.h"

namespace quitt::domain {

enum class RoundingMode {
  kHalfUp,    // commercial rounding: halves away from zero (German "kaufmännisch")
  kHalfEven,  // banker's rounding: halves to the even neighbour
  kDown,      // toward zero (truncate); used where the law forbids rounding up in our favour
  kUp,        // away from zero
};

// numerator / denominator rounded to an integer by `mode`. denominator must not be zero.
// The single place where quitt rounds; every fraction of a minor unit passes through here.
std::int64_t RoundQuotient(__int128 numerator, __int128 denominator, RoundingMode mode);

class Money {
 public:
  static Money FromMinorUnits(std::int64_t minor_units, Currency currency) {
    return Money(minor_units, currency);
  }
  static Money Zero(Currency currency) { return Money(0, currency); }

  // "1234.56", "-0.5", "1234" (point as decimal separator, no grouping). More decimals than the
  // currency has are an error, never rounded away.
  static Result<Money> Parse(std::string_view text, Currency currency);
  // "1.234,56", "1234,56", "-12,5" (German style: comma decimal, optional dot grouping in
  // groups of three).
  static Result<Money> ParseGerman(std::string_view text, Currency currency);

  std::int64_t minor_units() const { return minor_units_; }
  Currency currency() const { return currency_; }
  bool is_zero() const { return minor_units_ == 0; }
  bool is_negative() const { return minor_units_ < 0; }
  bool is_positive() const { return minor_units_ > 0; }

  // "1234.56" (exactly `exponent` decimals, no grouping): the wire format of the API.
  std::string ToDecimalString() const;
  // "1.234,56" as printed in German letters.
  std::string ToGermanString() const;
  // "1,234.56" as printed in English letters.
  std::string ToEnglishString() const;

  Money operator-() const;
  Money operator+(const Money& other) const;
  Money operator-(const Money& other) const;
  Money& operator+=(const Money& other);
  Money& operator-=(const Money& other);
  // Multiplying by an integer count (e.g. 3 instalments of x) cannot create fractions.
  Money Times(std::int64_t factor) const;
  // this × numerator / denominator, rounded once by `mode` (e.g. a 20 % expense: 20/100).
  Money MultiplyRatio(std::int64_t numerator, std::int64_t denominator, RoundingMode mode) const;

  // Splits this amount in proportion to `weights` (non-negative, not all zero). The parts sum
  // exactly to this amount; leftover minor units go to the largest remainders, ties to the
  // earlier part (deterministic).
  std::vector<Money> Allocate(const std::vector<std::int64_t>& weights) const;
  // Splits into `parts` (> 0) parts as equal as possible; the earlier parts take the extra cents.
  std::vector<Money> SplitEvenly(int parts) const;

  friend bool operator==(const Money& a, const Money& b) {
    return a.currency_ == b.currency_ && a.minor_units_ == b.minor_units_;
  }
  // Ordering is only defined within one currency (checked).
  friend bool operator<(const Money& a, const Money& b);
  friend bool operator<=(const Money& a, const Money& b) { return !(b < a); }
  friend bool operator>(const Money& a, const Money& b) { return b < a; }
  friend bool operator>=(const Money& a, const Money& b) { return !(a < b); }

 private:
  Money(std::int64_t minor_units, Currency currency)
      : minor_units_(minor_units), currency_(currency) {}

  std::int64_t minor_units_;
  Currency currency_;
};

Money Min(const Money& a, const Money& b);
Money Max(const Money& a, const Money& b);

}  // namespace quitt::domain
