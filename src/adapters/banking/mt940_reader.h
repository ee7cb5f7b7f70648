#pragma once
// Reader for SWIFT MT940 account statements as German banks export them (the format before
// camt.053; DK still delivers it to many accounting programs, end of life named for Nov 2025 in
// the reference § 7.1). Fields: :20: reference, :25: account, :28C: statement number,
// :60F:/:60M: opening balance, :61: booking line, :86: details with the German "?xx" subfields
// (?00 posting text, ?20-?29 and ?60-?63 purpose, ?30 bank code/BIC, ?31 account/IBAN, ?32/?33
// name) and the SEPA keywords inside the purpose (EREF+, MREF+, KREF+, SVWZ+), :62F:/:62M:
// closing balance. ISO 8859-1/Windows-1252 files are converted to UTF-8.
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "domain/payment/bank_statement.h"

namespace quitt::adapters::banking {

// `source` names the file in error messages, which also give the line number.
Result<std::vector<domain::payment::BankStatement>> ParseMt940(std::string_view text,
                                                               std::string_view source,
                                                               std::size_t max_bytes = 64u << 20);

}  // namespace quitt::adapters::banking
