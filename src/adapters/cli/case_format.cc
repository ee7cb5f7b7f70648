#include "adapters/cli/case_format.h"

#include <fmt/format.h>

#include "domain/case_event_codec.h"

namespace quitt::adapters::cli {

namespace {
template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

std::string Pad(const std::string& text, std::size_t width) {
  // Pads by code points so umlauts do not shift columns.
  std::size_t points = 0;
  for (unsigned char c : text) points += (c & 0xC0) != 0x80;
  return points >= width ? text : text + std::string(width - points, ' ');
}

// Free text (a claim reason, a note) on one line of a table or timeline.
std::string OneLine(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return text;
}

std::string Truncate(const std::string& input, std::size_t width) {
  const std::string text = OneLine(input);
  std::size_t points = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (points == width - 1 && i + 1 < text.size()) return text.substr(0, i) + "…";
      ++points;
    }
  }
  return text;
}
std::string ResumeText(const domain::ResumePoint& resume) {
  if (resume.step_id.empty()) return "";
  std::string text = "; the strategy resumes at step " + resume.step_id;
  if (resume.due) text += " on " + resume.due->ToString();
  return text;
}

}  // namespace

std::string FormatAmount(const domain::Money& money) {
  return money.ToEnglishString() + " " + std::string(money.currency().code());
}

std::string DescribeEvent(const domain::CaseEvent& event) {
  return OneLine(std::visit(
      Overloaded{
          [](const domain::CaseOpened& e) {
            return fmt::format("case {} opened ({}), amounts in {}", e.case_number, e.source,
                               e.currency);
          },
          [](const domain::ClaimAdded& e) {
            const domain::Claim& c = e.claim;
            std::string text = fmt::format("claim {} added: {} due {}", c.client_ref,
                                           FormatAmount(c.principal), c.due_date.ToString());
            if (c.default_date) {
              text += fmt::format(", in default since {} ({})", c.default_date->ToString(),
                                  domain::DefaultBasisName(c.default_basis));
            }
            if (!c.client_costs.is_zero())
              text += ", client's costs " + FormatAmount(c.client_costs);
            return text + " — " + c.reason;
          },
          [](const domain::NoteAdded& e) { return "note: " + e.text; },
          [](const domain::CaseClosed& e) {
            std::string text = std::string("case closed: ") + domain::CaseCloseReasonName(e.reason);
            if (!e.remark.empty()) text += " (" + e.remark + ")";
            return text;
          },
          [](const domain::StrategyVariantAssigned& e) {
            return fmt::format("put on strategy {} v{}, variant {}", e.strategy_id,
                               e.strategy_version, e.variant);
          },
          [](const domain::StepTaken& e) {
            std::string text = fmt::format("step {} taken: {}", e.step_id, e.action);
            if (!e.template_name.empty()) text += " (" + e.template_name + ")";
            text += ", due " + e.due.ToString();
            if (e.taken_on != e.due) text += ", taken " + e.taken_on.ToString();
            return text;
          },
          [](const domain::PromiseMade& e) {
            return fmt::format("promise to pay {} by {}", FormatAmount(e.amount), e.due.ToString());
          },
          [](const domain::PromiseKept& e) { return "promise kept on " + e.on.ToString(); },
          [](const domain::PromiseBroken& e) {
            return "promise broken on " + e.on.ToString() + ResumeText(e.resume);
          },
          [](const domain::PlanAgreed& e) {
            std::string text = fmt::format("payment plan agreed: {} in {} {} instalments",
                                           FormatAmount(e.total), e.instalments.size(), e.rhythm);
            if (!e.instalments.empty()) {
              text += fmt::format(", first {} on {}", FormatAmount(e.instalments.front().amount),
                                  e.instalments.front().due.ToString());
            }
            return text;
          },
          [](const domain::PlanBroken& e) {
            return "payment plan broken on " + e.on.ToString() + ResumeText(e.resume);
          },
          [](const domain::PlanCompleted& e) {
            return "payment plan completed on " + e.on.ToString();
          },
          [](const domain::DisputeRaised& e) { return "dispute raised: " + e.reason; },
          [](const domain::DisputeResolved& e) {
            return "dispute resolved" + (e.remark.empty() ? std::string() : ": " + e.remark) +
                   ResumeText(e.resume);
          },
          [](const domain::HardshipFlagged& e) { return "hardship flagged: " + e.reason; },
          [](const domain::HardshipCleared& e) {
            return "hardship cleared" + (e.remark.empty() ? std::string() : ": " + e.remark) +
                   ResumeText(e.resume);
          },
          [](const domain::PaymentReceived& e) {
            std::string text = fmt::format("payment received: {} booked {}", FormatAmount(e.amount),
                                           e.booked_on.ToString());
            if (!e.payer_name.empty()) text += " from " + e.payer_name;
            if (!e.match_reason.empty()) {
              text += fmt::format(" (matched by {}, confidence {})", e.match_reason, e.confidence);
            }
            return text;
          },
          [](const domain::PaymentAllocated& e) {
            std::string text = "payment " + FormatAmount(e.amount) + " allocated:";
            for (const auto& part : e.parts) {
              text += fmt::format(" {} to {} of claim {};", FormatAmount(part.amount), part.bucket,
                                  part.claim.value());
            }
            if (!e.surplus.is_zero()) text += " surplus " + FormatAmount(e.surplus);
            return text;
          },
          [](const domain::FeeCharged& e) {
            std::string text = fmt::format("fee charged: {} ({}) for work of {}", e.kind, e.course,
                                           e.date.ToString());
            if (e.charged) text += ", billed " + FormatAmount(*e.charged);
            return text;
          },
          [](const domain::PaymentHeld& e) {
            return fmt::format("{} held for refund ({})", FormatAmount(e.amount), e.reason);
          },
          [](const domain::MessageDelivery& e) {
            std::string text = fmt::format("{} {} (attempt {}, message {})", e.channel, e.state,
                                           e.attempt, e.message_key);
            if (!e.template_id.empty()) text += ", wording " + e.template_id;
            if (!e.detail.empty()) text += ": " + e.detail;
            return text;
          },
          [](const domain::MandateGiven& e) {
            return fmt::format("SEPA {} mandate {} given on {} for {} ({})", e.scheme,
                               e.mandate_ref, e.signed_on.ToString(), e.iban, e.holder);
          },
          [](const domain::MandateRevoked& e) {
            return fmt::format("mandate {} revoked from {}{}", e.mandate_ref, e.on.ToString(),
                               e.reason.empty() ? "" : ": " + e.reason);
          },
          [](const domain::DirectDebitCollected& e) {
            return fmt::format(
                "direct debit {} ({}) of {} for the instalment due {}, collected on {} "
                "(mandate {}, file {})",
                e.end_to_end_id, e.sequence, FormatAmount(e.amount), e.instalment_due.ToString(),
                e.collection_date.ToString(), e.mandate_ref, e.message_id);
          },
          [](const domain::DirectDebitReturned& e) {
            return fmt::format(
                "direct debit {} of {} returned on {} (reason {}){}", e.end_to_end_id,
                FormatAmount(e.amount), e.returned_on.ToString(), e.reason_code,
                e.payment_ref.empty() ? "" : ", the payment it settled no longer counts");
          },
          [](const domain::ContactPreferencesChanged& e) {
            std::string text = "contact preferences of " + e.on.ToString() + ":";
            text += e.opted_out.empty() ? " no opt-out" : " never by " + e.opted_out;
            if (!e.preferred.empty()) text += ", prefers " + e.preferred;
            if (e.earliest_minute >= 0 && e.latest_minute >= 0) {
              text +=
                  fmt::format(", only {:02}:{:02}-{:02}:{:02}", e.earliest_minute / 60,
                              e.earliest_minute % 60, e.latest_minute / 60, e.latest_minute % 60);
            }
            if (!e.source.empty()) text += " (" + e.source + ")";
            return text;
          },
          [](const domain::PortalAccessIssued&) {
            // The salt stays out of the readable history: with the server secret it gives the PIN.
            return std::string("portal access issued (a new PIN; earlier PINs no longer work)");
          },
          // Event types without their own wording yet show their type and payload.
          [&event](const auto&) {
            return std::string(domain::EventTypeName(event.payload)) + " " +
                   domain::PayloadToJson(event.payload);
          },
      },
      event.payload));
}

