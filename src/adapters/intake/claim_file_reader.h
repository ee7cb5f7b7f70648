#pragma once
// Readers of claim hand-over files: CSV (UTF-8 or Windows-1252, comma, semicolon or tab, German
// or English headers, German decimal comma) and JSON lines (one object per line, the English
// field names of docs/import-format.md). Both produce app::IntakeRow through BuildRow, so the
// same rules apply to both.
#include <memory>
#include <string>

#include "adapters/intake/claim_fields.h"
#include "app/import_claims.h"

namespace quitt::adapters::intake {

enum class FileFormat { kAuto, kCsv, kJsonLines };
enum class Encoding { kAuto, kUtf8, kWindows1252 };

struct ReaderOptions {
  FileFormat format = FileFormat::kAuto;  // auto: by extension (.jsonl/.ndjson → JSON lines)
  Encoding encoding = Encoding::kAuto;    // auto: UTF-8 until a row is not valid UTF-8
  DecimalStyle decimal = DecimalStyle::kAuto;
  // Parses ahead on a second thread (rows are handed over in blocks), so reading and normalising
  // overlap with writing to the database.
  bool read_ahead = true;
};

// Opens the file and reads its header. Errors name the file (and the header problem).
Result<std::unique_ptr<app::ClaimSource>> OpenClaimFile(const std::string& path,
                                                        const ReaderOptions& options);

// Same for text already in memory (tests, API uploads); `name` is used in messages.
Result<std::unique_ptr<app::ClaimSource>> OpenClaimText(std::string name, std::string text,
                                                        const ReaderOptions& options);

}  // namespace quitt::adapters::intake
