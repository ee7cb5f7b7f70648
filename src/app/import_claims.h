#pragma once
// ImportClaims: the claim hand-over use case behind `quitt import claims` (and later the bulk API).
//
// Rows come from a ClaimSource (CSV, JSON lines: see adapters/intake). Each good row becomes a
// claim in the customer's open case of that client and currency; a new customer or a customer
// without an open case gets a new case. Every change is written as case events with the read
// models in the same transaction.
//
// Idempotent: a claim is identified by (client, client reference). A row whose claim exists with
// the same amount is skipped silently; with a different amount it is reported as a conflict and
// not applied. Importing the same file twice adds nothing.
//
// Bad rows: by default the whole file is rejected if any row is bad (one transaction, nothing
// written). With keep_good_rows the good rows are written in batches, each its own transaction;
// a crash between batches leaves whole batches only, and re-running the import completes the
// file because rows already imported are skipped.
#include <functional>
#include <string>
#include <vector>

#include "app/ports.h"
#include "domain/claim.h"
#include "domain/party.h"

namespace quitt::app {

struct RowProblem {
  std::int64_t line = 0;  // 1-based line of the file (for CSV the header is line 1)
  std::string field;      // the column or JSON field, empty when the whole row is wrong
  std::string message;
};

// One parsed row. When `problems` is not empty the row could not be read completely and
// `customer`/`claim` must not be used.
struct IntakeRow {
  std::int64_t line = 0;
  domain::Customer customer;
  domain::Claim claim;
  std::vector<RowProblem> problems;
};

class ClaimSource {
 public:
  virtual ~ClaimSource() = default;
  // Fills `row` with the next row; false at the end of the input; an error when the input cannot
  // be read at all (not for a bad row: those come back as problems).
  virtual Result<bool> Next(IntakeRow& row) = 0;
  // Name used in messages, e.g. the file name.
  virtual const std::string& name() const = 0;
  // For progress: how far the source is, in bytes of the input.
  virtual std::int64_t position() const = 0;
  virtual std::int64_t size() const = 0;
};

struct ImportProgress {
  std::int64_t rows = 0;
  std::int64_t position = 0;
  std::int64_t size = 0;
};

struct ImportOptions {
  std::string client_code;
  bool keep_good_rows = false;
  std::string actor;  // recorded on every event, e.g. "import:claims.csv"
  domain::Date business_date = domain::Date::FromDaysSinceEpoch(0);  // effective date of the events
  std::int64_t batch_rows = 20000;  // rows per transaction with keep_good_rows
  std::function<void(const ImportProgress&)> on_progress;  // called about every 10,000 rows
};

// A claim that exists with other data than the row says; reported, never applied.
struct ClaimConflict {
  std::int64_t line = 0;
  std::string client_ref;
  std::string message;
};

struct ImportReport {
  std::string source;
  std::int64_t rows = 0;
  std::int64_t imported = 0;
  std::int64_t unchanged = 0;  // already there with the same amount
  std::int64_t cases_opened = 0;
  std::int64_t customers_created = 0;
  std::vector<RowProblem> problems;
  std::vector<ClaimConflict> conflicts;
  bool rejected = false;  // the whole file was rejected (bad rows without keep_good_rows)
  std::int64_t problem_rows = 0;
};

// Errors only when the import could not run at all (unknown client, unreadable input, database
// unavailable); bad rows are in the report.
Result<ImportReport> ImportClaims(CaseStore& store, Clock& clock, ClaimSource& source,
                                  const ImportOptions& options);

}  // namespace quitt::app
