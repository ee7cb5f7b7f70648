// quitt run, quitt strategy check|explain, quitt case promise|plan|dispute|hardship|resolve,
// quitt outbox list: the daily run and the collection commands (issue 4).
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "adapters/cli/command_context.h"
#include "adapters/cli/strategy_files.h"
#include "app/case_service.h"
#include "app/collection.h"
#include "app/daily_run.h"
#include "domain/case_number.h"
#include "workflow/payment_plan.h"
#include "workflow/strategy.h"

namespace quitt::adapters::cli {

namespace {

struct RunCommandOptions {
  std::string as_of, worker, strategies, case_number, amount, date, text, first, rhythm = "monthly";
  int partitions = 4, instalments = 0, limit = 50;
  bool take_over = false, outside_limits = false;
  std::vector<std::string> files;
};

std::string Actor() {
  const char* user = std::getenv("USER");
  return "user:" + std::string(user != nullptr && *user != 0 ? user : "cli");
}

Result<domain::Date> DateOption(const std::string& text, const char* name, domain::Date fallback) {
  if (text.empty()) return fallback;
  auto date = domain::Date::ParseFlexible(text);
  if (!date) return date.error().WithContext(name);
  return *date;
}

// The test hook behind QUITT_RUN_CRASH_AFTER=K: the process aborts (like kill -9: no rollback,
// no cleanup) inside the transaction once K cases are decided. For crash tests of the CLI only.
std::function<void(app::RunPoint, std::int64_t)> CrashHookFromEnvironment() {
  const char* after = std::getenv("QUITT_RUN_CRASH_AFTER");
  if (after == nullptr || *after == 0) return nullptr;
  const std::int64_t k = std::atoll(after);
  return [k](app::RunPoint point, std::int64_t cases) {
    if (point == app::RunPoint::kCaseDecided && cases >= k) std::abort();
  };
}

std::string DefaultWorker() {
  char host[256] = {0};
  std::ifstream("/etc/hostname") >> host;
  return std::string(host[0] ? host : "local") + ":" + std::to_string(getpid());
}

}  // namespace

void RegisterRunCommands(CLI::App& app, CommandContext& context) {
  auto& o = context.Own<RunCommandOptions>();
  auto load_book = [&context, &o]() -> Result<app::StrategyBook> {
    return LoadStrategyBook(StrategyFolder(o.strategies), context.store());
  };

  // Callbacks run after this function returned: they capture these helpers by value.
  // quitt run --as-of DATE
  auto* run = app.add_subcommand(
      "run",
      "The daily run: decide and record the due actions of every open case, fill the outbox");
  run->add_option("--as-of", o.as_of, "Business date of the run (default: today)");
  run->add_option("--partitions", o.partitions,
                  "Split a new run into N partitions per client that workers claim")
      ->capture_default_str();
  run->add_option("--worker", o.worker, "Name of this worker in the run table (default host:pid)");
  run->add_flag("--take-over", o.take_over,
                "Also claim partitions still marked running (their worker is known to be dead)");
  run->add_option("--strategies", o.strategies,
                  "Strategy folder (default: $QUITT_STRATEGIES, else ./strategies)");
  run->callback(context.Run([&, load_book] {
    auto as_of = DateOption(o.as_of, "--as-of", context.today());
    if (!as_of) return context.Fail(as_of.error());
    auto book = load_book();
    if (!book) return context.Fail(book.error());
    app::RunOptions options;
    options.as_of = *as_of;
    options.partitions = o.partitions;
    options.worker = o.worker.empty() ? DefaultWorker() : o.worker;
    options.take_over = o.take_over;
    options.fault_hook = CrashHookFromEnvironment();
    const auto start = std::chrono::steady_clock::now();
    auto seconds = [&] {
      return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    bool shown = false;
    if (context.env().progress_on_terminal) {
      options.on_progress = [&](const app::RunProgress& p) {
        const double s = seconds();
        context.err() << fmt::format(
                             "\r  {} cases decided, {} actions, partitions {}/{}, {} cases/s   ",
                             WithThousands(p.cases_seen), WithThousands(p.actions),
                             p.partitions_done, p.partitions_total,
                             WithThousands(s > 0 ? static_cast<std::int64_t>(p.cases_seen / s) : 0))
                      << std::flush;
        shown = true;
      };
    }
    auto summary = app::RunDay(context.store(), context.clock(), *book, options);
    if (shown) context.err() << "\r" << std::string(78, ' ') << "\r" << std::flush;
    if (!summary) return context.Fail(summary.error());
    const double s = seconds();
    auto& out = context.out();
    out << fmt::format(
        "run {} by {}: {} cases seen, {} with new events, {} events, {} actions "
        "queued in the outbox, {:.1f} s ({} cases/s)\n",
        summary->as_of.ToString(), options.worker, WithThousands(summary->cases_seen),
        WithThousands(summary->cases_changed), WithThousands(summary->events),
        WithThousands(summary->outbox), s,
        WithThousands(s > 0 ? static_cast<std::int64_t>(summary->cases_seen / s) : 0));
    if (summary->rows_built > 0) {
      out << fmt::format("  {} cases (re)built from their history before the run\n",
                         WithThousands(summary->rows_built));
    }
    for (const auto& [action, count] : summary->actions) {
      out << fmt::format("  {:<22} {:>12}\n", action, WithThousands(count));
    }
    for (const auto& [outcome, count] : summary->outcomes) {
      out << fmt::format("  {:<22} {:>12}\n", outcome, WithThousands(count));
    }
    out << fmt::format(
        "  partitions: {} claimed by this worker, {} of {} per client planned, {} "
        "still running elsewhere\n",
        summary->partitions_claimed, summary->partitions, summary->partitions,
        summary->partitions_pending);
    if (summary->cases_seen == 0 && summary->partitions_claimed == 0) {
      out << "  nothing to do: the run of " << summary->as_of.ToString()
          << " is complete (running it again records nothing new)\n";
    }
    if (summary->no_strategy > 0) {
      out << fmt::format("  {} cases skipped: their strategy is not loaded\n",
                         WithThousands(summary->no_strategy));
      return kExitProblems;
    }
    return kExitOk;
  }));

  // quitt strategy check FILE... | explain CASE
  auto* strategy = app.add_subcommand("strategy", "Check strategy files, explain a case's step");
  strategy->require_subcommand(1);
  auto* check = strategy->add_subcommand("check", "Check strategy files; every problem at once");
  check->add_option("files", o.files, "Strategy files (TOML)")->required();
  // Checking files needs no database.
  check->callback([&] {
    int code = kExitOk;
    for (const std::string& file : o.files) {
      std::ifstream in(file, std::ios::binary);
      if (!in) {
        context.err() << "quitt: cannot read " << file << "\n";
        code = kExitFailed;
        continue;
      }
      std::stringstream buffer;
      buffer << in.rdbuf();
      auto problems = workflow::CheckStrategy(buffer.str(), file);
      if (problems.empty()) {
        auto loaded = workflow::LoadStrategy(buffer.str(), file);
        context.out() << fmt::format(
            "{}: ok, strategy '{}' version {}, {} variant(s), {} steps\n", file, loaded->id(),
            loaded->version(), loaded->variants().size(), loaded->variants().front().steps.size());
        continue;
      }
      for (const auto& p : problems) context.out() << p.ToString() << "\n";
      if (code == kExitOk) code = kExitProblems;
    }
    context.set_exit_code(code);
  });
  auto* explain = strategy->add_subcommand(
      "explain", "Why a case is on its step and what comes next, in plain words");
  explain->add_option("case", o.case_number, "Case number")->required();
  explain->add_option("--as-of", o.as_of, "Date to explain for (default: today)");
  explain->add_option("--strategies", o.strategies, "Strategy folder");
  explain->callback(context.Run([&, load_book] {
    auto as_of = DateOption(o.as_of, "--as-of", context.today());
    if (!as_of) return context.Fail(as_of.error());
    auto book = load_book();
    if (!book) return context.Fail(book.error());
    auto text = app::ExplainCase(context.store(), *book, o.case_number, *as_of);
    if (!text) return context.Fail(text.error());
    context.out() << *text;
    return kExitOk;
  }));

  // quitt case promise|plan|dispute|hardship|resolve (under the `case` group of commands_case.cc)
  CLI::App* case_cmd = app.get_subcommand("case");
  auto collection = [&context, &o, load_book](auto body) {
    return context.Run([&context, load_book, body] {
      auto book = load_book();
      if (!book) return context.Fail(book.error());
      app::CollectionContext c{context.store(), context.clock(), *book, Actor()};
      return body(c);
    });
  };
  auto done = [&context](const Result<app::CaseSummary>& r, const std::string& what) {
    if (!r) return context.Fail(r.error());
    context.out() << what << " recorded on case " << r->case_number << "\n";
    return kExitOk;
  };
  auto* promise = case_cmd->add_subcommand("promise", "Record a promise to pay");
  promise->add_option("case", o.case_number, "Case number")->required();
  promise->add_option("amount", o.amount, "Amount, e.g. 120.50")->required();
  promise->add_option("date", o.date, "Promised payment date")->required();
  promise->add_option("--strategies", o.strategies, "Strategy folder");
  promise->callback(collection([&, done](app::CollectionContext& c) {
    auto date = DateOption(o.date, "date", context.today());
    if (!date) return context.Fail(date.error());
    auto view = app::LoadCase(context.store(), o.case_number);
    if (!view) return context.Fail(view.error());
    const auto currency = view->summary.principal.currency();
    auto amount = domain::Money::Parse(o.amount, currency);
    if (!amount) amount = domain::Money::ParseGerman(o.amount, currency);  // "50,00" too
    if (!amount) return context.Fail(amount.error().WithContext("amount"));
    return done(app::PromiseToPay(c, o.case_number, *amount, *date, context.today()),
                "promise to pay " + amount->ToDecimalString() + " by " + date->ToString());
  }));
  auto* plan = case_cmd->add_subcommand("plan", "Agree a payment plan over the open balance");
  plan->add_option("case", o.case_number, "Case number")->required();
  plan->add_option("--instalments", o.instalments, "Number of instalments")->required();
  plan->add_option("--first", o.first, "Due date of the first instalment")->required();
  plan->add_option("--rhythm", o.rhythm, "weekly, fortnightly or monthly")->capture_default_str();
  plan->add_flag("--outside-limits", o.outside_limits,
                 "Agree even though the plan is outside the strategy's bounds");
  plan->add_option("--strategies", o.strategies, "Strategy folder");
  plan->callback(collection([&, done](app::CollectionContext& c) {
    auto first = DateOption(o.first, "--first", context.today());
    if (!first) return context.Fail(first.error());
    auto rhythm = workflow::ParseRhythm(o.rhythm);
    if (!rhythm) return context.Fail(InvalidArgument("--rhythm: weekly, fortnightly or monthly"));
    auto result = app::AgreePaymentPlan(c, o.case_number, o.instalments, *first, *rhythm,
                                        context.today(), o.outside_limits);
    if (!result) return context.Fail(result.error());
    context.out() << "payment plan recorded on case " << result->summary.case_number << ":\n";
    for (const auto& i : result->plan.instalments) {
      context.out() << "  " << i.due.ToString() << "  " << i.amount.ToDecimalString() << "\n";
    }
    for (const auto& reason : result->outside_limits) {
      context.out() << "  outside the strategy's bounds: " << reason << "\n";
    }
    return kExitOk;
  }));
  auto* dispute =
      case_cmd->add_subcommand("dispute", "Record that the customer disputes the claim");
  dispute->add_option("case", o.case_number, "Case number")->required();
  dispute->add_option("reason", o.text, "What the customer disputes")->required();
  dispute->add_option("--strategies", o.strategies, "Strategy folder");
  dispute->callback(collection([&, done](app::CollectionContext& c) {
    return done(app::RaiseDispute(c, o.case_number, o.text, context.today()),
                "dispute (escalation stopped)");
  }));
  auto* hardship = case_cmd->add_subcommand("hardship", "Flag the customer as a hardship case");
  hardship->add_option("case", o.case_number, "Case number")->required();
  hardship->add_option("reason", o.text, "Why");
  hardship->add_option("--strategies", o.strategies, "Strategy folder");
  hardship->callback(collection([&, done](app::CollectionContext& c) {
    return done(app::FlagHardship(c, o.case_number, o.text, context.today()),
                "hardship flag (escalation stopped)");
  }));
  auto* resolve = case_cmd->add_subcommand("resolve", "Lift a dispute or hardship flag");
  resolve->add_option("case", o.case_number, "Case number")->required();
  resolve->add_option("remark", o.text, "How it was resolved");
  resolve->add_option("--strategies", o.strategies, "Strategy folder");
  resolve->callback(collection([&, done](app::CollectionContext& c) {
    return done(app::ResolvePause(c, o.case_number, o.text, context.today()),
                "resolution (the strategy resumes with its next step)");
  }));

  // quitt outbox list
  auto* outbox = app.add_subcommand("outbox", "The actions queued for the channel adapters");
  outbox->require_subcommand(1);
  auto* list = outbox->add_subcommand("list", "List queued actions");
  list->add_option("--case", o.case_number, "Only this case");
  list->add_option("--limit", o.limit, "At most this many")->capture_default_str();
  list->callback(context.Run([&] {
    std::optional<app::ClientId> client;
    std::optional<app::CaseId> case_id;
    if (!o.case_number.empty()) {
      auto view = app::LoadCase(context.store(), o.case_number);
      if (!view) return context.Fail(view.error());
      client = view->summary.client;
      case_id = view->summary.id;
    }
    auto messages = context.store().ListOutbox(client, case_id, "", o.limit);
    if (!messages) return context.Fail(messages.error());
    for (const auto& m : *messages) {
      context.out() << fmt::format("{}  {:<14} {:<13} {:<34} {}\n", m.due.ToString(), m.case_number,
                                   m.channel, m.template_name, m.status);
    }
    return kExitOk;
  }));
}

}  // namespace quitt::adapters::cli
