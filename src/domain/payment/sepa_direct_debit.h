#pragma once
// Pure rules of SEPA direct debit (SDD Core / B2B) that do not depend on a file format:
//  - the creditor identifier (CI, "Gläubiger-Identifikationsnummer"), validated configuration;
//  - the mandate reference (AT-01, "Mandatsreferenz");
//  - TARGET2 business days, on which SDD collections settle.
// Sources: EPC SDD Core Rulebook (EPC016-09) AT-01, AT-02, AT-25 and chapter 4.3; EPC262-08
// "Creditor Identifier Overview" (structure and check digits); Deutsche Bundesbank,
// "Gläubiger-Identifikationsnummer" (18 characters in Germany, test id DE98ZZZ09999999999); ECB
// TARGET2 closing days. The DK XSD pain.008.001.08_GBIC_5 restricts MndtId to the pattern
// ([A-Za-z0-9]|[+?/-:().,' ]){1,35}.
#include <string>
#include <string_view>

#include "common/status.h"
#include "domain/date.h"

namespace quitt::domain::payment {

// "DE98ZZZ09999999999" (spaces allowed on input, letters upper-cased): country code, two check
// digits, a three-character creditor business code (any A-Z/0-9, "ZZZ" by default) and the
// national identifier. The check digits are ISO 7064 MOD 97-10 over the national identifier
// followed by the country code and "00" — the business code is skipped, so a creditor may use
// several codes with one id. German ids have 18 characters. Returns the normalized id, or
// InvalidArgument naming what is wrong.
Result<std::string> ValidateCreditorId(std::string_view text);

// A mandate reference: 1..35 characters of A-Z a-z 0-9 + ? / - : ( ) . , ' and space, not
// starting with '/' and without "//" (EPC rulebook AT-01 and the DK schema). Returned trimmed.
Result<std::string> ValidateMandateReference(std::string_view text);

// TARGET2 is closed on Saturdays, Sundays, 1 January, Good Friday, Easter Monday, 1 May and
// 25/26 December; SDD collections settle only on the other days.
bool IsTargetBusinessDay(Date date);
// The first TARGET2 business day on or after `date`.
Date NextTargetBusinessDay(Date date);
// `days` (>= 0) TARGET2 business days after `date` (0: `date` itself when it is one, else the
// next one).
Date AddTargetBusinessDays(Date date, int days);

}  // namespace quitt::domain::payment
