#pragma once
// The characters a SEPA XML file may carry (EPC "Latin character set" as the DK schemas restrict
// it), shared by the pain writers and by the checks made when data that ends up in them is entered
// (a mandate's holder), so both apply the same rule.
// Sources: EPC217-08 "SEPA Requirements for an Extended Character Set" (the basic set); DK
// "Spezifikation der Datenformate" Anlage 3, § 7.3 (umlauts, ß and & accepted by German banks).
#include <cstddef>
#include <string>
#include <string_view>

#include "common/status.h"

namespace quitt::domain::payment {

// SEPA identifiers (MsgId, EndToEndId, MndtId ...): a-z A-Z 0-9 / - ? : ( ) . , ' + space, as the
// DK schemas' patterns require.
bool IsSepaIdChar(char c);

// Free text (names, remittance) as it goes into the file: the SEPA set plus '&', German umlauts
// and ß; other accented Latin letters are spelled without their accent. Anything else, an empty
// text or more than `max_chars` characters is an error naming `field` and the value.
Result<std::string> SepaText(const std::string& field, std::string_view value,
                             std::size_t max_chars);

}  // namespace quitt::domain::payment
