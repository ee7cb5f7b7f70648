#include "app/letters/letter_fixtures.h"

namespace quitt::app::letters {
namespace {

domain::Date D(int y, int m, int d) { return domain::Date::FromYmd(y, m, d).value(); }
domain::Money Eur(std::int64_t cents) {
  return domain::Money::FromMinorUnits(cents, domain::Currency::Eur());
}

}  // namespace

LetterModel SampleConsumerFirstReminder(const std::string& language, int claim_count) {
  const bool de = language == "de";
  LetterModel m;
  m.step = LetterStep::kFirstReminder;
  m.template_name = "de/b2c/first-notice-friendly";
  m.language = language;
  m.customer_kind = domain::CustomerKind::kConsumer;
  m.case_number = domain::CaseNumber::FromSequence(12345).value();
  m.letter_date = D(2026, 7, 1);
  m.deadline = D(2026, 7, 15);

  m.sender.address = {"quitt Inkasso GmbH", "Friedrichstraße 100", "10117", "Berlin", "DE"};
  m.sender.email = "service@quitt.example";
  m.sender.phone = "+49 30 1234567";
  m.sender.website = "quitt.example";
  // Sample data: since 1.1.2025 the Federal Office of Justice supervises registered collection
  // services (§ 19 RDG as amended); a real deployment configures its own authority.
  m.sender.authority_name = "Bundesamt für Justiz";
  m.sender.authority_address = "Adenauerallee 99–103, 53113 Bonn";
  m.sender.authority_contact = "www.bundesjustizamt.de";

  m.customer = {"Jürgen Müller", "Hauptstraße 5", "10115", "Berlin", "DE"};
  m.customer_email = "juergen.mueller@example.org";
  m.customer_phone = "+4915112345678";
  m.client.name = "Stadtwerke Beispielstadt GmbH";
  m.client.address =
      LetterAddress{"Stadtwerke Beispielstadt GmbH", "Am Markt 1", "12345", "Beispielstadt", "DE"};

  for (int i = 0; i < claim_count; ++i) {
    ClaimLine claim;
    claim.reference = "RE-2026-" + std::to_string(315 + i);
    claim.basis = ClaimBasis::kContract;
    claim.subject =
        de ? "Stromliefervertrag Nr. " + std::to_string(4711 + i) + ", Jahresabrechnung 2025"
           : "Electricity supply contract no. " + std::to_string(4711 + i) + ", annual bill 2025";
    claim.concluded_on = D(2024, 3, 1);
    claim.due_on = D(2026, 4, 15);
    claim.principal = Eur(40000);
    m.claims.push_back(claim);

    InterestPeriod period;
    period.principal = Eur(40000);
    period.from = D(2026, 4, 16);
    period.to = D(2026, 6, 30);
    period.days = 76;
    period.rate_basis_points = 627;  // base rate 1.27 (since 1.7.2025) + 5 points, § 288(1) BGB
    period.interest = Eur(522);      // 400.00 × 6.27 % × 76 / 365 = 5.2219
    period.legal_basis = "§ 288 Abs. 1 BGB";
    m.interest.push_back(period);
  }

  // 0.9 × 51.50 (RVG table from 1.6.2025) and Nr. 7002 VV RVG 20 %; VAT 19 % because the client
  // cannot deduct it (reference 3.6, 3.8).
  m.fees.push_back(
      FeeLine{de ? "Inkassovergütung (0,9 Geschäftsgebühr)" : "Collection fee (0.9 business fee)",
              Eur(4635), "§ 13e RDG i. V. m. Nr. 2300 VV RVG", Eur(881)});
  m.fees.push_back(FeeLine{
      de ? "Post- und Telekommunikationspauschale" : "Postage and telecommunication flat rate",
      Eur(927), "Nr. 7002 VV RVG", Eur(176)});
  m.client_cannot_deduct_vat = true;

  m.payments.push_back(
      PaymentLine{D(2026, 5, 20), Eur(5000), de ? "Überweisung" : "Bank transfer"});

  m.address_researched = true;
  m.address_research_source =
      de ? "Einwohnermeldeamt Berlin" : "Berlin residents' registration office";

  m.payment.account_holder = "quitt Inkasso GmbH Treuhandkonto";
  m.payment.iban = "DE89 3704 0044 0532 0130 00";
  m.payment.bic = "COBADEFFXXX";
  m.payment.rf_reference = domain::CreditorReference::Create("12345").value();
  m.payment.portal_url = "https://pay.quitt.example/c/Q000123456";
  m.payment.portal_pin = "482913";
  m.payment.instalments_offered = true;
  m.total_due = m.ComputedTotal();
  // EPC069-12 version 002 payload (BIC optional in the EEA), structured RF reference.
  m.payment.epc_qr_payload =
      "BCD\n002\n1\nSCT\nCOBADEFFXXX\nquitt Inkasso GmbH Treuhandkonto\n"
      "DE89370400440532013000\nEUR" +
      m.total_due.ToDecimalString() + "\n\n" + m.payment.rf_reference->electronic();
  return m;
}

}  // namespace quitt::app::letters
