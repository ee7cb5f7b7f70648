#pragma once
// Reader for ISO 20022 bank-to-customer cash management messages: camt.053 (account statement)
// and camt.054 (debit/credit notification), versions .001.02, .001.04 and .001.08 (German banks:
// DFÜ-Abkommen Anlage 3; field paths in shared/reference/german-collection-law.md § 7.2).
//
// Streaming (xmlTextReader): only one <Ntry> is held as a tree at a time, so a statement with a
// million entries needs little memory. Hostile input is refused before or while parsing: no
// DOCTYPE (so no entity definitions), no network, no DTD loading, no entity substitution, a size
// limit; errors name the file and the element.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "domain/payment/bank_statement.h"

namespace quitt::adapters::banking {

struct CamtLimits {
  std::size_t max_bytes = 256u << 20;   // a year of a busy account is well below this
  std::size_t max_entries = 5'000'000;  // per file
};

// Parses a camt.053 or camt.054 document held in memory. `source` names it in error messages.
Result<std::vector<domain::payment::BankStatement>> ParseCamt(std::string_view xml,
                                                              std::string_view source,
                                                              const CamtLimits& limits = {});

// Reads and parses a file; the size limit is checked before the file is read.
Result<std::vector<domain::payment::BankStatement>> ReadCamtFile(const std::string& path,
                                                                 const CamtLimits& limits = {});

}  // namespace quitt::adapters::banking
