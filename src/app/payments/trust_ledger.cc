#include "app/payments/trust_ledger.h"

#include <map>

namespace quitt::app::payments {

std::string MinorToDecimal(std::int64_t minor) {
  const bool negative = minor < 0;
  const std::uint64_t magnitude =
      negative ? static_cast<std::uint64_t>(-(minor + 1)) + 1 : static_cast<std::uint64_t>(minor);
  std::string cents = std::to_string(magnitude % 100);
  if (cents.size() < 2) cents.insert(0, "0");
  return std::string(negative ? "-" : "") + std::to_string(magnitude / 100) + "." + cents;
}

Result<LedgerCheckReport> CheckLedger(CaseStore& store) {
  LedgerCheckReport report;
  QUITT_ASSIGN_OR_RETURN(JournalTotals totals, store.SumJournal());
  report.entries = totals.entries;
  report.lines = totals.lines;
  for (std::int64_t id : totals.unbalanced_journal_ids) {
    report.problems.push_back("journal entry " + std::to_string(id) + " does not balance");
  }
  std::map<std::string, LedgerBalances> by_currency;
  // (account, client, currency) → credit balance, for the per-client cross-checks.
  std::map<std::tuple<std::string, std::int64_t, std::string>, std::int64_t> credit_balance;
  for (const AccountTotal& total : totals.accounts) {
    report.total_debits += total.debit_minor;
    report.total_credits += total.credit_minor;
    LedgerBalances& b = by_currency[total.currency];
    b.currency = total.currency;
    const std::int64_t credit = total.credit_minor - total.debit_minor;
    credit_balance[{total.account, total.client.value(), total.currency}] += credit;
    if (total.account == kAccountTrustBank) {
      b.trust_bank -= credit;
    } else if (total.account == kAccountClientPayable) {
      b.client_payable += credit;
    } else if (total.account == kAccountAgencyFees) {
      b.agency_fees += credit;
    } else if (total.account == kAccountRefundsPayable) {
      b.refunds_payable += credit;
    } else if (total.account == kAccountSuspense) {
      b.suspense += credit;
    } else {
      report.problems.push_back("unknown account '" + total.account + "' in the journal");
    }
  }
  if (report.total_debits != report.total_credits) {
    report.problems.push_back("debits " + MinorToDecimal(report.total_debits) +
                              " differ from credits " + MinorToDecimal(report.total_credits));
  }
  for (auto& [currency, b] : by_currency) {
    const std::int64_t owed = b.client_payable + b.agency_fees + b.refunds_payable + b.suspense;
    if (b.trust_bank != owed) {
      report.problems.push_back(
          currency + ": trust account " + MinorToDecimal(b.trust_bank) +
          " differs from owed to clients " + MinorToDecimal(b.client_payable) +
          " + agency fees not withdrawn " + MinorToDecimal(b.agency_fees) + " + refunds held " +
          MinorToDecimal(b.refunds_payable) + " + unassigned " + MinorToDecimal(b.suspense));
    }
    report.balances.push_back(b);
  }
  for (const auto& [key, credit] : credit_balance) {
    const auto& [account, client, currency] = key;
    if (account != kAccountTrustBank && credit < 0) {
      report.problems.push_back(account + " of client " + std::to_string(client) +
                                " is negative (" + currency + " " + MinorToDecimal(credit) + ")");
    }
  }

  // Each liability equals the records it stands for.
  QUITT_ASSIGN_OR_RETURN(auto clients, store.ListClients());
  const domain::Date far_future = domain::Date::FromDaysSinceEpoch(2'932'896);  // 9999-12-31
  for (const domain::Client& client : clients) {
    QUITT_ASSIGN_OR_RETURN(auto splits, store.ListUnremittedSplits(client.id, far_future));
    std::map<std::string, std::int64_t> unremitted, fees_unused;
    for (const PaymentSplit& split : splits) {
      unremitted[std::string(split.to_client.currency().code())] += split.to_client.minor_units();
    }
    for (const auto& [currency, minor] : unremitted) {
      auto it = credit_balance.find({kAccountClientPayable, client.id.value(), currency});
      const std::int64_t booked = it == credit_balance.end() ? 0 : it->second;
      if (booked != minor) {
        report.problems.push_back("client " + client.code + ": client_payable " +
                                  MinorToDecimal(booked) + " differs from unremitted payments " +
                                  MinorToDecimal(minor) + " " + currency);
      }
    }
    for (const auto& [key, credit] : credit_balance) {
      const auto& [account, id, currency] = key;
      if (account == kAccountClientPayable && id == client.id.value() &&
          !unremitted.count(currency) && credit != 0) {
        report.problems.push_back("client " + client.code + ": client_payable " +
                                  MinorToDecimal(credit) + " " + currency +
                                  " without unremitted payments");
      }
    }
  }
  QUITT_ASSIGN_OR_RETURN(auto holds, store.ListOpenRefundHolds());
  std::map<std::string, std::int64_t> held;
  for (const RefundHold& hold : holds)
    held[std::string(hold.amount.currency().code())] += hold.amount.minor_units();
  std::int64_t suspense_entries = 0;
  std::map<std::string, std::int64_t> waiting;
  std::int64_t after = 0;
  while (true) {
    QUITT_ASSIGN_OR_RETURN(auto page, store.ListBankEntries(BankEntryState::kReview, after, 5000));
    if (page.empty()) break;
    for (const BankEntry& entry : page) {
      if (entry.credit && !entry.reversal) {
        waiting[std::string(entry.amount.currency().code())] += entry.amount.minor_units();
        ++suspense_entries;
      }
    }
    after = page.back().entry_id;
  }
  for (const LedgerBalances& b : report.balances) {
    if (b.refunds_payable != held[b.currency]) {
      report.problems.push_back(b.currency + ": refunds_payable " +
                                MinorToDecimal(b.refunds_payable) + " differs from open holds " +
                                MinorToDecimal(held[b.currency]));
    }
    if (b.suspense != waiting[b.currency]) {
      report.problems.push_back(b.currency + ": suspense " + MinorToDecimal(b.suspense) +
                                " differs from the review list " +
                                MinorToDecimal(waiting[b.currency]) + " (" +
                                std::to_string(suspense_entries) + " entries)");
    }
  }
  return report;
}

}  // namespace quitt::app::payments
