#pragma once
// Realistic demo data for trying quitt and for benchmarks: German consumers and businesses with
// plausible names, addresses, phone numbers, IBANs, invoice amounts and dates. Deterministic for a
// seed, so a benchmark or a demo can be reproduced exactly.
#include <cstdint>
#include <string>

#include "app/import_claims.h"

namespace quitt::app {

struct DemoOptions {
  std::int64_t cases = 1000;  // roughly: about 1.3 claims per case
  std::uint64_t seed = 42;
  domain::Date today = domain::Date::FromDaysSinceEpoch(0);  // invoices lie 20..400 days before
  int business_percent = 30;
  // Customer and invoice numbers count on from here, so several demo batches (e.g. one per
  // hand-over day) can be imported for one client side by side.
  std::int64_t first_number = 0;
};

// A ClaimSource producing demo rows (line numbers count from 2, as if under a CSV header).
std::unique_ptr<ClaimSource> MakeDemoSource(const DemoOptions& options);

// The CSV header and one row in the format `quitt import claims` reads (semicolon, German decimal
// comma, German dates, like an export of a German accounting system).
std::string DemoCsvHeader();
std::string DemoCsvRow(const IntakeRow& row);

}  // namespace quitt::app
