#pragma once
// Helpers shared by the parts of PostgresCaseStore (cases, daily run, payments): how columns are
// read as numbers and how bulk writes are sliced. Internal to this adapter.
#include <functional>
#include <optional>
#include <string>

#include "adapters/storage/postgres/pg_connection.h"
#include "app/ports.h"

namespace quitt::adapters::postgres {

// Rows per statement in bulk writes: big enough that round trips vanish, small enough that one
// statement's parameters stay a few megabytes.
inline constexpr std::size_t kRowsPerStatement = 10000;

// A DATE column read as days since 1970-01-01, a TIMESTAMPTZ column as microseconds since the
// epoch: numbers, so neither the session's DateStyle nor its TimeZone matter.
std::string DaysColumn(const char* column);
std::string MicrosColumn(const char* column);

domain::Date DateFromDays(const Rows& rows, int row, int column);
std::optional<domain::Date> OptionalDateFromDays(const Rows& rows, int row, int column);
Result<domain::Currency> ReadCurrency(const std::string& code);

// The 15 columns of a case summary (unqualified names of table `cases`) and their reader;
// `first` is the index of the first of them in the row.
const std::string& CaseColumns();
Result<app::CaseSummary> ReadCaseRow(const Rows& rows, int r, int first = 0);

// Runs `write(first, last)` over slices of at most kRowsPerStatement rows.
Status InSlices(std::size_t count, const std::function<Status(std::size_t, std::size_t)>& write);

}  // namespace quitt::adapters::postgres
