#pragma once
// The fields of a claim hand-over file and how a row of values becomes an IntakeRow. Shared by
// the CSV and the JSON-lines reader, so both accept the same fields with the same rules.
//
// Column names are matched case-insensitively, ignoring spaces, '-', '_' and '.', in English or
// German ("client_reference", "Rechnungsnummer", "Fällig am" ...); docs/import-format.md lists
// them.
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "app/import_claims.h"

namespace quitt::adapters::intake {

enum class Field {
  kClientReference,
  kCustomerReference,
  kCustomerType,
  kName,
  kFirstName,
  kLastName,
  kCompany,
  kStreet,
  kPostcode,
  kCity,
  kCountry,
  kEmail,
  kPhone,
  kLanguage,
  kIban,
  kBirthDate,
  kReason,
  kInvoiceDate,
  kDueDate,
  kDefaultDate,
  kDefaultBasis,
  kObligationDate,
  kAmount,
  kCurrency,
  kCosts,
  kInterestRate,
  kConsumerCredit,
  kCount  // number of fields, not a field
};
constexpr std::size_t kFieldCount = static_cast<std::size_t>(Field::kCount);

// The canonical (English, snake_case) name, used in messages and JSON lines.
const char* FieldName(Field field);
// The field a column header means, if any.
std::optional<Field> FieldForHeader(std::string_view header);

enum class DecimalStyle { kAuto, kPoint, kComma };

// Values of one row, by field; absent fields are nullopt.
using FieldValues = std::array<std::optional<std::string_view>, kFieldCount>;

// Remembers phone numbers normalised by libphonenumber's full parse: a customer's number repeats
// on each of their claims and that parse takes microseconds. The plain forms take the fast path
// (0.1 µs) and are not remembered. Bounded; not thread-safe (one per reader).
class PhoneCache {
 public:
  Result<std::string> Normalize(std::string_view text, std::string_view region);

 private:
  std::unordered_map<std::string, Result<std::string>> cache_;
};

struct RowContext {
  PhoneCache* phones = nullptr;
  DecimalStyle decimal = DecimalStyle::kAuto;
  bool semicolon_file = false;  // semicolon-separated files use the German decimal comma
};

// Builds the row; every problem is added to row.problems with the field name.
void BuildRow(const FieldValues& values, const RowContext& context, app::IntakeRow& row);

}  // namespace quitt::adapters::intake
