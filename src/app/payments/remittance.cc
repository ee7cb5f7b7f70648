#include "app/payments/remittance.h"

#include <algorithm>

#include "app/payments/trust_ledger.h"

namespace quitt::app::payments {

using domain::Money;

namespace {

std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  return quoted + "\"";
}

std::string Compact(domain::Date date) {
  std::string text = date.ToString();
  text.erase(std::remove(text.begin(), text.end(), '-'), text.end());
  return text;
}

JournalEntry Transfer(domain::ClientId client, domain::Date date, const std::string& kind,
                      const std::string& reference, const std::string& memo, const char* from,
                      const Money& amount) {
  JournalEntry entry;
  entry.client = client;
  entry.date = date;
  entry.kind = kind;
  entry.reference = reference;
  entry.memo = memo;
  entry.currency = amount.currency().code();
  entry.lines.push_back({from, client, amount.minor_units(), 0});
  entry.lines.push_back({kAccountTrustBank, client, 0, amount.minor_units()});
  return entry;
}

}  // namespace

bool RemittanceDue(RemittanceRhythm rhythm, const std::optional<domain::Date>& last,
                   domain::Date as_of) {
  if (!last) return true;
  switch (rhythm) {
    case RemittanceRhythm::kDaily: return *last < as_of;
    case RemittanceRhythm::kWeekly: return last->AddDays(7) <= as_of;
    case RemittanceRhythm::kMonthly:
      return last->year() * 12 + last->month() < as_of.year() * 12 + as_of.month();
  }
  return true;
}

std::string RemittanceCsv(const domain::Client& client, const std::vector<PaymentSplit>& splits,
                          domain::Date as_of) {
  std::string csv =
      "client,case_number,payment_ref,date,amount,principal,interest,costs,commission,"
      "agency_costs,to_client,currency\n";
  std::int64_t amount = 0, principal = 0, interest = 0, costs = 0, commission = 0, agency_costs = 0,
               to_client = 0;
  std::string currency = "EUR";
  for (const PaymentSplit& s : splits) {
    currency = s.amount.currency().code();
    csv += CsvField(client.code) + "," + s.case_number + "," + CsvField(s.payment_ref) + "," +
           s.date.ToString() + "," + s.amount.ToDecimalString() + "," +
           s.principal.ToDecimalString() + "," + s.interest.ToDecimalString() + "," +
           s.costs.ToDecimalString() + "," + s.commission.ToDecimalString() + "," +
           s.agency_costs.ToDecimalString() + "," + s.to_client.ToDecimalString() + "," + currency +
           "\n";
    amount += s.amount.minor_units();
    principal += s.principal.minor_units();
    interest += s.interest.minor_units();
    costs += s.costs.minor_units();
    commission += s.commission.minor_units();
    agency_costs += s.agency_costs.minor_units();
    to_client += s.to_client.minor_units();
  }
  csv += CsvField(client.code) + ",total," + std::to_string(splits.size()) + " payments," +
         as_of.ToString() + "," + MinorToDecimal(amount) + "," + MinorToDecimal(principal) + "," +
         MinorToDecimal(interest) + "," + MinorToDecimal(costs) + "," + MinorToDecimal(commission) +
         "," + MinorToDecimal(agency_costs) + "," + MinorToDecimal(to_client) + "," + currency +
         "\n";
  return csv;
}

