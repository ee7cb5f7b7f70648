#include "app/statement/statement_text.h"

#include <map>
#include <vector>

namespace quitt::app {
namespace {

using domain::CostKind;
using domain::FeeLine;
using domain::LegalBasis;
using domain::Money;

std::string Amount(const Money& m) {
  return m.ToGermanString() + " " + std::string(m.currency().code());
}

std::string Percent(std::int32_t bp) {
  std::string sign = bp < 0 ? "-" : "";
  std::int32_t a = bp < 0 ? -bp : bp;
  std::string frac = std::to_string(a % 100);
  if (frac.size() < 2) frac = "0" + frac;
  return sign + std::to_string(a / 100) + "," + frac + " %";
}

std::string Tenths(std::int32_t tenths) {
  return std::to_string(tenths / 10) + "," + std::to_string(tenths % 10);
}

std::string PadLeft(const std::string& s, std::size_t width) {
  return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}
std::string PadRight(const std::string& s, std::size_t width) {
  return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

// Numbers each distinct legal basis once, in order of first use.
class Sources {
 public:
  std::string Mark(const LegalBasis& basis) {
    std::string key = basis.rule + "\n" + basis.source;
    auto it = index_.find(key);
    if (it == index_.end()) {
      list_.push_back(basis);
      it = index_.emplace(key, list_.size()).first;
    }
    return "[" + std::to_string(it->second) + "]";
  }
  const std::vector<LegalBasis>& list() const { return list_; }

 private:
  std::map<std::string, std::size_t> index_;
  std::vector<LegalBasis> list_;
};

const char* CostLabel(CostKind kind) {
  switch (kind) {
    case CostKind::kClientCosts: return "Client's own costs";
    case CostKind::kFlatDefaultFee: return "Flat default fee";
    case CostKind::kFlatDefaultCredit: return "Flat fee credited against collection costs";
    case CostKind::kBusinessFee: return "Collection fee";
    case CostKind::kSettlementFee: return "Payment plan fee";
    case CostKind::kExpenses: return "Postage and telecom flat rate";
    case CostKind::kVat: return "VAT on fees";
  }
  return "Costs";
}

const char* DefaultBasisWords(domain::DefaultBasis basis) {
  switch (basis) {
    case domain::DefaultBasis::kCalendarDate: return "payment date fixed by the calendar";
    case domain::DefaultBasis::kReminder: return "reminder";
    case domain::DefaultBasis::kThirtyDayRule: return "30 days after due date and invoice";
    case domain::DefaultBasis::kRefusal: return "refusal to pay";
    case domain::DefaultBasis::kStatedByClient: return "stated by the client";
  }
  return "";
}

const char* DayCountWords(domain::DayCount dc) {
  switch (dc) {
    case domain::DayCount::kActual365: return "actual days / 365";
    case domain::DayCount::kActualActual: return "actual days / 365 or 366 in leap years";
    case domain::DayCount::kThirty360: return "30 days per month / 360 (dunning court method)";
  }
  return "";
}

const char* LimitationWords(domain::LimitationState state) {
  switch (state) {
    case domain::LimitationState::kRunning: return "running";
    case domain::LimitationState::kWarning: return "WARNING: expires within 90 days";
    case domain::LimitationState::kUrgent: return "URGENT: expires within 30 days";
    case domain::LimitationState::kExpired: return "EXPIRED";
  }
  return "";
}

std::string CostLine(const FeeLine& line, Sources& sources) {
  std::string text = "    " + line.date.ToGermanString() + "  " +
                     PadRight(CostLabel(line.kind), 44) + PadLeft(Amount(line.amount), 16) + " " +
                     sources.Mark(line.basis) + "\n";
  if (line.value) {
    text += "                  value " + Amount(*line.value);
    if (line.rate_tenths) text += ", rate " + Tenths(line.rate_tenths);
    text += "\n";
  }
  if (!line.table_row.empty()) text += "                  table: " + line.table_row + "\n";
  if (!line.note.empty()) text += "                  " + line.note + "\n";
  return text;
}

}  // namespace

std::string RenderStatementText(const domain::Statement& s) {
  Sources sources;
  std::map<std::int64_t, std::string> names;
  for (const auto& c : s.claims) names[c.claim.value()] = c.client_ref;
  std::string out;
  out += "STATEMENT OF ACCOUNT as of " + s.as_of.ToGermanString() + "\n";
  out += "Customer: " + std::string(domain::CustomerKindName(s.customer_kind)) +
         "   Interest days counted as: " + DayCountWords(s.day_count) + "\n";
  out += std::string(78, '=') + "\n";

  int number = 0;
  for (const auto& c : s.claims) {
    ++number;
    out += "\nClaim " + std::to_string(number) + ": " + c.client_ref + " - " + c.reason + "\n";
    out +=
        "  Invoice of " + c.invoice_date.ToGermanString() + ", due " + c.due_date.ToGermanString();
    if (c.default_date) {
      out += ", in default since " + c.default_date->ToGermanString() + " (" +
             DefaultBasisWords(c.default_basis) + ")";
    }
    out += "\n";
    out += "  " + PadRight("Principal", 58) + PadLeft(Amount(c.principal), 16) + "\n";
    out += "  Default interest\n";
    if (c.interest_lines.empty()) {
      out += "    none" + (c.interest_note.empty() ? std::string() : ": " + c.interest_note) + "\n";
    } else {
      out += "    from        to          days  rate       on principal        interest\n";
      for (const auto& l : c.interest_lines) {
        out += "    " + l.from.ToGermanString() + "  " + l.to.ToGermanString() + "  " +
               PadLeft(std::to_string(l.days), 4) + "  " + PadRight(Percent(l.rate_bp), 8) +
               PadLeft(Amount(l.principal), 16) + PadLeft(Amount(l.interest), 16) +
               (l.provisional ? " *" : "") + " " + sources.Mark(l.basis) + " " +
               sources.Mark(l.rate_source) + "\n";
      }
      out += "    " + PadRight("Interest in total", 54) + PadLeft(Amount(c.interest), 16) + "\n";
    }
    out += "  Costs\n";
    for (const auto& line : c.claim_costs) out += CostLine(line, sources);
    if (!c.collection_cost_share.is_zero()) {
      out += "    " + PadRight("Share of the collection costs below", 56) +
             PadLeft(Amount(c.collection_cost_share), 16) + "\n";
    }
    if (c.claim_costs.empty() && c.collection_cost_share.is_zero()) out += "    none\n";
    out += "  Paid so far: costs " + Amount(c.paid_costs) + ", interest " +
           Amount(c.paid_interest) + ", principal " + Amount(c.paid_principal) + "\n";
    out +=
        "  " + PadRight("Still open on this claim", 58) + PadLeft(Amount(c.open_total), 16) + "\n";
    out += "    (costs " + Amount(c.open_costs) + ", interest " + Amount(c.open_interest) +
           ", principal " + Amount(c.open_principal) + ")\n";
    out += "  Limitation: the claim can be enforced until " +
           c.limitation.expires.ToGermanString() + " - " + LimitationWords(c.limitation.state) +
           " " + sources.Mark(c.limitation.basis) + "\n";
  }

  if (!s.collection_costs.empty()) {
    out += "\nCollection costs of the case\n";
    for (const auto& line : s.collection_costs) out += CostLine(line, sources);
  }

  if (!s.payments.empty()) {
    out += "\nPayments and how they were applied\n";
    for (const auto& p : s.payments) {
      out += "    " + p.date.ToGermanString() + "  payment " + PadRight(p.payment_ref, 20) +
             PadLeft(Amount(p.amount), 16) + "\n";
      for (const auto& part : p.parts) {
        out += "      -> " + PadRight(names[part.claim.value()], 14) + " " +
               PadRight(domain::BucketName(part.bucket), 10) + PadLeft(Amount(part.amount), 16) +
               " " + sources.Mark(part.basis) + "\n";
      }
      if (!p.surplus.is_zero()) {
        out += "      -> overpaid, to be refunded  " + PadLeft(Amount(p.surplus), 16) + "\n";
      }
    }
  }

  out += "\n" + std::string(78, '-') + "\n";
  auto total = [&](const std::string& label, const Money& m) {
    out += PadRight(label, 60) + PadLeft(Amount(m), 18) + "\n";
  };
  total("Principal", s.total_principal);
  total("Default interest", s.total_interest);
  total("Costs", s.total_costs);
  total("Paid", -s.total_paid);
  if (!s.total_surplus.is_zero()) total("Overpaid (to be refunded)", s.total_surplus);
  out += std::string(78, '=') + "\n";
  total("TOTAL DUE", s.total_due);

  if (!s.notes.empty()) {
    out += "\nNotes\n";
    for (const auto& n : s.notes) out += "  - " + n + "\n";
  }
  out += "\nLegal basis and sources\n";
  for (std::size_t i = 0; i < sources.list().size(); ++i) {
    out += "  [" + std::to_string(i + 1) + "] " + sources.list()[i].rule + "\n";
    if (!sources.list()[i].source.empty()) {
      out += "      " + sources.list()[i].source + "\n";
    }
  }
  return out;
}

}  // namespace quitt::app
