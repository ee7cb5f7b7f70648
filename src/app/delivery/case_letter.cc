#include "app/delivery/case_letter.h"

#include "app/delivery/legal_texts.h"
#include "app/delivery/portal_access.h"
#include "app/letters/rdg13a.h"
#include "app/payments/case_ledger.h"
#include "app/payments/case_qr.h"

namespace quitt::app::delivery {

std::optional<letters::LetterStep> StepOfTemplate(const std::string& template_name) {
  if (template_name.empty()) return std::nullopt;
  if (template_name.find("first-notice") != std::string::npos) {
    return letters::LetterStep::kFirstReminder;
  }
  return letters::LetterStep::kSecondReminder;
}

Result<letters::LetterModel> LetterModelFromStatement(const CaseView& view,
                                                      const domain::Statement& statement,
                                                      letters::LetterStep step,
                                                      domain::Date letter_date,
                                                      const LetterSettings& settings) {
  letters::LetterModel m;
  m.step = step;
  m.language = view.customer.language.empty() ? "de" : view.customer.language;
  m.customer_kind = view.customer.kind;
  QUITT_ASSIGN_OR_RETURN(domain::CaseNumber number,
                         domain::CaseNumber::Parse(view.summary.case_number));
  m.case_number = number;
  m.letter_date = letter_date;
  m.deadline = letter_date.AddDays(settings.deadline_days);
  m.sender = settings.sender;

  const domain::PostalAddress& address = view.customer.address;
  m.customer = {view.customer.name, address.street, address.postcode, address.city,
                address.country};
  if (!view.customer.emails.empty()) m.customer_email = view.customer.emails.front();
  if (!view.customer.phones.empty()) m.customer_phone = view.customer.phones.front();

  m.client.name = view.client.name;
  if (auto it = settings.client_addresses.find(view.client.code);
      it != settings.client_addresses.end()) {
    m.client.address = it->second;
  }

  for (const domain::ClaimStatement& claim : statement.claims) {
    letters::ClaimLine line;
    line.reference = claim.client_ref;
    line.subject = claim.reason;
    line.concluded_on = claim.invoice_date;
    for (const domain::Claim& recorded : view.state.claims) {
      if (recorded.id == claim.claim && recorded.obligation_date) {
        line.concluded_on = *recorded.obligation_date;
      }
    }
    line.due_on = claim.due_date;
    line.principal = claim.principal;
    m.claims.push_back(line);
    for (const domain::InterestLine& interest : claim.interest_lines) {
      letters::InterestPeriod period;
      period.principal = interest.principal;
      period.from = interest.from;
      period.to = interest.to;
      period.days = interest.days;
      period.rate_basis_points = interest.rate_bp;
      period.interest = interest.interest;
      period.legal_basis = LegalBasisWords(interest.basis.rule, m.language);
      m.interest.push_back(period);
    }
    for (const domain::FeeLine& cost : claim.claim_costs) {
      m.fees.push_back({CostKindWords(cost, m.language), cost.amount,
                        LegalBasisWords(cost.basis.rule, m.language),
                        domain::Money::Zero(cost.amount.currency())});
    }
  }
  // VAT on collection costs is its own statement line; the letter shows it beside the fee it is
  // charged on, which is where § 13a(1) Nr. 6 RDG wants the notice.
  for (const domain::FeeLine& cost : statement.collection_costs) {
    if (cost.kind == domain::CostKind::kVat && !m.fees.empty()) {
      m.fees.back().vat = m.fees.back().vat + cost.amount;
      continue;
    }
    m.fees.push_back({CostKindWords(cost, m.language), cost.amount,
                      LegalBasisWords(cost.basis.rule, m.language),
                      domain::Money::Zero(cost.amount.currency())});
  }
  for (const letters::FeeLine& fee : m.fees) {
    if (!fee.vat.is_zero()) m.client_cannot_deduct_vat = true;
  }
  m.client_cannot_deduct_vat = m.client_cannot_deduct_vat || settings.client_cannot_deduct_vat;
  for (const domain::PaymentAllocation& payment : statement.payments) {
    // A surplus is kept apart for refund and is not part of what the customer paid off.
    m.payments.push_back({payment.date, payment.amount - payment.surplus, payment.payment_ref});
  }
  m.total_due = statement.total_due;

  m.payment.account_holder = settings.trust_account.name;
  m.payment.iban = settings.trust_account.iban;
  m.payment.bic = settings.trust_account.bic;
  QUITT_ASSIGN_OR_RETURN(m.payment.rf_reference, payments::CaseReference(view.summary.case_number));
  if (!statement.total_due.is_zero() && !settings.trust_account.iban.empty()) {
    auto qr = payments::BuildCaseQr(statement, view.summary.case_number, settings.trust_account);
    if (!qr.ok()) return qr.error().WithContext("EPC QR code");
    m.payment.epc_qr_payload = qr->payload;
  }
  m.payment.portal_url = settings.portal_url.empty()
                             ? std::string()
                             : settings.portal_url + "/" + view.summary.case_number;
  // Derived from the server secret and the case's random salt (portal_access.h); empty (and so
  // refused by CheckLetterModel) until both exist.
  m.payment.portal_pin.clear();
  if (!settings.portal_secret.empty() && !view.state.portal_salt.empty()) {
    m.payment.portal_pin =
        PortalPin(settings.portal_secret, view.summary.case_number, view.state.portal_salt);
  }
  return m;
}

Result<letters::LetterModel> BuildCaseLetter(const domain::Jurisdiction& jurisdiction,
                                             const CaseView& view, letters::LetterStep step,
                                             domain::Date letter_date,
                                             const LetterSettings& settings) {
  payments::StatementOptions options;
  options.as_of = letter_date;
  options.allow_provisional_base_rate = settings.allow_provisional_base_rate;
  options.client_can_deduct_vat = !settings.client_cannot_deduct_vat;
  QUITT_ASSIGN_OR_RETURN(domain::Statement statement,
                         payments::BuildCaseStatement(jurisdiction, view, options));
  QUITT_ASSIGN_OR_RETURN(letters::LetterModel model,
                         LetterModelFromStatement(view, statement, step, letter_date, settings));
  QUITT_RETURN_IF_ERROR(letters::CheckLetterModel(model));
  const auto findings = letters::CheckRdg13aModel(model);
  if (!findings.empty()) {
    std::string message = "the first letter to a consumer lacks";
    for (const auto& finding : findings) {
      message +=
          std::string(" ") + letters::Rdg13aItemName(finding.item) + ": " + finding.detail + ";";
    }
    return FailedPrecondition(message);
  }
  return model;
}

}  // namespace quitt::app::delivery