Result<RemitReport> Remit(CaseStore& store, Clock& clock, const RemitOptions& options,
                          const std::function<Status(const PayoutFile&)>& write_file) {
  RemitReport report;
  QUITT_ASSIGN_OR_RETURN(auto transaction, store.Begin());
  const domain::Timestamp now = clock.Now();
  PayoutFile file;
  file.message_id = "QUITT-" + Compact(options.as_of) + "-" +
                    std::to_string(now.unix_micros() % 1'000'000'000'000);
  file.created_at = now;
  file.execution_date = options.as_of;
  file.initiating_party = options.agency_name;
  file.trust_account = options.trust_account;

  QUITT_ASSIGN_OR_RETURN(auto clients, store.ListClients());
  for (const domain::Client& client : clients) {
    QUITT_ASSIGN_OR_RETURN(auto splits, store.ListUnremittedSplits(client.id, options.as_of));
    if (splits.empty()) continue;
    QUITT_ASSIGN_OR_RETURN(auto terms, store.FindClientTerms(client.id));
    if (!terms || terms->payout_iban.empty()) {
      report.skipped.push_back(client.code + ": no payout account (quitt client terms " +
                               client.code + " --payout-iban IBAN --payout-name NAME)");
      continue;
    }
    QUITT_ASSIGN_OR_RETURN(auto earlier, store.ListRemittances(client.id));
    std::optional<domain::Date> last;
    for (const Remittance& r : earlier) {
      if (!last || *last < r.as_of) last = r.as_of;
    }
    if (!options.ignore_rhythm && !RemittanceDue(terms->rhythm, last, options.as_of)) {
      report.skipped.push_back(client.code + ": " + RemittanceRhythmName(terms->rhythm) +
                               " rhythm, last remitted " + last->ToString());
      continue;
    }
    const domain::Currency currency = splits.front().amount.currency();
    Remittance remittance;
    remittance.client = client.id;
    remittance.as_of = options.as_of;
    remittance.total = remittance.commission = remittance.agency_costs = Money::Zero(currency);
    std::vector<std::int64_t> ids;
    for (const PaymentSplit& split : splits) {
      if (split.amount.currency() != currency) {
        return FailedPrecondition("client " + client.code +
                                  " has payments in several currencies; remit them separately");
      }
      remittance.total += split.to_client;
      remittance.commission += split.commission;
      remittance.agency_costs += split.agency_costs;
      ids.push_back(split.split_id);
    }
    if (remittance.total.minor_units() < terms->min_remittance_minor) {
      report.skipped.push_back(client.code + ": " + remittance.total.ToDecimalString() +
                               " is below the minimum remittance");
      continue;
    }
    remittance.items = static_cast<int>(splits.size());
    remittance.message_id = file.message_id;
    remittance.created_at = now;
    QUITT_RETURN_IF_ERROR(store.AddRemittance(remittance, ids));
    const std::string rid = std::to_string(remittance.remittance_id);
    if (remittance.total.is_positive()) {
      JournalEntry entry =
          Transfer(client.id, options.as_of, "remittance", "remittance:" + rid,
                   "remittance to " + client.code, kAccountClientPayable, remittance.total);
      QUITT_RETURN_IF_ERROR(store.AddJournalEntry(entry));
      file.transfers.push_back({"QUITT-REM-" + rid,
                                remittance.total,
                                {terms->payout_name.empty() ? client.name : terms->payout_name,
                                 terms->payout_iban, terms->payout_bic},
                                "Auskehrung " + client.code + " bis " + options.as_of.ToString() +
                                    ", " + std::to_string(remittance.items) + " Zahlungen"});
    }
    const Money fees = remittance.commission + remittance.agency_costs;
    if (options.operating_account && fees.is_positive()) {
      JournalEntry entry =
          Transfer(client.id, options.as_of, "fee_withdrawal", "fees:" + rid,
                   "agency fees from payments of " + client.code, kAccountAgencyFees, fees);
      QUITT_RETURN_IF_ERROR(store.AddJournalEntry(entry));
      file.transfers.push_back({"QUITT-FEE-" + rid, fees, *options.operating_account,
                                "Provision und Kosten " + client.code + " Auskehrung " + rid});
    }
    ClientRemittance done;
    done.client = client;
    done.remittance = remittance;
    done.csv = RemittanceCsv(client, splits, options.as_of);
    done.splits = std::move(splits);
    report.clients.push_back(std::move(done));
  }

  if (options.pay_refunds) {
    QUITT_ASSIGN_OR_RETURN(auto holds, store.ListOpenRefundHolds());
    std::vector<RefundHold> paying;
    for (const RefundHold& hold : holds) {
      if (hold.date > options.as_of) continue;
      if (hold.payer_iban.empty()) {
        report.skipped.push_back("refund of " + hold.amount.ToDecimalString() + " for " +
                                 hold.case_number + ": the payer's IBAN is unknown");
        continue;
      }
      const std::string hid = std::to_string(hold.hold_id);
      JournalEntry entry = Transfer(hold.client, options.as_of, "refund", "refund:" + hid,
                                    "refund " + hold.reason + " " + hold.case_number,
                                    kAccountRefundsPayable, hold.amount);
      QUITT_RETURN_IF_ERROR(store.AddJournalEntry(entry));
      file.transfers.push_back(
          {"QUITT-REF-" + hid,
           hold.amount,
           {hold.payer_name.empty() ? "Zahler" : hold.payer_name, hold.payer_iban, ""},
           std::string(hold.reason == "overpayment" ? "Erstattung Ueberzahlung "
                                                    : "Erstattung Zahlung ") +
               hold.case_number});
      paying.push_back(hold);
    }
    QUITT_RETURN_IF_ERROR(store.MarkRefunded(paying, file.message_id));
    report.refunds = std::move(paying);
  }

  if (!file.transfers.empty()) {
    QUITT_RETURN_IF_ERROR(write_file(file));
    report.file = std::move(file);
  }
  QUITT_RETURN_IF_ERROR(transaction->Commit());
  return report;
}

}  // namespace quitt::app::payments
