#include "app/letters/rdg13a.h"

#include <cctype>

namespace quitt::app::letters {
namespace {

// Collapses every run of whitespace to one space, so a line break in the PDF does not hide a
// phrase.
std::string Normalise(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

bool IsUnset(domain::Date date) { return date.days_since_epoch() == 0; }

class TextChecker {
 public:
  explicit TextChecker(std::string_view text) : text_(Normalise(text)) {}
  void Require(Rdg13aItem item, const std::string& snippet, std::vector<Rdg13aFinding>& out) const {
    const std::string wanted = Normalise(snippet);
    if (wanted.empty() || text_.find(wanted) == std::string::npos) {
      out.push_back({item, "text does not contain \"" + snippet + "\""});
    }
  }

 private:
  std::string text_;
};

}  // namespace

const char* Rdg13aItemName(Rdg13aItem item) {
  switch (item) {
    case Rdg13aItem::kClient: return "§ 13a(1) Nr. 1 RDG (client name and address)";
    case Rdg13aItem::kClaimReason: return "§ 13a(1) Nr. 2 RDG (reason of the claim)";
    case Rdg13aItem::kInterest: return "§ 13a(1) Nr. 3 RDG (interest calculation)";
    case Rdg13aItem::kAboveStatutoryRate: return "§ 13a(1) Nr. 4 RDG (rate above statutory rate)";
    case Rdg13aItem::kCosts: return "§ 13a(1) Nr. 5 RDG (collection costs)";
    case Rdg13aItem::kVat: return "§ 13a(1) Nr. 6 RDG (VAT not deductible)";
    case Rdg13aItem::kResearchedAddress: return "§ 13a(1) Nr. 7 RDG (researched address)";
    case Rdg13aItem::kSupervisoryAuthority: return "§ 13a(1) Nr. 8 RDG (supervisory authority)";
  }
  return "?";
}

std::string_view VatNoticePhrase(std::string_view language) {
  if (language == "de") return "nicht zum Vorsteuerabzug berechtigt";
  return "cannot deduct this VAT as input tax";
}

std::string_view ResearchedAddressPhrase(std::string_view language) {
  if (language == "de") return "Ihre Anschrift wurde nicht von unserer Auftraggeberin mitgeteilt";
  return "Your address was not given to us by our client";
}

bool Rdg13aApplies(const LetterModel& model) {
  return model.customer_kind == domain::CustomerKind::kConsumer &&
         model.step == LetterStep::kFirstReminder;
}

std::vector<Rdg13aFinding> CheckRdg13aModel(const LetterModel& model) {
  std::vector<Rdg13aFinding> out;
  if (!Rdg13aApplies(model)) return out;
  if (model.client.name.empty())
    out.push_back({Rdg13aItem::kClient, "field 'client.name' is empty"});
  if (!model.client.address_withheld &&
      (!model.client.address || model.client.address->street.empty() ||
       model.client.address->city.empty())) {
    out.push_back(
        {Rdg13aItem::kClient, "field 'client.address' is missing and not marked withheld"});
  }
  if (model.claims.empty()) out.push_back({Rdg13aItem::kClaimReason, "field 'claims' is empty"});
  for (size_t i = 0; i < model.claims.size(); ++i) {
    const std::string field = "claims[" + std::to_string(i) + "]";
    if (model.claims[i].subject.empty()) {
      out.push_back({Rdg13aItem::kClaimReason, "field '" + field + ".subject' is empty"});
    }
    if (IsUnset(model.claims[i].concluded_on)) {
      out.push_back({Rdg13aItem::kClaimReason, "field '" + field + ".concluded_on' is not set"});
    }
  }
  for (size_t i = 0; i < model.interest.size(); ++i) {
    const InterestPeriod& period = model.interest[i];
    const std::string field = "interest[" + std::to_string(i) + "]";
    if (!period.principal.is_positive() || period.rate_basis_points <= 0 ||
        period.to < period.from) {
      out.push_back(
          {Rdg13aItem::kInterest, "field '" + field + "' lacks principal, rate or period"});
    }
    if (period.above_statutory_rate && period.above_statutory_justification.empty()) {
      out.push_back({Rdg13aItem::kAboveStatutoryRate,
                     "field '" + field + ".above_statutory_justification' is empty"});
    }
  }
  bool vat = false;
  for (size_t i = 0; i < model.fees.size(); ++i) {
    const FeeLine& fee = model.fees[i];
    const std::string field = "fees[" + std::to_string(i) + "]";
    if (fee.kind.empty())
      out.push_back({Rdg13aItem::kCosts, "field '" + field + ".kind' is empty"});
    if (fee.legal_basis.empty()) {
      out.push_back({Rdg13aItem::kCosts, "field '" + field + ".legal_basis' is empty"});
    }
    vat = vat || !fee.vat.is_zero();
  }
  if (vat && !model.client_cannot_deduct_vat) {
    out.push_back(
        {Rdg13aItem::kVat,
         "VAT is claimed but 'client_cannot_deduct_vat' is false: VAT may then not be claimed"});
  }
  if (model.address_researched && model.address_research_source.empty()) {
    out.push_back({Rdg13aItem::kResearchedAddress, "field 'address_research_source' is empty"});
  }
  const LetterSender& sender = model.sender;
  if (sender.authority_name.empty() || sender.authority_address.empty() ||
      sender.authority_contact.empty()) {
    out.push_back({Rdg13aItem::kSupervisoryAuthority,
                   "fields 'sender.authority_name/address/contact' must all be set"});
  }
  return out;
}

std::vector<Rdg13aFinding> CheckRdg13aText(const LetterModel& model, std::string_view text) {
  std::vector<Rdg13aFinding> out;
  if (!Rdg13aApplies(model)) return out;
  const TextChecker checker(text);
  const std::string& lang = model.language;
  checker.Require(Rdg13aItem::kClient, model.client.name, out);
  if (model.client.address && !model.client.address_withheld) {
    checker.Require(Rdg13aItem::kClient, model.client.address->street, out);
    checker.Require(Rdg13aItem::kClient,
                    model.client.address->postcode + " " + model.client.address->city, out);
  }
  for (const ClaimLine& claim : model.claims) {
    checker.Require(Rdg13aItem::kClaimReason, claim.subject, out);
    checker.Require(Rdg13aItem::kClaimReason, FormatDate(claim.concluded_on, lang), out);
  }
  for (const InterestPeriod& period : model.interest) {
    checker.Require(Rdg13aItem::kInterest, FormatMoney(period.principal, lang), out);
    checker.Require(Rdg13aItem::kInterest, FormatRate(period.rate_basis_points, lang), out);
    checker.Require(Rdg13aItem::kInterest, FormatDate(period.from, lang), out);
    checker.Require(Rdg13aItem::kInterest, FormatDate(period.to, lang), out);
    if (period.above_statutory_rate) {
      checker.Require(Rdg13aItem::kAboveStatutoryRate, period.above_statutory_justification, out);
    }
  }
  bool vat = false;
  for (const FeeLine& fee : model.fees) {
    checker.Require(Rdg13aItem::kCosts, fee.kind, out);
    checker.Require(Rdg13aItem::kCosts, FormatMoney(fee.amount, lang), out);
    checker.Require(Rdg13aItem::kCosts, fee.legal_basis, out);
    vat = vat || !fee.vat.is_zero();
  }
  if (vat) checker.Require(Rdg13aItem::kVat, std::string(VatNoticePhrase(lang)), out);
  if (model.address_researched) {
    checker.Require(Rdg13aItem::kResearchedAddress, std::string(ResearchedAddressPhrase(lang)),
                    out);
    checker.Require(Rdg13aItem::kResearchedAddress, model.address_research_source, out);
  }
  checker.Require(Rdg13aItem::kSupervisoryAuthority, model.sender.authority_name, out);
  checker.Require(Rdg13aItem::kSupervisoryAuthority, model.sender.authority_address, out);
  checker.Require(Rdg13aItem::kSupervisoryAuthority, model.sender.authority_contact, out);
  return out;
}

}  // namespace quitt::app::letters
