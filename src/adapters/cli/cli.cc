#include "adapters/cli/cli.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "adapters/cli/case_format.h"
#include "adapters/intake/claim_file_reader.h"
#include "adapters/storage/sqlite/sqlite_case_store.h"
#include "app/case_service.h"
#include "app/demo_data.h"
#include "app/import_claims.h"
#include "common/text.h"
#include "domain/case_number.h"

namespace quitt::adapters::cli {

namespace {

using sqlite::SqliteCaseStore;

// Exit codes (documented in docs/cli.md).
constexpr int kOk = 0;
constexpr int kProblems = 1;
constexpr int kFailed = 2;

struct GlobalOptions {
  std::string db;
  std::string now;
};

class Command {
 public:
  Command(CliEnvironment& env, GlobalOptions& global) : env_(env), global_(global) {}

  app::Clock& clock() { return fixed_clock_ ? *fixed_clock_ : env_.clock; }
  domain::Date today() { return fixed_clock_ ? fixed_clock_->Now().UtcDate() : env_.today; }

  // Applies --now; opens (and migrates) the database.
  Status Prepare() {
    if (!global_.now.empty()) {
      auto now = domain::Timestamp::Parse(global_.now);
      if (!now) return now.error().WithContext("--now");
      fixed_clock_ = std::make_unique<app::FixedClock>(*now);
    }
    std::string path = global_.db;
    if (path.empty()) {
      const char* env_db = std::getenv("QUITT_DB");
      path = env_db != nullptr && *env_db != 0 ? env_db : env_.default_db;
    }
    auto store = SqliteCaseStore::Open(path, clock());
    if (!store) return store.error();
    store_ = std::move(*store);
    return OkStatus();
  }

  SqliteCaseStore& store() { return *store_; }
  std::ostream& out() { return env_.out; }
  std::ostream& err() { return env_.err; }
  CliEnvironment& env() { return env_; }

  int Fail(const Status& status) {
    err() << "quitt: " << status.message() << "\n";
    return kFailed;
  }

