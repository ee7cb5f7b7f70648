// Money commands (issue 5): case statement / qr / fee, bank import / review / assign, ledger check,
// client terms, remit. The use cases are in app/payments; this file parses options, reads and
// writes files and prints.
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "adapters/banking/pain_writer.h"
#include "adapters/banking/qr_render.h"
#include "adapters/banking/statement_reader.h"
#include "adapters/cli/command_context.h"
#include "app/payments/bank_import.h"
#include "app/payments/case_ledger.h"
#include "app/payments/case_qr.h"
#include "app/payments/direct_debit.h"
#include "app/payments/posting.h"
#include "app/payments/remittance.h"
#include "app/payments/trust_ledger.h"
#include "app/statement/statement_json.h"
#include "app/statement/statement_text.h"
#include "common/text.h"
#include "domain/iban.h"
#include "domain/jurisdiction/de/germany.h"

namespace quitt::adapters::cli {

namespace {

namespace payments = app::payments;

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

struct MoneyOptions {
  std::string case_number, as_of, file, png, svg, day_count = "act/365", out_dir = ".";
  bool as_json = false, allow_provisional = false, show_all = false, ignore_rhythm = false,
       no_refunds = false;
  std::int64_t entry_id = 0;
  std::string actor = Env("USER").empty() ? "user:cli" : "user:" + Env("USER");
  // The agency's accounts (also from $QUITT_TRUST_IBAN, $QUITT_TRUST_NAME, $QUITT_TRUST_BIC,
  // $QUITT_OPERATING_IBAN).
  std::string trust_iban = Env("QUITT_TRUST_IBAN"), trust_name = Env("QUITT_TRUST_NAME"),
              trust_bic = Env("QUITT_TRUST_BIC"), operating_iban = Env("QUITT_OPERATING_IBAN"),
              agency_name = Env("QUITT_AGENCY_NAME");
  // client terms
  std::string client_code, commission, keeps_costs, bears_costs, vat_deductible, rhythm,
      min_remittance, payout_iban, payout_name, payout_bic;
  // fee
  std::string fee_date, fee_course = "regular", fee_kind = "business_fee", fee_charged, fee_ref;
  // SEPA mandates and direct debit (creditor id also from $QUITT_CREDITOR_ID)
  std::string mandate_ref, signed_on, mandate_iban, mandate_bic, holder,
      scheme = "CORE", revoke_on, reason, out_file, creditor_id = Env("QUITT_CREDITOR_ID");
  int lookahead_days = 7, pre_notification_days = 14;
};

Result<domain::Date> ParseDateOption(const std::string& text, const char* option) {
  auto date = domain::Date::Parse(text);
  if (!date) return InvalidArgument(std::string(option) + ": " + date.error().message());
  return *date;
}

Result<bool> ParseYesNo(const std::string& text, const char* option) {
  const std::string t = ToLowerAscii(Trim(text));
  if (t == "yes" || t == "true" || t == "1") return true;
  if (t == "no" || t == "false" || t == "0") return false;
  return InvalidArgument(std::string(option) + ": '" + text + "' is not yes or no");
}

// "15" or "12.5" percent → basis points, exactly (no floating point).
Result<std::int32_t> ParsePercentBp(const std::string& text) {
  auto hundredths = domain::Money::Parse(Trim(text), domain::Currency::Eur());
  if (!hundredths || hundredths->is_negative() || hundredths->minor_units() > 10000) {
    return InvalidArgument("--commission-percent: '" + text + "' is not a percentage 0..100");
  }
  return static_cast<std::int32_t>(hundredths->minor_units());
}

Result<payments::PayoutAccount> TrustAccount(const MoneyOptions& o) {
  if (o.trust_iban.empty()) {
    return InvalidArgument(
        "the trust account is not configured: give --trust-iban (or set "
        "QUITT_TRUST_IBAN)");
  }
  QUITT_ASSIGN_OR_RETURN(auto iban, domain::Iban::Parse(o.trust_iban));
  return payments::PayoutAccount{
      o.trust_name.empty() ? "quitt Inkasso Treuhandkonto" : o.trust_name, iban.electronic(),
      o.trust_bic};
}

void AddAgencyOptions(CLI::App* command, MoneyOptions& o) {
  command->add_option("--trust-iban", o.trust_iban,
                      "IBAN of the trust account ($QUITT_TRUST_IBAN)");
  command->add_option("--trust-name", o.trust_name,
                      "Holder of the trust account ($QUITT_TRUST_NAME)");
  command->add_option("--trust-bic", o.trust_bic, "BIC of the trust account ($QUITT_TRUST_BIC)");
}

std::string ProvisionalNote() {
  return "note: --allow-provisional-base-rate: the base-rate table ends with the last published "
         "half-year; interest after it uses the last known rate and is marked provisional\n";
}

bool HasProvisionalLines(const domain::Statement& statement) {
  for (const auto& claim : statement.claims) {
    for (const auto& line : claim.interest_lines) {
      if (line.provisional) return true;
    }
  }
  return false;
}

std::string Short(const std::string& text, std::size_t width) {
  std::string one_line = text;
  for (char& c : one_line) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (one_line.size() <= width) return one_line;
  std::size_t cut = width - 1;
  while (cut > 0 && (static_cast<unsigned char>(one_line[cut]) & 0xC0) == 0x80) --cut;
  return one_line.substr(0, cut) + "…";
}

nlohmann::json EntryJson(const app::BankEntry& e) {
  return {{"entry_id", e.entry_id},
          {"key", e.entry_key},
          {"booking_date", e.booking_date.ToString()},
          {"amount",
           {{"amount", e.amount.ToDecimalString()},
            {"currency", std::string(e.amount.currency().code())}}},
          {"direction", e.credit ? "CRDT" : "DBIT"},
          {"reversal", e.reversal},
          {"payer", e.counterparty_name},
          {"payer_iban", e.counterparty_iban},
          {"remittance", e.remittance},
          {"state", app::BankEntryStateName(e.state)},
          {"case_number", e.case_number},
          {"match_reason", e.match_reason},
          {"confidence", e.confidence},
          {"explanation", e.explanation},
          {"candidates", e.candidates}};
}

std::string EntryLine(const app::BankEntry& e) {
  return fmt::format("{:>6} {} {:>12} {} {:<13} {:<14} {:>3} {}\n", e.entry_id,
                     e.booking_date.ToString(), e.amount.ToDecimalString(), e.credit ? "CR" : "DR",
                     app::BankEntryStateName(e.state), e.case_number.empty() ? "-" : e.case_number,
                     e.confidence, Short(e.explanation, 90));
}

Status WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Unavailable("cannot write " + path);
  out << bytes;
  out.close();
  if (!out) return Unavailable("writing " + path + " failed");
  return OkStatus();
}

// A file the bank must receive exactly when the run that made it committed: written to
// "<path>.partial" and fsynced before the commit, renamed to `path` only after it. A crash leaves
// at most the .partial file, which no later run overwrites (it may hold committed collections).
Status WritePartial(const std::string& path, const std::string& bytes) {
  const std::string partial = path + ".partial";
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    return AlreadyExists(path + " exists already: give another --out (it is never overwritten)");
  }
  const int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    if (errno == EEXIST) {
      return AlreadyExists(partial +
                           " exists: an earlier run stopped before finishing it; check whether "
                           "its collections were recorded, then rename or delete it");
    }
    return Unavailable("cannot write " + partial + ": " + std::strerror(errno));
  }
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  const bool ok = done == bytes.size() && ::fsync(fd) == 0;
  const int saved = errno;
  ::close(fd);
  if (!ok) {
    ::unlink(partial.c_str());
    return Unavailable("writing " + partial + " failed: " + std::strerror(saved));
  }
  return OkStatus();
}

