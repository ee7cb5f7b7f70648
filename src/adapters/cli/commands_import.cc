#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "adapters/cli/case_format.h"
#include "adapters/cli/command_context.h"
#include "adapters/intake/claim_file_reader.h"
#include "app/demo_data.h"
#include "app/import_claims.h"

namespace quitt::adapters::cli {

namespace {

void PrintImportReport(std::ostream& out, const app::ImportReport& r, double seconds,
                       std::size_t max_lines) {
  if (r.rejected) {
    out << fmt::format("{}: REJECTED: {} of {} rows have problems; nothing was imported.\n",
                       r.source, WithThousands(r.problem_rows), WithThousands(r.rows));
    out << "Fix the rows below, or import the good rows with --keep-good-rows.\n";
  } else {
    out << fmt::format(
        "{}: {} rows: {} claims imported, {} already there, {} conflicts, {} bad rows\n", r.source,
        WithThousands(r.rows), WithThousands(r.imported), WithThousands(r.unchanged),
        WithThousands(static_cast<std::int64_t>(r.conflicts.size())),
        WithThousands(r.problem_rows));
    out << fmt::format("{} new case{}, {} new customer{}", WithThousands(r.cases_opened),
                       r.cases_opened == 1 ? "" : "s", WithThousands(r.customers_created),
                       r.customers_created == 1 ? "" : "s");
    if (seconds > 0) {
      out << fmt::format(
          ", {:.1f} s ({} rows/s)", seconds,
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
  for (const auto& p : r.problems)
    problems.push_back({{"line", p.line}, {"field", p.field}, {"message", p.message}});
  nlohmann::json conflicts = nlohmann::json::array();
  for (const auto& c : r.conflicts) {
    conflicts.push_back(
        {{"line", c.line}, {"client_reference", c.client_ref}, {"message", c.message}});
  }
  return {{"source", r.source},
          {"rows", r.rows},
          {"imported", r.imported},
          {"unchanged", r.unchanged},
          {"cases_opened", r.cases_opened},
          {"customers_created", r.customers_created},
          {"rejected", r.rejected},
          {"problem_rows", r.problem_rows},
          {"problems", problems},
          {"conflicts", conflicts}};
}

struct ImportOptionsValues {
  std::string import_file, import_client, import_format = "auto", import_encoding = "auto",
                                          import_decimal = "auto", import_report;
  bool keep_good_rows = false, quiet = false;
  std::int64_t demo_cases = 1000;
  std::uint64_t demo_seed = 42;
  std::string demo_csv, demo_client = "DEMO";
};

}  // namespace

void RegisterImportCommands(CLI::App& app, CommandContext& context) {
  auto& values = context.Own<ImportOptionsValues>();
  std::string& import_file = values.import_file;
  std::string& import_client = values.import_client;
  std::string& import_format = values.import_format;
  std::string& import_encoding = values.import_encoding;
  std::string& import_decimal = values.import_decimal;
  std::string& import_report = values.import_report;
  bool& keep_good_rows = values.keep_good_rows;
  bool& quiet = values.quiet;
  std::int64_t& demo_cases = values.demo_cases;
  std::uint64_t& demo_seed = values.demo_seed;
  std::string& demo_csv = values.demo_csv;
  std::string& demo_client = values.demo_client;
  CliEnvironment& env = context.env();
  GlobalOptions& global = context.global();
  // quitt import claims FILE
  auto* import_cmd = app.add_subcommand("import", "Import data");
  import_cmd->require_subcommand(1);
  auto* import_claims =
      import_cmd->add_subcommand("claims", "Import claims from CSV or JSON lines");
  import_claims->add_option("file", import_file, "CSV or JSON-lines file")->required();
  import_claims->add_option("--client", import_client, "Code of the client handing over the claims")
      ->required();
  import_claims->add_option("--format", import_format, "auto, csv or jsonl")
      ->check(CLI::IsMember({"auto", "csv", "jsonl"}))
      ->capture_default_str();
  import_claims->add_option("--encoding", import_encoding, "auto, utf-8 or windows-1252")
      ->check(CLI::IsMember({"auto", "utf-8", "windows-1252"}))
      ->capture_default_str();
  import_claims
      ->add_option("--decimal", import_decimal, "auto, comma (1.234,56) or point (1234.56)")
      ->check(CLI::IsMember({"auto", "comma", "point"}))
      ->capture_default_str();
  import_claims->add_flag("--keep-good-rows", keep_good_rows,
                          "Import the good rows even when other rows are bad (default: a file with "
                          "a bad row is rejected as a whole)");
  import_claims->add_option("--report", import_report,
                            "Write the full report as JSON to this file");
  import_claims->add_flag("--quiet", quiet, "Print only the summary line");
  import_claims->callback(context.Run([&] {
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
    if (!source) return context.Fail(source.error());
    app::ImportOptions import_options;
    import_options.client_code = import_client;
    import_options.keep_good_rows = keep_good_rows;
    std::string base = import_file.substr(import_file.find_last_of('/') + 1);
    import_options.actor = "import:" + base;
    import_options.business_date = context.today();
    ProgressLine progress(context.err(), context.env().progress_on_terminal && !quiet);
    import_options.on_progress = [&](const app::ImportProgress& p) { progress.Update(p); };
    auto report = app::ImportClaims(context.store(), context.clock(), **source, import_options);
    progress.Done();
    if (!report) return context.Fail(report.error());
    PrintImportReport(context.out(), *report,
                      context.env().progress_on_terminal ? progress.Seconds() : 0, quiet ? 0 : 50);
    if (!import_report.empty()) {
      std::ofstream file(import_report);
      file << ReportJson(*report).dump(2) << "\n";
      if (!file) return context.Fail(Unavailable("cannot write report '" + import_report + "'"));
    }
    return report->rejected || report->problem_rows > 0 ? kExitProblems : kExitOk;
  }));

  // quitt demo
  auto* demo_cmd =
      app.add_subcommand("demo", "Generate realistic demo data (German B2C and B2B cases)");
  demo_cmd->add_option("--cases", demo_cases, "How many cases (about 1.3 claims each)")
      ->check(CLI::Range(1, 50000000))
      ->capture_default_str();
  demo_cmd->add_option("--seed", demo_seed, "Random seed (same seed, same data)")
      ->capture_default_str();
  demo_cmd->add_option("--csv", demo_csv, "Write a CSV file in import format instead of importing");
  demo_cmd->add_option("--client", demo_client, "Client code to import for (created when missing)")
      ->capture_default_str();
  demo_cmd->callback([&] {
    app::DemoOptions options;
    options.cases = demo_cases;
    options.seed = demo_seed;
    if (!demo_csv.empty()) {
      if (!global.now.empty()) {
        auto now = domain::Timestamp::Parse(global.now);
        if (!now) {
          context.set_exit_code(context.Fail(now.error().WithContext("--now")));
          return;
        }
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
      if (!file) {
        context.set_exit_code(context.Fail(Unavailable("cannot write '" + demo_csv + "'")));
        return;
      }
      env.out << fmt::format("wrote {} claims of {} cases to {}\n", WithThousands(rows),
                             WithThousands(demo_cases), demo_csv);
      context.set_exit_code(kExitOk);
      return;
    }
    context.Run([&] {
      options.today = context.today();
      auto client = context.store().FindClientByCode(demo_client);
      if (!client) return context.Fail(client.error());
      if (!*client) {
        auto added = context.store().AddClient({{}, demo_client, "Demo Versandhandel GmbH", "DE"});
        if (!added) return context.Fail(added.error());
      }
      auto source = app::MakeDemoSource(options);
      app::ImportOptions import_options;
      import_options.client_code = demo_client;
      import_options.actor = "demo";
      import_options.business_date = context.today();
      ProgressLine progress(context.err(), context.env().progress_on_terminal);
      import_options.on_progress = [&](const app::ImportProgress& p) { progress.Update(p); };
      auto report = app::ImportClaims(context.store(), context.clock(), *source, import_options);
      progress.Done();
      if (!report) return context.Fail(report.error());
      PrintImportReport(context.out(), *report, 0, 20);
      return kExitOk;
    })();
  });
}

}  // namespace quitt::adapters::cli