std::string FormatCaseDetail(const app::CaseView& view) {
  const auto& s = view.summary;
  const auto& c = view.customer;
  std::string out;
  out += fmt::format("Case {}  ({})\n", s.case_number, domain::CaseStatusName(view.state.status));
  out += fmt::format("Client     {} — {}\n", view.client.code, view.client.name);
  out +=
      fmt::format("Customer   {} ({}), customer no. {}\n", c.name, domain::CustomerKindName(c.kind),
                  c.customer_ref.starts_with("~") ? "(none given)" : c.customer_ref);
  out += fmt::format("           {}, {} {}, {}\n", c.address.street, c.address.postcode,
                     c.address.city, c.address.country);
  std::string contacts;
  for (const auto& e : c.emails) contacts += (contacts.empty() ? "" : " · ") + e;
  for (const auto& p : c.phones) contacts += (contacts.empty() ? "" : " · ") + p;
  if (!contacts.empty()) out += "           " + contacts + "\n";
  if (c.iban) out += "           IBAN " + c.iban->Printed() + "\n";
  out += fmt::format("Language   {}\n", c.language);
  out += fmt::format("Opened     {}\n", s.opened_on.ToString());
  out += fmt::format("Claims     {}, principal {}\n", view.state.claims.size(),
                     FormatAmount(view.state.PrincipalTotal()));
  for (const auto& claim : view.state.claims) {
    out += fmt::format("  {} {}  invoice {}  due {}  {}\n", Pad(claim.client_ref, 16),
                       Pad(Truncate(claim.reason, 34), 34), claim.invoice_date.ToString(),
                       claim.due_date.ToString(), FormatAmount(claim.principal));
  }
  for (const auto& note : view.state.notes) out += "Note       " + OneLine(note) + "\n";
  out += fmt::format("History    {} events, last hash {}\n", view.history.size(),
                     view.history.empty() ? "-" : ToHex(view.history.back().hash).substr(0, 16));
  return out;
}

