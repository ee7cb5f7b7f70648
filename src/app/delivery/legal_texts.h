#pragma once
// The words a letter prints for a cost line and for the legal basis of interest and costs, in the
// customer's language. The ledger records its legal bases as English working notes with the
// section ("§ 288(1) BGB: base rate + 5 points"); a German letter must not print those. Known
// rules get a wording per language with the citation in that language's style ("§ 288 Abs. 1
// BGB"); an unknown rule prints only its citation (the part before ':'), never the English note.
// Sources: BGB §§ 288, 497; RDG § 13e; RVG § 13, § 31b, VV Nr. 1000, 2300, 7002, 7008; UStG § 12
// (shared/reference/german-collection-law.md sections 1.2, 3.1-3.6).
#include <string>
#include <string_view>

#include "domain/jurisdiction/jurisdiction.h"

namespace quitt::app::delivery {

// "Inkassovergütung (0,9 Geschäftsgebühr aus 400,00 €)" / "Collection fee (0.9 business fee on
// EUR 400.00)". German for "de", English otherwise.
std::string CostKindWords(const domain::FeeLine& line, std::string_view language);

// "§ 288 Abs. 1 BGB (Verzugszinsen: Basiszinssatz + 5 Prozentpunkte)"; rules joined by "; " in
// the ledger are translated one by one and joined with " i. V. m. " / " with ".
std::string LegalBasisWords(std::string_view rule, std::string_view language);

}  // namespace quitt::app::delivery
