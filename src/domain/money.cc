#include "domain/money.h"

#include <algorithm>
#include <numeric>

#include "common/check.h"
#include "common/text.h"

namespace quitt::domain {

std::int64_t RoundQuotient(__int128 numerator, __int128 denominator, RoundingMode mode) {
  QUITT_CHECK(denominator != 0);
  if (denominator < 0) {
    numerator = -numerator;
    denominator = -denominator;
  }
  __int128 quotient = numerator / denominator;   // truncates toward zero
  __int128 remainder = numerator % denominator;  // same sign as numerator
  if (remainder != 0) {
    const bool negative = numerator < 0;
    const __int128 twice = (remainder < 0 ? -remainder : remainder) * 2;
    bool away = false;
    switch (mode) {
      case RoundingMode::kDown: away = false; break;
      case RoundingMode::kUp: away = true; break;
      case RoundingMode::kHalfUp: away = twice >= denominator; break;
      case RoundingMode::kHalfEven:
        away = twice > denominator || (twice == denominator && (quotient % 2 != 0));
        break;
    }
    if (away) quotient += negative ? -1 : 1;
  }
  QUITT_CHECK(quotient <= INT64_MAX && quotient >= INT64_MIN);
  return static_cast<std::int64_t>(quotient);
}

namespace {

// Parses an unsigned decimal of digits with at most one `decimal_separator`; grouping characters
// are removed by the caller. Returns minor units.
Result<std::int64_t> ParseDigits(std::string_view original, std::string_view text,
                                 char decimal_separator, const Currency& currency) {
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  auto bad = [&](const std::string& why) {
    return InvalidArgument("'" + std::string(original) + "' is not an amount: " + why);
  };
  if (text.empty()) return bad("no digits");
  std::string_view whole = text;
  std::string_view fraction;
  auto sep = text.find(decimal_separator);
  if (sep != std::string_view::npos) {
    whole = text.substr(0, sep);
    fraction = text.substr(sep + 1);
    if (fraction.empty()) return bad("no digits after the decimal separator");
  }
  if (whole.empty()) return bad("no digits before the decimal separator");
  if (static_cast<int>(fraction.size()) > currency.exponent()) {
    return bad("more than " + std::to_string(currency.exponent()) + " decimals for " +
               std::string(currency.code()));
  }
  __int128 value = 0;
  for (char c : whole) {
    if (c < '0' || c > '9') return bad(std::string("unexpected character '") + c + "'");
    value = value * 10 + (c - '0');
    if (value > INT64_MAX) return bad("too large");
  }
  int decimals = 0;
  for (char c : fraction) {
    if (c < '0' || c > '9') return bad(std::string("unexpected character '") + c + "'");
    value = value * 10 + (c - '0');
    ++decimals;
  }
  for (; decimals < currency.exponent(); ++decimals) value *= 10;
  if (value > INT64_MAX) return bad("too large");
  return static_cast<std::int64_t>(negative ? -value : value);
}

std::string FormatWith(std::int64_t minor_units, const Currency& currency, char decimal,
                       char grouping) {
  const bool negative = minor_units < 0;
  // Work in unsigned to format INT64_MIN too.
  unsigned long long magnitude = negative ? 0ULL - static_cast<unsigned long long>(minor_units)
                                          : static_cast<unsigned long long>(minor_units);
  const auto factor = static_cast<unsigned long long>(currency.minor_per_major());
  std::string whole = std::to_string(magnitude / factor);
  std::string out;
  if (negative) out.push_back('-');
  if (grouping != 0) {
    const std::size_t first = whole.size() % 3 == 0 ? 3 : whole.size() % 3;
    out.append(whole, 0, first);
    for (std::size_t i = first; i < whole.size(); i += 3) {
      out.push_back(grouping);
      out.append(whole, i, 3);
    }
  } else {
    out += whole;
  }
  if (currency.exponent() > 0) {
    std::string fraction = std::to_string(magnitude % factor);
    out.push_back(decimal);
    out.append(static_cast<std::size_t>(currency.exponent()) - fraction.size(), '0');
    out += fraction;
  }
  return out;
}

std::int64_t CheckedAdd(std::int64_t a, std::int64_t b) {
  std::int64_t sum;
  QUITT_CHECK(!__builtin_add_overflow(a, b, &sum));
  return sum;
}

}  // namespace

Result<Money> Money::Parse(std::string_view text, Currency currency) {
  std::string_view trimmed = Trim(text);
  auto minor = ParseDigits(text, trimmed, '.', currency);
  if (!minor) return minor.error();
  return Money(*minor, currency);
}

Result<Money> Money::ParseGerman(std::string_view text, Currency currency) {
  std::string_view trimmed = Trim(text);
  // Dots group thousands: accept them only in groups of three before the comma.
  std::string cleaned;
  auto comma = trimmed.find(',');
  std::string_view whole = trimmed.substr(0, comma);
  if (whole.find('.') != std::string_view::npos) {
    auto groups = Split(whole, '.');
    for (std::size_t i = 1; i < groups.size(); ++i) {
      if (groups[i].size() != 3) {
        return InvalidArgument("'" + std::string(text) +
                               "' is not an amount: dots must group thousands (1.234,56)");
      }
    }
    for (auto g : groups) cleaned += g;
  } else {
    cleaned = whole;
  }
  if (comma != std::string_view::npos) cleaned += trimmed.substr(comma);
  auto minor = ParseDigits(text, cleaned, ',', currency);
  if (!minor) return minor.error();
  return Money(*minor, currency);
}

std::string Money::ToDecimalString() const { return FormatWith(minor_units_, currency_, '.', 0); }
std::string Money::ToGermanString() const { return FormatWith(minor_units_, currency_, ',', '.'); }
std::string Money::ToEnglishString() const { return FormatWith(minor_units_, currency_, '.', ','); }

Money Money::operator-() const {
  QUITT_CHECK(minor_units_ != INT64_MIN);
  return Money(-minor_units_, currency_);
}

Money Money::operator+(const Money& other) const {
  QUITT_CHECK(currency_ == other.currency_);
  return Money(CheckedAdd(minor_units_, other.minor_units_), currency_);
}

Money Money::operator-(const Money& other) const {
  QUITT_CHECK(currency_ == other.currency_);
  std::int64_t difference;
  QUITT_CHECK(!__builtin_sub_overflow(minor_units_, other.minor_units_, &difference));
  return Money(difference, currency_);
}

Money& Money::operator+=(const Money& other) { return *this = *this + other; }
Money& Money::operator-=(const Money& other) { return *this = *this - other; }

Money Money::Times(std::int64_t factor) const {
  std::int64_t product;
  QUITT_CHECK(!__builtin_mul_overflow(minor_units_, factor, &product));
  return Money(product, currency_);
}

Money Money::MultiplyRatio(std::int64_t numerator, std::int64_t denominator,
                           RoundingMode mode) const {
  return Money(RoundQuotient(static_cast<__int128>(minor_units_) * numerator, denominator, mode),
               currency_);
}

std::vector<Money> Money::Allocate(const std::vector<std::int64_t>& weights) const {
  QUITT_CHECK(!weights.empty());
  __int128 total_weight = 0;
  for (auto w : weights) {
    QUITT_CHECK(w >= 0);
    total_weight += w;
  }
  QUITT_CHECK(total_weight > 0);
  std::vector<Money> parts;
  parts.reserve(weights.size());
  std::vector<__int128> remainders(weights.size());
  std::int64_t assigned = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const __int128 product = static_cast<__int128>(minor_units_) * weights[i];
    const auto share = static_cast<std::int64_t>(product / total_weight);  // toward zero
    remainders[i] = product % total_weight;
    if (remainders[i] < 0) remainders[i] = -remainders[i];
    parts.push_back(Money(share, currency_));
    assigned += share;
  }
  std::int64_t left = minor_units_ - assigned;  // |left| < number of parts
  const std::int64_t step = left >= 0 ? 1 : -1;
  std::vector<std::size_t> order(weights.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return remainders[a] > remainders[b]; });
  for (std::size_t k = 0; left != 0; k = (k + 1) % order.size()) {
    if (weights[order[k]] == 0) continue;
    parts[order[k]].minor_units_ += step;
    left -= step;
  }
  return parts;
}

std::vector<Money> Money::SplitEvenly(int parts) const {
  QUITT_CHECK(parts > 0);
  return Allocate(std::vector<std::int64_t>(static_cast<std::size_t>(parts), 1));
}

bool operator<(const Money& a, const Money& b) {
  QUITT_CHECK(a.currency_ == b.currency_);
  return a.minor_units_ < b.minor_units_;
}

Money Min(const Money& a, const Money& b) { return b < a ? b : a; }
Money Max(const Money& a, const Money& b) { return a < b ? b : a; }

}  // namespace quitt::domain