std::string FormatHistory(const app::CaseView& view) {
  std::string out =
      fmt::format("History of case {} ({} events)\n", view.summary.case_number, view.events.size());
  for (std::size_t i = 0; i < view.events.size(); ++i) {
    const auto& e = view.events[i];
    out += fmt::format("#{:<3} {}  {}  by {}, recorded {}\n", e.seq, e.effective_date.ToString(),
                       Pad(view.history[i].type, 12), e.actor, e.recorded_at.ToString());
    out += "     " + DescribeEvent(e) + "\n";
  }
  return out;
}

std::string FormatCaseList(const std::vector<app::CaseSummary>& cases) {
  std::string out = fmt::format("{} {} {} {} {} {}\n", Pad("CASE", 13), Pad("STATUS", 7),
                                Pad("CUSTOMER", 30), Pad("TYPE", 9), Pad("CLAIMS", 6), "PRINCIPAL");
  for (const auto& c : cases) {
    out += fmt::format("{} {} {} {} {:>6} {:>16}\n", Pad(c.case_number, 13),
                       Pad(domain::CaseStatusName(c.status), 7),
                       Pad(Truncate(c.customer_name, 30), 30),
                       Pad(domain::CustomerKindName(c.customer_kind), 9), c.claim_count,
                       FormatAmount(c.principal));
  }
  out += fmt::format("{} case{}\n", cases.size(), cases.size() == 1 ? "" : "s");
  return out;
}

nlohmann::json MoneyJson(const domain::Money& money) {
  return {{"amount", money.ToDecimalString()}, {"currency", std::string(money.currency().code())}};
}

nlohmann::json CaseSummaryJson(const app::CaseSummary& s) {
  nlohmann::json j{{"case_number", s.case_number},
                   {"status", domain::CaseStatusName(s.status)},
                   {"customer_name", s.customer_name},
                   {"customer_type", domain::CustomerKindName(s.customer_kind)},
                   {"claim_count", s.claim_count},
                   {"principal", MoneyJson(s.principal)},
                   {"opened_on", s.opened_on.ToString()},
                   {"last_event", s.last_seq}};
  j["oldest_due_date"] =
      s.oldest_due_date ? nlohmann::json(s.oldest_due_date->ToString()) : nlohmann::json();
  return j;
}

nlohmann::json CaseDetailJson(const app::CaseView& view) {
  nlohmann::json j = CaseSummaryJson(view.summary);
  j["client"] = {{"code", view.client.code}, {"name", view.client.name}};
  const auto& c = view.customer;
  j["customer"] = {{"reference", c.customer_ref},
                   {"type", domain::CustomerKindName(c.kind)},
                   {"name", c.name},
                   {"address",
                    {{"street", c.address.street},
                     {"postcode", c.address.postcode},
                     {"city", c.address.city},
                     {"country", c.address.country}}},
                   {"emails", c.emails},
                   {"phones", c.phones},
                   {"language", c.language}};
  j["customer"]["iban"] = c.iban ? nlohmann::json(c.iban->electronic()) : nlohmann::json();
  j["claims"] = nlohmann::json::array();
  for (const auto& claim : view.state.claims) {
    nlohmann::json cj{{"client_reference", claim.client_ref},
                      {"reason", claim.reason},
                      {"invoice_date", claim.invoice_date.ToString()},
                      {"due_date", claim.due_date.ToString()},
                      {"default_basis", domain::DefaultBasisName(claim.default_basis)},
                      {"principal", MoneyJson(claim.principal)},
                      {"client_costs", MoneyJson(claim.client_costs)}};
    cj["default_date"] =
        claim.default_date ? nlohmann::json(claim.default_date->ToString()) : nlohmann::json();
    j["claims"].push_back(cj);
  }
  j["notes"] = view.state.notes;
  return j;
}

nlohmann::json HistoryJson(const app::CaseView& view) {
  nlohmann::json events = nlohmann::json::array();
  for (std::size_t i = 0; i < view.events.size(); ++i) {
    const auto& e = view.events[i];
    const auto& stored = view.history[i];
    events.push_back({{"seq", e.seq},
                      {"type", stored.type},
                      {"schema_version", stored.schema_version},
                      {"effective_date", e.effective_date.ToString()},
                      {"recorded_at", e.recorded_at.ToString()},
                      {"actor", e.actor},
                      {"description", DescribeEvent(e)},
                      {"payload", nlohmann::json::parse(stored.payload_json)},
                      {"hash", ToHex(stored.hash)}});
  }
  return {{"case_number", view.summary.case_number}, {"events", events}};
}

}  // namespace quitt::adapters::cli
