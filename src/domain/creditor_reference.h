#pragma once
// CreditorReference: an ISO 11649 structured creditor reference ("RF18 5390 0754 7034"):
// "RF", two check digits (ISO 7064 MOD 97-10, 02..98), and 1 to 21 letters or digits.
// Bank transfers carry it in the structured remittance field, which is how quitt matches a
// payment to its case without reading free text.
#include <string>
#include <string_view>

#include "common/status.h"

namespace quitt::domain {

class CreditorReference {
 public:
  // Accepts the electronic and the print form (spaces), any letter case; trims whitespace.
  static Result<CreditorReference> Parse(std::string_view text);
  // Builds the reference for `reference` (1..21 letters/digits) by computing its check digits.
  static Result<CreditorReference> Create(std::string_view reference);

  const std::string& electronic() const { return value_; }  // RF18539007547034
  std::string Printed() const;                              // RF18 5390 0754 7034
  std::string_view reference() const { return std::string_view(value_).substr(4); }

  friend bool operator==(const CreditorReference&, const CreditorReference&) = default;

 private:
  explicit CreditorReference(std::string value) : value_(std::move(value)) {}
  std::string value_;
};

}  // namespace quitt::domain