 private:
  CliEnvironment& env_;
  GlobalOptions& global_;
  std::unique_ptr<app::FixedClock> fixed_clock_;
  std::unique_ptr<SqliteCaseStore> store_;
};

std::string WithThousands(std::int64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0 && digits[i - 1] != '-') out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

// Progress on a terminal: one line rewritten in place, at most a few times a second.
class ProgressLine {
 public:
  ProgressLine(std::ostream& err, bool enabled) : err_(err), enabled_(enabled) {
    start_ = std::chrono::steady_clock::now();
  }
  void Update(const app::ImportProgress& p) {
    if (!enabled_) return;
    auto now = std::chrono::steady_clock::now();
    double seconds = std::chrono::duration<double>(now - start_).count();
    int percent = p.size > 0 ? static_cast<int>(p.position * 100 / p.size) : 0;
    err_ << fmt::format("\r  {} rows read ({}%), {} rows/s   ", WithThousands(p.rows), percent,
                        WithThousands(seconds > 0 ? static_cast<std::int64_t>(static_cast<double>(p.rows) / seconds) : 0))
         << std::flush;
    shown_ = true;
  }
  void Done() {
    if (shown_) err_ << "\r" << std::string(60, ' ') << "\r" << std::flush;
  }
  double Seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::ostream& err_;
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_;
};

void PrintImportReport(std::ostream& out, const app::ImportReport& r, double seconds,
                       std::size_t max_lines) {
  if (r.rejected) {
    out << fmt::format("{}: REJECTED: {} of {} rows have problems; nothing was imported.\n", r.source,
                       WithThousands(r.problem_rows), WithThousands(r.rows));
    out << "Fix the rows below, or import the good rows with --keep-good-rows.\n";
  } else {
    out << fmt::format("{}: {} rows: {} claims imported, {} already there, {} conflicts, {} bad rows\n",
                       r.source, WithThousands(r.rows), WithThousands(r.imported),
                       WithThousands(r.unchanged), WithThousands(static_cast<std::int64_t>(r.conflicts.size())),
                       WithThousands(r.problem_rows));
    out << fmt::format("{} new cases, {} new customers", WithThousands(r.cases_opened),
                       WithThousands(r.customers_created));
    if (seconds > 0) {
      out << fmt::format(", {:.1f} s ({} rows/s)", seconds,
                         WithThousands(static_cast<std::int64_t>(static_cast<double>(r.rows) / seconds)));
    }
    out << "\n";
  }
  std::size_t shown = 0;
  for (const auto& p : r.problems) {
    if (shown++ == max_lines) break;
    out << fmt::format("{}:{}: {}{}\n", r.source, p.line,
                       p.field.empty() ? "" : "field '" + p.field + "': ", p.message);
  }
  for (const auto& c : r.conflicts) {
    if (shown++ == max_lines) break;
    out << fmt::format("{}:{}: conflict: {}\n", r.source, c.line, c.message);
  }
  std::size_t total = r.problems.size() + r.conflicts.size();
  if (total > max_lines) {
    out << fmt::format("... and {} more (all of them with --report FILE)\n", total - max_lines);
  }
}

nlohmann::json ReportJson(const app::ImportReport& r) {
  nlohmann::json problems = nlohmann::json::array();
  for (const auto& p : r.problems) problems.push_back({{"line", p.line}, {"field", p.field}, {"message", p.message}});
  nlohmann::json conflicts = nlohmann::json::array();
  for (const auto& c : r.conflicts) {
    conflicts.push_back({{"line", c.line}, {"client_reference", c.client_ref}, {"message", c.message}});
  }
  return {{"source", r.source},       {"rows", r.rows},
          {"imported", r.imported},   {"unchanged", r.unchanged},
          {"cases_opened", r.cases_opened}, {"customers_created", r.customers_created},
          {"rejected", r.rejected},   {"problem_rows", r.problem_rows},
          {"problems", problems},     {"conflicts", conflicts}};
}

std::optional<domain::Money> ParseAmountOption(const std::string& text) {
  auto money = domain::Money::Parse(text, domain::Currency::Eur());
  if (!money) return std::nullopt;
  return *money;
}

}  // namespace

int RunCli(const std::vector<std::string>& args, CliEnvironment& env) {
  CLI::App app{"quitt — receivables collection: cases, claims, history", "quitt"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Show help for every command");
  GlobalOptions global;
  app.add_option("--db", global.db,
                 "SQLite database file (default: $QUITT_DB, else ./quitt.db); created when missing");
  app.add_option("--now", global.now,
                 "Use this instant as the current time (YYYY-MM-DDTHH:MM:SSZ), for tests and replays");
  int exit_code = kOk;
  Command command(env, global);
  auto run = [&](auto&& body) {
    return [&, body]() {
      Status status = command.Prepare();
      if (!status.ok()) {
        exit_code = command.Fail(status);
        return;
      }
      exit_code = body();
    };
  };

  // quitt migrate
  app.add_subcommand("migrate", "Create or upgrade the database schema")->callback(run([&] {
    auto applied = command.store().Migrate();
    if (!applied) return command.Fail(applied.error());
    command.out() << "database is up to date\n";
    return kOk;
  }));

  // quitt client add|list
  auto* client_cmd = app.add_subcommand("client", "Manage clients (the creditors)");
  client_cmd->require_subcommand(1);
  std::string client_code, client_name, client_country = "DE";
  auto* client_add = client_cmd->add_subcommand("add", "Add a client");
  client_add->add_option("code", client_code, "Short code, e.g. ACME")->required();
  client_add->add_option("--name", client_name, "Full name")->required();
  client_add->add_option("--country", client_country, "ISO 3166 country code")->capture_default_str();
  client_add->callback(run([&] {
    domain::Client client{{}, client_code, client_name, ToUpperAscii(client_country)};
    auto added = command.store().AddClient(client);
    if (!added) return command.Fail(added.error());
    command.out() << fmt::format("client {} added: {}\n", added->code, added->name);
    return kOk;
  }));
  client_cmd->add_subcommand("list", "List the clients")->callback(run([&] {
    auto clients = command.store().ListClients();
    if (!clients) return command.Fail(clients.error());
    for (const auto& c : *clients) command.out() << fmt::format("{:<12} {:<2} {}\n", c.code, c.country, c.name);
    return kOk;
  }));

  // quitt import claims FILE
  auto* import_cmd = app.add_subcommand("import", "Import data");
  import_cmd->require_subcommand(1);
  auto* import_claims = import_cmd->add_subcommand("claims", "Import claims from CSV or JSON lines");
  std::string import_file, import_client, import_format = "auto", import_encoding = "auto",
                                           import_decimal = "auto", import_report;
  bool keep_good_rows = false, quiet = false;
  import_claims->add_option("file", import_file, "CSV or JSON-lines file")->required();
  import_claims->add_option("--client", import_client, "Code of the client handing over the claims")->required();
  import_claims->add_option("--format", import_format, "auto, csv or jsonl")
      ->check(CLI::IsMember({"auto", "csv", "jsonl"}))->capture_default_str();
  import_claims->add_option("--encoding", import_encoding, "auto, utf-8 or windows-1252")
      ->check(CLI::IsMember({"auto", "utf-8", "windows-1252"}))->capture_default_str();
  import_claims->add_option("--decimal", import_decimal, "auto, comma (1.234,56) or point (1234.56)")
      ->check(CLI::IsMember({"auto", "comma", "point"}))->capture_default_str();
  import_claims->add_flag("--keep-good-rows", keep_good_rows,
                          "Import the good rows even when other rows are bad (default: a file with "
                          "a bad row is rejected as a whole)");
  import_claims->add_option("--report", import_report, "Write the full report as JSON to this file");
  import_claims->add_flag("--quiet", quiet, "Print only the summary line");
  import_claims->callback(run([&] {
    intake::ReaderOptions options;
    options.format = import_format == "csv"     ? intake::FileFormat::kCsv
                     : import_format == "jsonl" ? intake::FileFormat::kJsonLines
                                                : intake::FileFormat::kAuto;
    options.encoding = import_encoding == "utf-8"          ? intake::Encoding::kUtf8
                       : import_encoding == "windows-1252" ? intake::Encoding::kWindows1252
                                                           : intake::Encoding::kAuto;
    options.decimal = import_decimal == "comma"   ? intake::DecimalStyle::kComma
                      : import_decimal == "point" ? intake::DecimalStyle::kPoint
                                                  : intake::DecimalStyle::kAuto;
    auto source = intake::OpenClaimFile(import_file, options);
    if (!source) return command.Fail(source.error());
    app::ImportOptions import_options;
    import_options.client_code = import_client;
    import_options.keep_good_rows = keep_good_rows;
    std::string base = import_file.substr(import_file.find_last_of('/') + 1);
    import_options.actor = "import:" + base;
    import_options.business_date = command.today();
    ProgressLine progress(command.err(), command.env().progress_on_terminal && !quiet);
    import_options.on_progress = [&](const app::ImportProgress& p) { progress.Update(p); };
    auto report = app::ImportClaims(command.store(), command.clock(), **source, import_options);
    progress.Done();
    if (!report) return command.Fail(report.error());
    PrintImportReport(command.out(), *report, command.env().progress_on_terminal ? progress.Seconds() : 0,
                      quiet ? 0 : 50);
    if (!import_report.empty()) {
      std::ofstream file(import_report);
      file << ReportJson(*report).dump(2) << "\n";
      if (!file) return command.Fail(Unavailable("cannot write report '" + import_report + "'"));
    }
    return report->rejected || report->problem_rows > 0 ? kProblems : kOk;
  }));

  // quitt case show|history|verify|note
  auto* case_cmd = app.add_subcommand("case", "Look at or change one case");
  case_cmd->require_subcommand(1);
  std::string case_number, note_text, note_actor = "user:" + std::string(std::getenv("USER") ? std::getenv("USER") : "cli");
  bool as_json = false, verify_all = false;
  std::string verify_client;
  auto* case_show = case_cmd->add_subcommand("show", "Show a case: customer, claims, totals");
  case_show->add_option("case", case_number, "Case number, e.g. Q-00000001-7")->required();
  case_show->add_flag("--json", as_json, "Print JSON");
  case_show->callback(run([&] {
    auto view = app::LoadCase(command.store(), case_number);
    if (!view) return command.Fail(view.error());
    command.out() << (as_json ? CaseDetailJson(*view).dump(2) + "\n" : FormatCaseDetail(*view));
    return kOk;
  }));
  auto* case_history = case_cmd->add_subcommand("history", "Show the timeline of a case");
  case_history->add_option("case", case_number, "Case number")->required();
  case_history->add_flag("--json", as_json, "Print JSON");
  case_history->callback(run([&] {
    auto view = app::LoadCase(command.store(), case_number);
    if (!view) return command.Fail(view.error());
    command.out() << (as_json ? HistoryJson(*view).dump(2) + "\n" : FormatHistory(*view));
    return kOk;
  }));
  auto* case_verify = case_cmd->add_subcommand(
      "verify", "Re-check the hash chain of a case (or of all cases) and report the first broken link");
  case_verify->add_option("case", case_number, "Case number");
  case_verify->add_flag("--all", verify_all, "Verify every case");
  case_verify->add_option("--client", verify_client, "With --all: only this client's cases");
  case_verify->callback(run([&] {
    if (case_number.empty() == !verify_all) {
      return command.Fail(InvalidArgument("give a case number or --all"));
    }
    if (!verify_all) {
      auto number = domain::CaseNumber::Parse(case_number);
      if (!number) return command.Fail(number.error());
      auto summary = command.store().FindCaseByNumber(number->ToString());
      if (!summary) return command.Fail(summary.error());
      if (!*summary) return command.Fail(NotFound("case " + number->ToString() + " does not exist"));
      auto result = app::VerifyCase(command.store(), **summary);
      if (result.status.ok()) {
        command.out() << fmt::format("case {}: {} events, hash chain intact\n", result.case_number, result.events);
        return kOk;
      }
      command.out() << fmt::format("case {}: BROKEN: {}\n", result.case_number, result.status.message());
      return kProblems;
    }
    std::optional<app::ClientId> client;
    if (!verify_client.empty()) {
      auto found = command.store().FindClientByCode(verify_client);
      if (!found) return command.Fail(found.error());
      if (!*found) return command.Fail(NotFound("client '" + verify_client + "' does not exist"));
      client = (*found)->id;
    }
    auto report = app::VerifyAll(command.store(), client);
    if (!report) return command.Fail(report.error());
    for (const auto& broken : report->broken) {
      command.out() << fmt::format("case {}: BROKEN: {}\n", broken.case_number, broken.status.message());
    }
    command.out() << fmt::format("{} cases, {} events verified, {} broken\n", WithThousands(report->cases),
                                 WithThousands(report->events), report->broken.size());
    return report->broken.empty() ? kOk : kProblems;
  }));
  auto* case_note = case_cmd->add_subcommand("note", "Add a note to a case's history");
  case_note->add_option("case", case_number, "Case number")->required();
  case_note->add_option("text", note_text, "The note")->required();
  case_note->add_option("--actor", note_actor, "Who writes the note")->capture_default_str();
  case_note->callback(run([&] {
    if (Trim(note_text).empty()) return command.Fail(InvalidArgument("the note is empty"));
    auto summary = app::AppendToCase(command.store(), command.clock(), case_number,
                                     {domain::NoteAdded{note_text}}, note_actor, command.today());
    if (!summary) return command.Fail(summary.error());
    command.out() << fmt::format("note added to case {} as event {}\n", summary->case_number, summary->last_seq);
    return kOk;
  }));

  // quitt cases list
  auto* cases_cmd = app.add_subcommand("cases", "Lists of cases");
  cases_cmd->require_subcommand(1);
  auto* cases_list = cases_cmd->add_subcommand("list", "List cases, filtered");
  std::string list_client, list_status, list_type, list_min, list_max, list_from, list_to, list_name, list_after;
  int list_limit = 50;
  cases_list->add_option("--client", list_client, "Client code");
  cases_list->add_option("--status", list_status, "open or closed")->check(CLI::IsMember({"open", "closed"}));
  cases_list->add_option("--type", list_type, "consumer or business")->check(CLI::IsMember({"consumer", "business"}));
  cases_list->add_option("--min-amount", list_min, "Minimum principal, e.g. 100.00");
  cases_list->add_option("--max-amount", list_max, "Maximum principal");
  cases_list->add_option("--opened-from", list_from, "Opened on or after (YYYY-MM-DD)");
  cases_list->add_option("--opened-to", list_to, "Opened on or before (YYYY-MM-DD)");
  cases_list->add_option("--name", list_name, "Customer name contains");
  cases_list->add_option("--after", list_after, "Continue after this case number (paging)");
  cases_list->add_option("--limit", list_limit, "At most this many cases")->check(CLI::Range(1, 100000))->capture_default_str();
  cases_list->add_flag("--json", as_json, "Print JSON");
  cases_list->callback(run([&] {
    app::CaseFilter filter;
    filter.limit = list_limit;
    if (!list_client.empty()) {
      auto found = command.store().FindClientByCode(list_client);
      if (!found) return command.Fail(found.error());
      if (!*found) return command.Fail(NotFound("client '" + list_client + "' does not exist"));
      filter.client = (*found)->id;
    }
    if (!list_status.empty()) filter.status = list_status == "open" ? domain::CaseStatus::kOpen : domain::CaseStatus::kClosed;
    if (!list_type.empty()) filter.customer_kind = domain::ParseCustomerKind(list_type);
    for (auto [text, target, name] : {std::tuple{&list_min, &filter.min_principal_minor, "--min-amount"},
                                      std::tuple{&list_max, &filter.max_principal_minor, "--max-amount"}}) {
      if (text->empty()) continue;
      auto amount = ParseAmountOption(*text);
      if (!amount) return command.Fail(InvalidArgument(std::string(name) + ": '" + *text + "' is not an amount like 100.00"));
      *target = amount->minor_units();
    }
    for (auto [text, target, name] : {std::tuple{&list_from, &filter.opened_from, "--opened-from"},
                                      std::tuple{&list_to, &filter.opened_to, "--opened-to"}}) {
      if (text->empty()) continue;
      auto date = domain::Date::ParseFlexible(*text);
      if (!date) return command.Fail(date.error().WithContext(name));
      *target = *date;
    }
    filter.customer_name_contains = list_name;
    if (!list_after.empty()) {
      auto number = domain::CaseNumber::Parse(list_after);
      if (!number) return command.Fail(number.error().WithContext("--after"));
      filter.after = app::CaseId(number->sequence());
    }
    auto cases = command.store().ListCases(filter);
    if (!cases) return command.Fail(cases.error());
    if (as_json) {
      nlohmann::json list = nlohmann::json::array();
      for (const auto& c : *cases) list.push_back(CaseSummaryJson(c));
      nlohmann::json page{{"cases", list}};
      page["next_after"] = static_cast<int>(cases->size()) == list_limit && !cases->empty()
                               ? nlohmann::json(cases->back().case_number) : nlohmann::json();
      command.out() << page.dump(2) << "\n";
    } else {
      command.out() << FormatCaseList(*cases);
      if (static_cast<int>(cases->size()) == list_limit && !cases->empty()) {
        command.out() << "more: --after " << cases->back().case_number << "\n";
      }
    }
    return kOk;
  }));

  // quitt demo
  auto* demo_cmd = app.add_subcommand("demo", "Generate realistic demo data (German B2C and B2B cases)");
  std::int64_t demo_cases = 1000;
  std::uint64_t demo_seed = 42;
  std::string demo_csv, demo_client = "DEMO";
  demo_cmd->add_option("--cases", demo_cases, "How many cases (about 1.3 claims each)")->check(CLI::Range(1, 50000000))->capture_default_str();
  demo_cmd->add_option("--seed", demo_seed, "Random seed (same seed, same data)")->capture_default_str();
  demo_cmd->add_option("--csv", demo_csv, "Write a CSV file in import format instead of importing");
  demo_cmd->add_option("--client", demo_client, "Client code to import for (created when missing)")->capture_default_str();
  demo_cmd->callback([&] {
    app::DemoOptions options;
    options.cases = demo_cases;
    options.seed = demo_seed;
    if (!demo_csv.empty()) {
      if (!global.now.empty()) {
        auto now = domain::Timestamp::Parse(global.now);
        if (!now) { exit_code = command.Fail(now.error().WithContext("--now")); return; }
        options.today = now->UtcDate();
      } else {
        options.today = env.today;
      }
      auto source = app::MakeDemoSource(options);
      std::ofstream file(demo_csv, std::ios::binary);
      file << app::DemoCsvHeader();
      app::IntakeRow row;
      std::int64_t rows = 0;
      while (true) {
        auto more = source->Next(row);
        if (!more || !*more) break;
        file << app::DemoCsvRow(row);
        ++rows;
      }
      if (!file) { exit_code = command.Fail(Unavailable("cannot write '" + demo_csv + "'")); return; }
      env.out << fmt::format("wrote {} claims of {} cases to {}\n", WithThousands(rows), WithThousands(demo_cases), demo_csv);
      exit_code = kOk;
      return;
    }
    run([&] {
      options.today = command.today();
      auto client = command.store().FindClientByCode(demo_client);
      if (!client) return command.Fail(client.error());
      if (!*client) {
        auto added = command.store().AddClient({{}, demo_client, "Demo Versandhandel GmbH", "DE"});
        if (!added) return command.Fail(added.error());
      }
      auto source = app::MakeDemoSource(options);
      app::ImportOptions import_options;
      import_options.client_code = demo_client;
      import_options.actor = "demo";
      import_options.business_date = command.today();
      ProgressLine progress(command.err(), command.env().progress_on_terminal);
      import_options.on_progress = [&](const app::ImportProgress& p) { progress.Update(p); };
      auto report = app::ImportClaims(command.store(), command.clock(), *source, import_options);
      progress.Done();
      if (!report) return command.Fail(report.error());
      PrintImportReport(command.out(), *report, 0, 20);
      return kOk;
    })();
  });

  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    env.out << app.help();
    return kOk;
  } catch (const CLI::CallForAllHelp&) {
    env.out << app.help("", CLI::AppFormatMode::All);
    return kOk;
  } catch (const CLI::ParseError& e) {
    // Subcommand help (`quitt import claims --help`) arrives here too.
    if (e.get_exit_code() == 0) {
      env.out << e.what();
      return kOk;
    }
    env.err << "quitt: " << e.what() << "\n(run quitt --help for the commands)\n";
    return kFailed;
  }
  return exit_code;
}

}  // namespace quitt::adapters::cli
