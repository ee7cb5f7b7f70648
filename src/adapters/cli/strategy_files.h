#pragma once
// Loading the strategy files at startup: every *.toml of the strategies folder, the defaults by
// customer kind (de-b2c.toml for consumers, de-b2b.toml for businesses), and per-client choices
// from <folder>/clients/<CLIENT CODE>/consumer.toml and business.toml (their strategy ids must
// differ from the shared ones). Every problem of every file is reported at once; nothing
// half-loads.
#include <string>

#include "app/case_facts.h"
#include "app/ports.h"

namespace quitt::adapters::cli {

// The folder: `flag` when given, else $QUITT_STRATEGIES, else ./strategies.
std::string StrategyFolder(const std::string& flag);

Result<app::StrategyBook> LoadStrategyBook(const std::string& folder, app::CaseStore& store);

}  // namespace quitt::adapters::cli
