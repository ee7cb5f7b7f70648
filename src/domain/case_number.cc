#include "domain/case_number.h"

#include <cstdio>

#include "common/text.h"

namespace quitt::domain {

int DammCheckDigit(std::string_view digits) {
  // The totally anti-symmetric quasigroup of order 10 from H. Michael Damm's 2004 dissertation
  // ("Total anti-symmetrische Quasigruppen", Philipps-Universität Marburg), as tabulated there.
  static constexpr int kTable[10][10] = {
      {0, 3, 1, 7, 5, 9, 8, 6, 4, 2}, {7, 0, 9, 2, 1, 5, 4, 8, 6, 3},
      {4, 2, 0, 6, 8, 7, 1, 3, 5, 9}, {1, 7, 5, 0, 9, 8, 3, 4, 2, 6},
      {6, 1, 2, 3, 0, 4, 5, 9, 7, 8}, {3, 6, 7, 4, 2, 0, 9, 5, 8, 1},
      {5, 8, 6, 9, 7, 2, 0, 1, 3, 4}, {8, 9, 4, 5, 3, 6, 2, 0, 1, 7},
      {9, 4, 3, 8, 6, 1, 7, 2, 0, 5}, {2, 5, 8, 1, 4, 3, 6, 7, 9, 0}};
  int interim = 0;
  for (char c : digits) interim = kTable[interim][c - '0'];
  return interim;
}

Result<CaseNumber> CaseNumber::FromSequence(std::int64_t sequence) {
  if (sequence < 1 || sequence > kMaxSequence) {
    return InvalidArgument("case sequence " + std::to_string(sequence) + " is out of range");
  }
  return CaseNumber(sequence);
}

std::string CaseNumber::ToString() const {
  char digits[16];
  std::snprintf(digits, sizeof digits, "%08lld", static_cast<long long>(sequence_));
  return std::string("Q-") + digits + "-" + std::to_string(DammCheckDigit(digits));
}

namespace {
// Nine digits (eight + check) once dashes and spaces are removed, after a leading Q.
std::optional<std::int64_t> ParseDigits(std::string_view digits) {
  if (digits.size() != 9) return std::nullopt;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  if (DammCheckDigit(digits) != 0) return std::nullopt;  // a valid number checks to 0
  std::int64_t value = 0;
  for (std::size_t i = 0; i < 8; ++i) value = value * 10 + (digits[i] - '0');
  if (value < 1) return std::nullopt;
  return value;
}
}  // namespace

Result<CaseNumber> CaseNumber::Parse(std::string_view text) {
  std::string_view trimmed = Trim(text);
  std::string digits;
  if (trimmed.empty() || (trimmed[0] != 'Q' && trimmed[0] != 'q')) {
    return InvalidArgument("case number '" + std::string(text) + "' must start with Q");
  }
  for (char c : trimmed.substr(1)) {
    if (c == '-' || c == ' ') continue;
    digits.push_back(c);
  }
  auto value = ParseDigits(digits);
  if (!value) {
    return InvalidArgument("case number '" + std::string(text) +
                           "' is not of the form Q-00012345-6 or its check digit is wrong");
  }
  return CaseNumber(*value);
}

std::optional<CaseNumber> CaseNumber::FindIn(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != 'Q' && text[i] != 'q') continue;
    std::string digits;
    std::size_t j = i + 1;
    while (j < text.size() && digits.size() < 9 &&
           (text[j] == '-' || text[j] == ' ' || (text[j] >= '0' && text[j] <= '9'))) {
      if (text[j] >= '0' && text[j] <= '9') digits.push_back(text[j]);
      ++j;
    }
    // The number must not run on into more digits (that would be another number).
    if (j < text.size() && text[j] >= '0' && text[j] <= '9') continue;
    if (auto value = ParseDigits(digits)) return CaseNumber(*value);
  }
  return std::nullopt;
}

}  // namespace quitt::domain
