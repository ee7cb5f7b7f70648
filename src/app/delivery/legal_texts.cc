#include "app/delivery/legal_texts.h"

#include <array>

#include "app/letters/letter_model.h"

namespace quitt::app::delivery {
namespace {

struct KnownRule {
  std::string_view prefix;  // how the ledger's rule starts
  std::string_view de;
  std::string_view en;
};

// Longer prefixes first: "§ 288(2) BGB old version" before "§ 288(2) BGB".
constexpr std::array<KnownRule, 13> kRules = {{
    {"§ 288(1) BGB", "§ 288 Abs. 1 BGB (Verzugszinsen: Basiszinssatz + 5 Prozentpunkte)",
     "§ 288(1) BGB (default interest: base rate + 5 percentage points)"},
    {"§ 288(2) BGB old version",
     "§ 288 Abs. 2 BGB a. F. (Entgeltforderung im Geschäftsverkehr: Basiszinssatz + 8 "
     "Prozentpunkte)",
     "§ 288(2) BGB, former version (payment claim between businesses: base rate + 8 percentage "
     "points)"},
    {"§ 288(2) BGB",
     "§ 288 Abs. 2 BGB (Entgeltforderung im Geschäftsverkehr: Basiszinssatz + 9 Prozentpunkte)",
     "§ 288(2) BGB (payment claim between businesses: base rate + 9 percentage points)"},
    {"§ 288(3) BGB", "§ 288 Abs. 3 BGB (vertraglich vereinbarter Zinssatz)",
     "§ 288(3) BGB (contractually agreed rate)"},
    {"§ 288(5)", "§ 288 Abs. 5 BGB (Verzugspauschale im Geschäftsverkehr)",
     "§ 288(5) BGB (flat fee for a business customer in default)"},
    {"§ 497(1) BGB", "§ 497 Abs. 1 BGB (Verbraucherdarlehen: Basiszinssatz + 5 Prozentpunkte)",
     "§ 497(1) BGB (consumer credit: base rate + 5 percentage points)"},
    {"Nr. 2300 VV RVG", "§ 13e RDG, Nr. 2300 VV RVG (Geschäftsgebühr)",
     "§ 13e RDG, Nr. 2300 VV RVG (business fee)"},
    {"§ 13(1) RVG", "§ 13 Abs. 1 RVG (Gebührentabelle)", "§ 13(1) RVG (fee table)"},
    {"§ 13(2) RVG", "§ 13 Abs. 2 RVG (Forderungen bis 50 €)", "§ 13(2) RVG (claims up to EUR 50)"},
    {"Nr. 1000", "Nr. 1000 VV RVG, § 31b RVG (Einigungsgebühr für die Zahlungsvereinbarung)",
     "Nr. 1000 VV RVG, § 31b RVG (settlement fee for the payment agreement)"},
    {"Nr. 7002 VV RVG", "Nr. 7002 VV RVG (Post- und Telekommunikationspauschale)",
     "Nr. 7002 VV RVG (postage and telecommunication flat rate)"},
    {"Nr. 7008 VV RVG", "Nr. 7008 VV RVG, § 12 Abs. 1 UStG (Umsatzsteuer)",
     "Nr. 7008 VV RVG, § 12(1) UStG (VAT)"},
    {"§§ 280", "§§ 280 Abs. 1 und 2, 286 BGB (Verzugsschaden)",
     "§§ 280(1) and (2), 286 BGB (damage caused by default)"},
}};

std::string_view Trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

std::string OneRule(std::string_view rule, bool de) {
  rule = Trim(rule);
  for (const KnownRule& known : kRules) {
    if (rule.substr(0, known.prefix.size()) == known.prefix) {
      return std::string(de ? known.de : known.en);
    }
  }
  // Unknown: the citation only (the ledger's words after ':' are English working notes); a part
  // that is no citation at all is the continuation of a note and is dropped.
  if (rule.rfind("§", 0) != 0 && rule.rfind("Nr.", 0) != 0 && rule.rfind("Art.", 0) != 0) {
    return "";
  }
  return std::string(Trim(rule.substr(0, rule.find(':'))));
}

std::string Tenths(std::int32_t tenths, bool de) {
  return std::to_string(tenths / 10) + (de ? "," : ".") + std::to_string(tenths % 10);
}

}  // namespace

std::string CostKindWords(const domain::FeeLine& line, std::string_view language) {
  const bool de = language == "de";
  const std::string on =
      line.value ? std::string(de ? " aus " : " on ") + letters::FormatMoney(*line.value, language)
                 : std::string();
  switch (line.kind) {
    case domain::CostKind::kClientCosts:
      return de ? "Kosten unserer Auftraggeberin vor der Übergabe"
                : "Costs of our client before the hand-over";
    case domain::CostKind::kFlatDefaultFee: return de ? "Verzugspauschale" : "Flat default fee";
    case domain::CostKind::kFlatDefaultCredit:
      return de ? "Anrechnung der Verzugspauschale" : "Flat default fee credited";
    case domain::CostKind::kBusinessFee:
      if (line.rate_tenths <= 0) return de ? "Inkassovergütung" : "Collection fee";
      return de ? "Inkassovergütung (" + Tenths(line.rate_tenths, true) + " Geschäftsgebühr" + on +
                      ")"
                : "Collection fee (" + Tenths(line.rate_tenths, false) + " business fee" + on + ")";
    case domain::CostKind::kSettlementFee:
      if (line.rate_tenths <= 0) return de ? "Einigungsgebühr" : "Settlement fee";
      return de ? "Einigungsgebühr (" + Tenths(line.rate_tenths, true) + " Gebühr" + on + ")"
                : "Settlement fee (" + Tenths(line.rate_tenths, false) + " fee" + on + ")";
    case domain::CostKind::kExpenses:
      return de ? "Post- und Telekommunikationspauschale"
                : "Postage and telecommunication flat rate";
    case domain::CostKind::kVat: return de ? "Umsatzsteuer" : "VAT";
  }
  return de ? "Kosten" : "Costs";
}

std::string LegalBasisWords(std::string_view rule, std::string_view language) {
  const bool de = language == "de";
  std::string out;
  size_t start = 0;
  while (start <= rule.size()) {
    size_t end = rule.find("; ", start);
    if (end == std::string_view::npos) end = rule.size();
    const std::string part = OneRule(rule.substr(start, end - start), de);
    if (!part.empty() && out.find(part) == std::string::npos) {
      if (!out.empty()) out += de ? " i. V. m. " : " with ";
      out += part;
    }
    if (end == rule.size()) break;
    start = end + 2;
  }
  return out;
}

}  // namespace quitt::app::delivery