// After the commit: "<path>.partial" becomes `path` (link + unlink, so an existing file is never
// replaced), and the folder is fsynced so the name survives a crash.
Status PublishPartial(const std::string& path) {
  const std::string partial = path + ".partial";
  if (::link(partial.c_str(), path.c_str()) != 0) {
    return Unavailable("the run is recorded, but " + partial + " could not be renamed to " + path +
                       ": " + std::strerror(errno) + "; rename it by hand");
  }
  ::unlink(partial.c_str());
  std::string folder = std::filesystem::path(path).parent_path().string();
  if (folder.empty()) folder = ".";
  const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return OkStatus();
}

banking::SepaAccount SepaOf(const payments::PayoutAccount& account) {
  banking::SepaAccount sepa;
  sepa.name = account.name;
  sepa.iban = account.iban;
  sepa.bic = account.bic;
  return sepa;
}

}  // namespace

void RegisterMoneyCommands(CLI::App& app, CommandContext& context) {
  auto& o = context.Own<MoneyOptions>();
  static const domain::de::Germany kGermany;

  // --- quitt case statement | qr | fee ----------------------------------------------------
  CLI::App* case_cmd = app.get_subcommand("case");
  auto* statement_cmd =
      case_cmd->add_subcommand("statement", "Statement of account (§ 13a RDG) as of a date");
  statement_cmd->add_option("case", o.case_number, "Case number")->required();
  statement_cmd->add_option("--as-of", o.as_of, "Date of the statement (YYYY-MM-DD)")->required();
  statement_cmd->add_flag("--json", o.as_json, "Print JSON");
  statement_cmd->add_flag("--allow-provisional-base-rate", o.allow_provisional,
                          "Carry the last published base rate forward (lines marked provisional)");
  statement_cmd->add_option("--day-count", o.day_count, "act/365 (default), act/act or 30/360")
      ->check(CLI::IsMember({"act/365", "act/act", "30/360"}));
  statement_cmd->callback(context.Run([&] {
    auto as_of = ParseDateOption(o.as_of, "--as-of");
    if (!as_of) return context.Fail(as_of.error());
    auto view = app::LoadCase(context.store(), o.case_number);
    if (!view) return context.Fail(view.error());
    auto terms = context.store().FindClientTerms(view->summary.client);
    if (!terms) return context.Fail(terms.error());
    payments::StatementOptions options;
    options.as_of = *as_of;
    options.allow_provisional_base_rate = o.allow_provisional;
    options.day_count = *domain::ParseDayCount(o.day_count);
    options.client_can_deduct_vat = *terms ? (*terms)->client_can_deduct_vat : true;
    auto statement = payments::BuildCaseStatement(kGermany, *view, options);
    if (!statement) {
      if (!o.allow_provisional &&
          statement.error().message().find("base rate") != std::string::npos)
        context.err() << "hint: add --allow-provisional-base-rate to carry the last published "
                         "base rate forward\n";
      return context.Fail(statement.error());
    }
    if (o.as_json) {
      nlohmann::json json = app::StatementToJson(*statement);
      json["case_number"] = view->summary.case_number;
      json["provisional_base_rate_allowed"] = o.allow_provisional;
      json["has_provisional_lines"] = HasProvisionalLines(*statement);
      if (auto reference = payments::CaseReference(view->summary.case_number); reference.ok())
        json["creditor_reference"] = reference->Printed();
      context.out() << json.dump(2) << "\n";
    } else {
      context.out() << "Case " << view->summary.case_number << " — " << view->customer.name << "\n";
      if (auto reference = payments::CaseReference(view->summary.case_number); reference.ok())
        context.out() << "Payment reference: " << reference->Printed() << "\n";
      context.out() << app::RenderStatementText(*statement);
      if (o.allow_provisional) context.out() << ProvisionalNote();
    }
    return kExitOk;
  }));

  auto* qr_cmd = case_cmd->add_subcommand("qr", "EPC QR code (GiroCode) for the amount due");
  qr_cmd->add_option("case", o.case_number, "Case number")->required();
  qr_cmd->add_option("--as-of", o.as_of, "Date of the amount due (default: today)");
  qr_cmd->add_option("--png", o.png, "Write a PNG image here");
  qr_cmd->add_option("--svg", o.svg, "Write an SVG image here");
  qr_cmd->add_flag("--allow-provisional-base-rate", o.allow_provisional,
                   "Carry the last published base rate forward (lines marked provisional)");
  AddAgencyOptions(qr_cmd, o);
  qr_cmd->callback(context.Run([&] {
    if (o.png.empty() && o.svg.empty())
      return context.Fail(InvalidArgument("give --png FILE or --svg FILE"));
    auto trust = TrustAccount(o);
    if (!trust) return context.Fail(trust.error());
    domain::Date as_of = context.today();
    if (!o.as_of.empty()) {
      auto parsed = ParseDateOption(o.as_of, "--as-of");
      if (!parsed) return context.Fail(parsed.error());
      as_of = *parsed;
    }
    auto view = app::LoadCase(context.store(), o.case_number);
    if (!view) return context.Fail(view.error());
    payments::StatementOptions options;
    options.as_of = as_of;
    options.allow_provisional_base_rate = o.allow_provisional;
    auto statement = payments::BuildCaseStatement(kGermany, *view, options);
    if (!statement) return context.Fail(statement.error());
    auto qr = payments::BuildCaseQr(*statement, view->summary.case_number, *trust);
    if (!qr) return context.Fail(qr.error());
    auto matrix = banking::EncodeQr(qr->payload);
    if (!matrix) return context.Fail(matrix.error());
    if (!o.png.empty()) {
      auto png = banking::RenderQrPng(*matrix);
      if (!png) return context.Fail(png.error());
      if (Status s = WriteFile(o.png, *png); !s.ok()) return context.Fail(s);
    }
    if (!o.svg.empty()) {
      if (Status s = WriteFile(o.svg, banking::RenderQrSvg(*matrix)); !s.ok())
        return context.Fail(s);
    }
    context.out() << fmt::format("QR code for case {}: {} EUR due as of {}, reference {}\n",
                                 view->summary.case_number, qr->amount.ToDecimalString(),
                                 as_of.ToString(), qr->reference);
    if (HasProvisionalLines(*statement)) context.out() << ProvisionalNote();
    return kExitOk;
  }));

  auto* fee_cmd = case_cmd->add_subcommand("fee", "Charge collection work (Nr. 2300 VV RVG)");
  fee_cmd->add_option("case", o.case_number, "Case number")->required();
  fee_cmd->add_option("--date", o.fee_date, "Day the work was done (picks the fee table)")
      ->required();
  fee_cmd
      ->add_option("--course", o.fee_course,
                   "paid_on_first_demand, regular, extensive_or_difficult or disputed")
      ->capture_default_str();
  fee_cmd->add_option("--kind", o.fee_kind, "business_fee or settlement_fee")
      ->check(CLI::IsMember({"business_fee", "settlement_fee"}))
      ->capture_default_str();
  fee_cmd->add_option("--charged", o.fee_charged, "What the agency bills (capped by law)");
  fee_cmd->add_option("--ref", o.fee_ref, "Reference of the fee (default: fee-<date>)");
  fee_cmd->callback(context.Run([&] {
    auto date = ParseDateOption(o.fee_date, "--date");
    if (!date) return context.Fail(date.error());
    domain::FeeCharged fee;
    fee.fee_ref = o.fee_ref.empty() ? "fee-" + date->ToString() : o.fee_ref;
    fee.date = *date;
    fee.kind = o.fee_kind;
    fee.course = o.fee_course;
    if (!o.fee_charged.empty()) {
      auto charged = domain::Money::Parse(o.fee_charged, domain::Currency::Eur());
      if (!charged) return context.Fail(charged.error().WithContext("--charged"));
      fee.charged = *charged;
    }
    if (auto check = payments::FeeEventOf(fee); !check) return context.Fail(check.error());
    auto summary =
        app::AppendToCase(context.store(), context.clock(), o.case_number, {fee}, o.actor, *date);
    if (!summary) return context.Fail(summary.error());
    context.out() << fmt::format("fee {} recorded on case {} as event {}\n", fee.fee_ref,
                                 summary->case_number, summary->last_seq);
    return kExitOk;
  }));

  // --- quitt bank import | review | assign ---------------------------------------------------
  auto* bank_cmd = app.add_subcommand("bank", "Bank statements: import, review, assign");
  bank_cmd->require_subcommand(1);
  auto* import_cmd = bank_cmd->add_subcommand(
      "import", "Read a camt.053/camt.054/MT940 file, match and post its payments");
  import_cmd->add_option("file", o.file, "Statement file")->required();
  import_cmd->add_flag("--allow-provisional-base-rate", o.allow_provisional,
                       "Allocate payments after the last published base rate with the last "
                       "known rate (interest marked provisional); without it such payments wait "
                       "on the review list");
  import_cmd->add_flag("--json", o.as_json, "Print JSON");
  import_cmd->callback(context.Run([&] {
    auto statements = banking::ReadStatementFile(o.file);
    if (!statements) return context.Fail(statements.error());
    payments::BankImportOptions options;
    options.source = std::filesystem::path(o.file).filename().string();
    options.allow_provisional_base_rate = o.allow_provisional;
    auto report = payments::ImportBankStatements(context.store(), context.clock(), kGermany,
                                                 *statements, options);
    if (!report) return context.Fail(report.error());
    if (o.as_json) {
      nlohmann::json entries = nlohmann::json::array();
      for (const auto& e : report->new_entries) entries.push_back(EntryJson(e));
      context.out() << nlohmann::json{{"read", report->read},
                                      {"already_known", report->already_known},
                                      {"posted", report->posted},
                                      {"held", report->held},
                                      {"review", report->review},
                                      {"not_incoming", report->not_incoming},
                                      {"cases_closed", report->cases_closed},
                                      {"overpayments", report->overpayments},
                                      {"entries", entries}}
                           .dump(2)
                    << "\n";
    } else {
      for (const auto& e : report->new_entries) context.out() << EntryLine(e);
      context.out() << fmt::format(
          "{}: {} entries read, {} already known; {} posted, {} held for refund, {} to review, "
          "{} not incoming; {} cases paid in full, {} overpayments\n",
          options.source, report->read, report->already_known, report->posted, report->held,
          report->review, report->not_incoming, report->cases_closed, report->overpayments);
      if (report->direct_debit_returns > 0) {
        context.out() << report->direct_debit_returns
                      << " returned direct debits reversed (instalments unpaid again)\n";
      }
      if (o.allow_provisional) context.out() << ProvisionalNote();
    }
    return kExitOk;
  }));

  auto* review_cmd = bank_cmd->add_subcommand("review", "Entries waiting for an agent");
  review_cmd->add_flag("--all", o.show_all, "Every stored entry, not only the review list");
  review_cmd->add_flag("--json", o.as_json, "Print JSON");
  review_cmd->callback(context.Run([&] {
    std::optional<app::BankEntryState> state;
    if (!o.show_all) state = app::BankEntryState::kReview;
    nlohmann::json entries = nlohmann::json::array();
    std::int64_t after = 0, count = 0;
    while (true) {
      auto page = context.store().ListBankEntries(state, after, 1000);
      if (!page) return context.Fail(page.error());
      if (page->empty()) break;
      for (const auto& e : *page) {
        ++count;
        if (o.as_json) {
          entries.push_back(EntryJson(e));
        } else {
          context.out() << EntryLine(e);
          context.out() << fmt::format("       payer: {} {}; text: {}{}\n",
                                       e.counterparty_name.empty() ? "-" : e.counterparty_name,
                                       e.counterparty_iban, Short(e.remittance, 70),
                                       e.candidates.empty() ? "" : "; candidates: " + e.candidates);
        }
      }
      after = page->back().entry_id;
    }
    if (o.as_json) {
      context.out() << entries.dump(2) << "\n";
    } else {
      context.out() << fmt::format("{} {}\n", count,
                                   o.show_all ? "entries"
                                              : "entries to review (quitt bank assign "
                                                "ENTRY CASE)");
    }
    return kExitOk;
  }));

  auto* assign_cmd =
      bank_cmd->add_subcommand("assign", "Post an entry of the review list to a case");
  assign_cmd->add_option("entry", o.entry_id, "Entry number (from quitt bank review)")->required();
  assign_cmd->add_option("case", o.case_number, "Case number")->required();
  assign_cmd->add_option("--actor", o.actor, "Who decides")->capture_default_str();
  assign_cmd->add_flag("--allow-provisional-base-rate", o.allow_provisional,
                       "Carry the last published base rate forward (lines marked provisional)");
  assign_cmd->callback(context.Run([&] {
    payments::AssignOptions options;
    options.actor = o.actor;
    options.allow_provisional_base_rate = o.allow_provisional;
    auto entry = payments::AssignBankEntry(context.store(), context.clock(), kGermany, o.entry_id,
                                           o.case_number, options);
    if (!entry) return context.Fail(entry.error());
    context.out() << fmt::format("entry {} ({} EUR) assigned to case {}: {}\n", entry->entry_id,
                                 entry->amount.ToDecimalString(), entry->case_number,
                                 app::BankEntryStateName(entry->state));
    return kExitOk;
  }));

  // --- quitt ledger check ---------------------------------------------------------------------
  auto* ledger_cmd = app.add_subcommand("ledger", "The trust account's books");
  ledger_cmd->require_subcommand(1);
  ledger_cmd->add_subcommand("check", "Check the double-entry invariants of the trust account")
      ->callback(context.Run([&] {
        auto report = payments::CheckLedger(context.store());
        if (!report) return context.Fail(report.error());
        context.out() << fmt::format("{} journal entries, {} lines; debits {} = credits {}\n",
                                     report->entries, report->lines,
                                     payments::MinorToDecimal(report->total_debits),
                                     payments::MinorToDecimal(report->total_credits));
        for (const auto& b : report->balances) {
          context.out() << fmt::format(
              "{}: trust account {} = owed to clients {} + agency fees not withdrawn {} + "
              "refunds held {} + unassigned {}\n",
              b.currency, payments::MinorToDecimal(b.trust_bank),
              payments::MinorToDecimal(b.client_payable), payments::MinorToDecimal(b.agency_fees),
              payments::MinorToDecimal(b.refunds_payable), payments::MinorToDecimal(b.suspense));
        }
        for (const auto& problem : report->problems)
          context.out() << "PROBLEM: " << problem << "\n";
        context.out() << (report->ok() ? "the books balance\n" : "the books do NOT balance\n");
        return report->ok() ? kExitOk : kExitProblems;
      }));

  // --- quitt client terms ---------------------------------------------------------------------
  CLI::App* client_cmd = app.get_subcommand("client");
  auto* terms_cmd = client_cmd->add_subcommand("terms", "Show or change a client's terms");
  terms_cmd->add_option("code", o.client_code, "Client code")->required();
  terms_cmd->add_option("--commission-percent", o.commission,
                        "Commission on collected principal and interest, e.g. 12.5");
  terms_cmd->add_option("--agency-keeps-costs", o.keeps_costs,
                        "yes: collection costs paid by customers are the agency's; no: passed on "
                        "to the client");
  terms_cmd->add_option("--client-bears-costs", o.bears_costs,
                        "yes: the client bears collection costs customers never pay");
  terms_cmd->add_option("--vat-deductible", o.vat_deductible,
                        "no: VAT on collection costs is claimed from customers");
  terms_cmd->add_option("--rhythm", o.rhythm, "Remittance rhythm: daily, weekly or monthly")
      ->check(CLI::IsMember({"daily", "weekly", "monthly"}));
  terms_cmd->add_option("--min-remittance", o.min_remittance, "Smallest amount remitted");
  terms_cmd->add_option("--payout-iban", o.payout_iban, "The client's account for remittances");
  terms_cmd->add_option("--payout-name", o.payout_name, "Its holder");
  terms_cmd->add_option("--payout-bic", o.payout_bic, "Its BIC (optional)");
  terms_cmd->callback(context.Run([&] {
    auto client = context.store().FindClientByCode(o.client_code);
    if (!client) return context.Fail(client.error());
    if (!*client) return context.Fail(NotFound("client '" + o.client_code + "' does not exist"));
    auto stored = context.store().FindClientTerms((*client)->id);
    if (!stored) return context.Fail(stored.error());
    app::ClientTerms terms = payments::TermsOrDefault(*stored, (*client)->id);
    bool changed = false;
    if (!o.commission.empty()) {
      auto bp = ParsePercentBp(o.commission);
      if (!bp) return context.Fail(bp.error());
      terms.commission_bp = *bp;
      changed = true;
    }
    for (auto [text, target, name] :
         {std::tuple{&o.keeps_costs, &terms.agency_keeps_collection_costs, "--agency-keeps-costs"},
          std::tuple{&o.bears_costs, &terms.client_bears_uncollected_costs, "--client-bears-costs"},
          std::tuple{&o.vat_deductible, &terms.client_can_deduct_vat, "--vat-deductible"}}) {
      if (text->empty()) continue;
      auto value = ParseYesNo(*text, name);
      if (!value) return context.Fail(value.error());
      *target = *value;
      changed = true;
    }
    if (!o.rhythm.empty()) {
      terms.rhythm = *app::ParseRemittanceRhythm(o.rhythm);
      changed = true;
    }
    if (!o.min_remittance.empty()) {
      auto min = domain::Money::Parse(o.min_remittance, domain::Currency::Eur());
      if (!min) return context.Fail(min.error().WithContext("--min-remittance"));
      terms.min_remittance_minor = min->minor_units();
      changed = true;
    }
    if (!o.payout_iban.empty()) {
      auto iban = domain::Iban::Parse(o.payout_iban);
      if (!iban) return context.Fail(iban.error().WithContext("--payout-iban"));
      terms.payout_iban = iban->electronic();
      changed = true;
    }
    if (!o.payout_name.empty()) terms.payout_name = o.payout_name, changed = true;
    if (!o.payout_bic.empty()) terms.payout_bic = o.payout_bic, changed = true;
    if (changed) {
      if (Status s = context.store().PutClientTerms(terms); !s.ok()) return context.Fail(s);
    }
    context.out() << fmt::format(
        "client {}: commission {} %, collection costs kept by {}, uncollected costs borne by {}, "
        "VAT {}, remitted {} (minimum {}), payout {} {}\n",
        (*client)->code, payments::MinorToDecimal(terms.commission_bp),
        terms.agency_keeps_collection_costs ? "the agency" : "the client",
        terms.client_bears_uncollected_costs ? "the client" : "the agency",
        terms.client_can_deduct_vat ? "deductible" : "claimed from customers",
        app::RemittanceRhythmName(terms.rhythm),
        payments::MinorToDecimal(terms.min_remittance_minor),
        terms.payout_iban.empty() ? "(no account)" : terms.payout_iban, terms.payout_name);
    return kExitOk;
  }));

  // --- quitt remit ----------------------------------------------------------------------------
  auto* remit_cmd = app.add_subcommand(
      "remit", "Pay collected money to clients: statements (CSV) and one pain.001 file");
  remit_cmd->add_option("--as-of", o.as_of, "Remit payments booked up to this date")->required();
  remit_cmd->add_option("--out", o.out_dir, "Directory for the CSV and XML files")
      ->capture_default_str();
  remit_cmd->add_option("--operating-iban", o.operating_iban,
                        "Withdraw the agency's fees to this account ($QUITT_OPERATING_IBAN)");
  remit_cmd->add_option("--agency-name", o.agency_name, "Initiating party ($QUITT_AGENCY_NAME)");
  remit_cmd->add_flag("--ignore-rhythm", o.ignore_rhythm, "Remit every client with money now");
  remit_cmd->add_flag("--no-refunds", o.no_refunds, "Do not pay back held money");
  AddAgencyOptions(remit_cmd, o);
  remit_cmd->callback(context.Run([&] {
    auto as_of = ParseDateOption(o.as_of, "--as-of");
    if (!as_of) return context.Fail(as_of.error());
    auto trust = TrustAccount(o);
    if (!trust) return context.Fail(trust.error());
    payments::RemitOptions options;
    options.as_of = *as_of;
    options.trust_account = *trust;
    if (!o.agency_name.empty()) options.agency_name = o.agency_name;
    options.ignore_rhythm = o.ignore_rhythm;
    options.pay_refunds = !o.no_refunds;
    if (!o.operating_iban.empty()) {
      auto iban = domain::Iban::Parse(o.operating_iban);
      if (!iban) return context.Fail(iban.error().WithContext("--operating-iban"));
      options.operating_account =
          payments::PayoutAccount{options.agency_name, iban->electronic(), ""};
    }
    std::error_code ec;
    std::filesystem::create_directories(o.out_dir, ec);
    std::string pain_path;
    bool wrote_partial = false;
    auto report = payments::Remit(
        context.store(), context.clock(), options, [&](const payments::PayoutFile& file) {
          banking::CreditTransferBatch batch;
          batch.message_id = file.message_id;
          batch.created_at = file.created_at;
          batch.initiating_party = file.initiating_party;
          batch.payment_info_id = file.message_id;
          batch.execution_date = file.execution_date;
          batch.trust_account = SepaOf(file.trust_account);
          for (const auto& t : file.transfers) {
            banking::CreditTransfer transfer;
            transfer.end_to_end_id = t.end_to_end_id;
            transfer.amount = t.amount;
            transfer.payee = SepaOf(t.payee);
            transfer.remittance_text = t.remittance_text;
            batch.transfers.push_back(std::move(transfer));
          }
          QUITT_ASSIGN_OR_RETURN(std::string xml, banking::BuildPain001(batch));
          pain_path =
              (std::filesystem::path(o.out_dir) / ("pain001-" + file.message_id + ".xml")).string();
          // Like `quitt debit`: the transfers file is on disk (fsynced) before the remittance
          // commits and gets its name only after, so a bank never receives the file of a
          // remittance that was rolled back, and a crash never leaves half a file.
          QUITT_RETURN_IF_ERROR(WritePartial(pain_path, xml));
          wrote_partial = true;
          return OkStatus();
        });
    if (!report) {
      if (wrote_partial) std::filesystem::remove(pain_path + ".partial", ec);
      return context.Fail(report.error());
    }
    // The remittance is committed: every statement that can be written is, and each one that
    // cannot is named (its data stays in the database); the command then exits with an error.
    std::vector<Status> unwritten;
    if (report->file) {
      if (Status s = PublishPartial(pain_path); !s.ok()) unwritten.push_back(s);
    }
    for (const auto& done : report->clients) {
      const std::string csv_path = (std::filesystem::path(o.out_dir) /
                                    ("remittance-" + done.client.code + "-" + as_of->ToString() +
                                     "-" + std::to_string(done.remittance.remittance_id) + ".csv"))
                                       .string();
      Status written = WritePartial(csv_path, done.csv);
      if (written.ok()) written = PublishPartial(csv_path);
      if (!written.ok()) unwritten.push_back(written);
      context.out() << fmt::format(
          "client {}: {} payments, {} EUR to the client, commission {}, collection costs {} -> "
          "{}\n",
          done.client.code, done.remittance.items, done.remittance.total.ToDecimalString(),
          done.remittance.commission.ToDecimalString(),
          done.remittance.agency_costs.ToDecimalString(), csv_path);
    }
    for (const auto& hold : report->refunds) {
      context.out() << fmt::format("refund {} EUR to {} ({}, case {})\n",
                                   hold.amount.ToDecimalString(), hold.payer_name, hold.reason,
                                   hold.case_number);
    }
    for (const auto& skipped : report->skipped) context.out() << "skipped: " << skipped << "\n";
    if (report->file) {
      context.out() << fmt::format("{} transfers in {}\n", report->file->transfers.size(),
                                   pain_path);
    } else {
      context.out() << "nothing to remit\n";
    }
    for (std::size_t i = 0; i + 1 < unwritten.size(); ++i) {
      context.err() << "quitt: " << unwritten[i].message() << "\n";
    }
    if (!unwritten.empty()) return context.Fail(unwritten.back());
    return kExitOk;
  }));

  // --- quitt mandate add|revoke -----------------------------------------------------------------
  auto* mandate_cmd = app.add_subcommand("mandate", "SEPA direct-debit mandates of customers");
  mandate_cmd->require_subcommand(1);
  auto* mandate_add = mandate_cmd->add_subcommand("add", "Record a signed SEPA mandate on a case");
  mandate_add->add_option("case", o.case_number, "Case number")->required();
  mandate_add->add_option("--ref", o.mandate_ref, "Mandate reference (1-35 SEPA characters)")
      ->required();
  mandate_add->add_option("--signed-on", o.signed_on, "Date of signature (not in the future)")
      ->required();
  mandate_add->add_option("--iban", o.mandate_iban, "The customer's IBAN")->required();
  mandate_add->add_option("--bic", o.mandate_bic, "BIC (optional within SEPA)");
  mandate_add->add_option("--holder", o.holder, "Account holder")->required();
  mandate_add->add_option("--scheme", o.scheme, "CORE or B2B")->capture_default_str();
  mandate_add->callback(context.Run([&] {
    auto signed_on = ParseDateOption(o.signed_on, "--signed-on");
    if (!signed_on) return context.Fail(signed_on.error());
    payments::MandateInput input{o.mandate_ref, *signed_on, o.mandate_iban,
                                 o.mandate_bic, o.holder,   ToUpperAscii(o.scheme)};
    auto mandate = payments::AddMandate(context.store(), context.clock(), o.case_number, input,
                                        context.today(), o.actor);
    if (!mandate) return context.Fail(mandate.error());
    context.out() << fmt::format("mandate {} ({}, signed {}, {} {}) recorded on case {}\n",
                                 mandate->mandate_ref, mandate->scheme,
                                 mandate->signed_on.ToString(), mandate->holder, mandate->iban,
                                 o.case_number);
    return kExitOk;
  }));
  auto* mandate_revoke = mandate_cmd->add_subcommand("revoke", "Revoke a mandate");
  mandate_revoke->add_option("case", o.case_number, "Case number")->required();
  mandate_revoke->add_option("--ref", o.mandate_ref, "Mandate reference")->required();
  mandate_revoke->add_option("--on", o.revoke_on, "Revoked from this date (default: today)");
  mandate_revoke->add_option("--reason", o.reason, "Why");
  mandate_revoke->callback(context.Run([&] {
    domain::Date on = context.today();
    if (!o.revoke_on.empty()) {
      auto parsed = ParseDateOption(o.revoke_on, "--on");
      if (!parsed) return context.Fail(parsed.error());
      on = *parsed;
    }
    Status s = payments::RevokeMandate(context.store(), context.clock(), o.case_number,
                                       o.mandate_ref, on, o.reason, o.actor);
    if (!s.ok()) return context.Fail(s);
    context.out() << fmt::format("mandate {} revoked from {} on case {}\n", o.mandate_ref,
                                 on.ToString(), o.case_number);
    return kExitOk;
  }));

  // --- quitt debit ------------------------------------------------------------------------------
  auto* debit_cmd = app.add_subcommand(
      "debit", "Collect due instalments by SEPA direct debit: one pain.008.001.08 file");
  debit_cmd->add_option("--as-of", o.as_of, "Run date (the file goes to the bank that day)")
      ->required();
  debit_cmd->add_option("--out", o.out_file, "The pain.008 file (default pain008-<id>.xml)");
  debit_cmd->add_option("--creditor-id", o.creditor_id,
                        "SEPA creditor identifier ($QUITT_CREDITOR_ID)");
  debit_cmd
      ->add_option("--lookahead-days", o.lookahead_days,
                   "Collect instalments due up to this many days after --as-of")
      ->capture_default_str();
  debit_cmd
      ->add_option("--pre-notification-days", o.pre_notification_days,
                   "Days between the plan/mandate (pre-notification) and a collection")
      ->capture_default_str();
  debit_cmd->add_option("--agency-name", o.agency_name, "Initiating party ($QUITT_AGENCY_NAME)");
  AddAgencyOptions(debit_cmd, o);
  debit_cmd->callback(context.Run([&] {
    auto as_of = ParseDateOption(o.as_of, "--as-of");
    if (!as_of) return context.Fail(as_of.error());
    auto trust = TrustAccount(o);
    if (!trust) return context.Fail(trust.error());
    if (o.creditor_id.empty()) {
      return context.Fail(
          InvalidArgument("the creditor identifier is not configured: give --creditor-id (or set "
                          "QUITT_CREDITOR_ID)"));
    }
    if (o.lookahead_days < 0 || o.pre_notification_days < 1) {
      return context.Fail(
          InvalidArgument("--lookahead-days must be >= 0 and --pre-notification-days >= 1"));
    }
    payments::DebitOptions options;
    options.as_of = *as_of;
    options.creditor_id = o.creditor_id;
    options.creditor_account = *trust;
    options.lookahead_days = o.lookahead_days;
    options.pre_notification_days = o.pre_notification_days;
    if (!o.agency_name.empty()) options.agency_name = o.agency_name;
    std::string pain_path;
    std::error_code ec;
    bool wrote_partial = false;
    auto report = payments::RunDirectDebits(
        context.store(), context.clock(), options, [&](const payments::DebitFile& file) {
          banking::DirectDebitFile pain;
          pain.message_id = file.message_id;
          pain.created_at = file.created_at;
          pain.initiating_party = file.initiating_party;
          for (const auto& block : file.blocks) {
            banking::DirectDebitBatch batch;
            batch.payment_info_id = block.payment_info_id;
            batch.scheme = block.scheme == "B2B" ? banking::DirectDebitScheme::kB2b
                                                 : banking::DirectDebitScheme::kCore;
            batch.sequence_type = block.sequence == "FRST" ? banking::SequenceType::kFirst
                                                           : banking::SequenceType::kRecurring;
            batch.collection_date = block.collection_date;
            batch.creditor_account = SepaOf(file.creditor_account);
            batch.creditor_id = file.creditor_id;
            // One booking per debit: each credit comes back with its end-to-end id.
            batch.batch_booking = false;
            for (const auto& d : block.debits) {
              banking::DirectDebit debit;
              debit.end_to_end_id = d.end_to_end_id;
              debit.amount = d.amount;
              debit.mandate_id = d.mandate.mandate_ref;
              debit.mandate_signed_on = d.mandate.signed_on;
              debit.customer.name = d.mandate.holder;
              debit.customer.iban = d.mandate.iban;
              debit.customer.bic = d.mandate.bic;
              debit.remittance_text = d.remittance_text;
              batch.debits.push_back(std::move(debit));
            }
            pain.blocks.push_back(std::move(batch));
          }
          QUITT_ASSIGN_OR_RETURN(std::string xml, banking::BuildPain008File(pain));
          pain_path = o.out_file.empty() ? "pain008-" + file.message_id + ".xml" : o.out_file;
          const auto parent = std::filesystem::path(pain_path).parent_path();
          if (!parent.empty()) std::filesystem::create_directories(parent, ec);
          QUITT_RETURN_IF_ERROR(WritePartial(pain_path, xml));
          wrote_partial = true;
          return OkStatus();
        });
    if (!report) {
      // Rolled back: the partial file (when this run wrote it) must never reach the bank.
      if (wrote_partial) {
        std::filesystem::remove(pain_path + ".partial", ec);
      }
      return context.Fail(report.error());
    }
    if (report->file) {
      if (Status s = PublishPartial(pain_path); !s.ok()) return context.Fail(s);
    }
    for (const auto& d : report->debits) {
      context.out() << fmt::format(
          "debit  {:<14} {} {:>10} EUR  due {}  collect {}  mandate {}  {}\n", d.case_number,
          d.sequence, d.amount.ToDecimalString(), d.instalment_due.ToString(),
          d.collection_date.ToString(), d.mandate.mandate_ref, d.end_to_end_id);
    }
    for (const auto& skipped : report->skipped) {
      context.out() << fmt::format(
          "skipped {:<14} {}{}\n", skipped.case_number,
          skipped.instalment_due ? "instalment " + skipped.instalment_due->ToString() + ": " : "",
          skipped.reason);
    }
    if (report->file) {
      domain::Money total = domain::Money::Zero(domain::Currency::Eur());
      for (const auto& d : report->debits) total += d.amount;
      context.out() << fmt::format("{} direct debits, {} EUR, in {}", report->debits.size(),
                                   total.ToDecimalString(), pain_path);
    } else {
      context.out() << "nothing to collect";
    }
    if (report->already_collected > 0) {
      context.out() << fmt::format(" ({} instalments collected by earlier runs)",
                                   report->already_collected);
    }
    context.out() << "\n";
    return kExitOk;
  }));
}

}  // namespace quitt::adapters::cli
