#pragma once
// CaseNumber: the human-readable number of a case, "Q-00012345-6": a letter, eight digits of the
// case id and one Damm check digit. Damm's algorithm catches every single-digit error and every
// transposition of adjacent digits, the two mistakes people make when typing a number from a
// letter into their banking app, so a payment with a mistyped number is not matched to a stranger.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace quitt::domain {

class CaseNumber {
 public:
  static constexpr std::int64_t kMaxSequence = 99'999'999;

  // The case number for the case with id `sequence` (1..kMaxSequence).
  static Result<CaseNumber> FromSequence(std::int64_t sequence);
  // "Q-00012345-6", also without dashes ("Q000123456") and lower case; checks the digit.
  static Result<CaseNumber> Parse(std::string_view text);
  // Finds the first valid case number in free text (a bank transfer's remittance line).
  static std::optional<CaseNumber> FindIn(std::string_view text);

  std::int64_t sequence() const { return sequence_; }
  std::string ToString() const;

  friend bool operator==(const CaseNumber&, const CaseNumber&) = default;

 private:
  explicit CaseNumber(std::int64_t sequence) : sequence_(sequence) {}
  std::int64_t sequence_;
};

// The Damm check digit of a string of decimal digits.
int DammCheckDigit(std::string_view digits);

}  // namespace quitt::domain
