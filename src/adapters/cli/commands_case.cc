#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "adapters/cli/case_format.h"
#include "adapters/cli/command_context.h"
#include "app/case_service.h"
#include "common/text.h"
#include "domain/case_number.h"

namespace quitt::adapters::cli {

namespace {

std::optional<domain::Money> ParseAmountOption(const std::string& text) {
  auto money = domain::Money::Parse(text, domain::Currency::Eur());
  if (!money) return std::nullopt;
  return *money;
}

struct CaseOptions {
  std::string client_code, client_name, client_country = "DE";
  std::string case_number, note_text,
      note_actor = "user:" + std::string(std::getenv("USER") ? std::getenv("USER") : "cli");
  bool as_json = false, verify_all = false;
  std::string verify_client;
  std::string list_client, list_status, list_type, list_min, list_max, list_from, list_to,
      list_name, list_after;
  int list_limit = 50;
};

}  // namespace

void RegisterCaseCommands(CLI::App& app, CommandContext& context) {
  auto& values = context.Own<CaseOptions>();
  std::string& client_code = values.client_code;
  std::string& client_name = values.client_name;
  std::string& client_country = values.client_country;
  std::string& case_number = values.case_number;
  std::string& note_text = values.note_text;
  std::string& note_actor = values.note_actor;
  bool& as_json = values.as_json;
  bool& verify_all = values.verify_all;
  std::string& verify_client = values.verify_client;
  std::string& list_client = values.list_client;
  std::string& list_status = values.list_status;
  std::string& list_type = values.list_type;
  std::string& list_min = values.list_min;
  std::string& list_max = values.list_max;
  std::string& list_from = values.list_from;
  std::string& list_to = values.list_to;
  std::string& list_name = values.list_name;
  std::string& list_after = values.list_after;
  int& list_limit = values.list_limit;
  // quitt migrate
  // Opening a store applies its pending migrations (SQLite and PostgreSQL alike), so this
  // command only has to open it.
  app.add_subcommand("migrate", "Create or upgrade the database schema")->callback(context.Run([&] {
    context.out() << "database is up to date\n";
    return kExitOk;
  }));

  // quitt client add|list
  auto* client_cmd = app.add_subcommand("client", "Manage clients (the creditors)");
  client_cmd->require_subcommand(1);
  auto* client_add = client_cmd->add_subcommand("add", "Add a client");
  client_add->add_option("code", client_code, "Short code, e.g. ACME")->required();
  client_add->add_option("--name", client_name, "Full name")->required();
  client_add->add_option("--country", client_country, "ISO 3166 country code")
      ->capture_default_str();
  client_add->callback(context.Run([&] {
    domain::Client client{{}, client_code, client_name, ToUpperAscii(client_country)};
    auto added = context.store().AddClient(client);
    if (!added) return context.Fail(added.error());
    context.out() << fmt::format("client {} added: {}\n", added->code, added->name);
    return kExitOk;
  }));
  client_cmd->add_subcommand("list", "List the clients")->callback(context.Run([&] {
    auto clients = context.store().ListClients();
    if (!clients) return context.Fail(clients.error());
    for (const auto& c : *clients)
      context.out() << fmt::format("{:<12} {:<2} {}\n", c.code, c.country, c.name);
    return kExitOk;
  }));

  // quitt case show|history|verify|note
  auto* case_cmd = app.add_subcommand("case", "Look at or change one case");
  case_cmd->require_subcommand(1);
  auto* case_show = case_cmd->add_subcommand("show", "Show a case: customer, claims, totals");
  case_show->add_option("case", case_number, "Case number, e.g. Q-00000001-7")->required();
  case_show->add_flag("--json", as_json, "Print JSON");
  case_show->callback(context.Run([&] {
    auto view = app::LoadCase(context.store(), case_number);
    if (!view) return context.Fail(view.error());
    context.out() << (as_json ? CaseDetailJson(*view).dump(2) + "\n" : FormatCaseDetail(*view));
    return kExitOk;
  }));
  auto* case_history = case_cmd->add_subcommand("history", "Show the timeline of a case");
  case_history->add_option("case", case_number, "Case number")->required();
  case_history->add_flag("--json", as_json, "Print JSON");
  case_history->callback(context.Run([&] {
    auto view = app::LoadCase(context.store(), case_number);
    if (!view) return context.Fail(view.error());
    context.out() << (as_json ? HistoryJson(*view).dump(2) + "\n" : FormatHistory(*view));
    return kExitOk;
  }));
  auto* case_verify = case_cmd->add_subcommand(
      "verify",
      "Re-check the hash chain of a case (or of all cases) and report the first broken link");
  case_verify->add_option("case", case_number, "Case number");
  case_verify->add_flag("--all", verify_all, "Verify every case");
  case_verify->add_option("--client", verify_client, "With --all: only this client's cases");
  case_verify->callback(context.Run([&] {
    if (case_number.empty() == !verify_all) {
      return context.Fail(InvalidArgument("give a case number or --all"));
    }
    if (!verify_all) {
      auto number = domain::CaseNumber::Parse(case_number);
      if (!number) return context.Fail(number.error());
      auto summary = context.store().FindCaseByNumber(number->ToString());
      if (!summary) return context.Fail(summary.error());
      if (!*summary)
        return context.Fail(NotFound("case " + number->ToString() + " does not exist"));
      auto result = app::VerifyCase(context.store(), **summary);
      if (result.status.ok()) {
        context.out() << fmt::format("case {}: {} events, hash chain intact\n", result.case_number,
                                     result.events);
        return kExitOk;
      }
      context.out() << fmt::format("case {}: BROKEN: {}\n", result.case_number,
                                   result.status.message());
      return kExitProblems;
    }
    std::optional<app::ClientId> client;
    if (!verify_client.empty()) {
      auto found = context.store().FindClientByCode(verify_client);
      if (!found) return context.Fail(found.error());
      if (!*found) return context.Fail(NotFound("client '" + verify_client + "' does not exist"));
      client = (*found)->id;
    }
    auto report = app::VerifyAll(context.store(), client);
    if (!report) return context.Fail(report.error());
    for (const auto& broken : report->broken) {
      context.out() << fmt::format("case {}: BROKEN: {}\n", broken.case_number,
                                   broken.status.message());
    }
    context.out() << fmt::format("{} cases, {} events verified, {} broken\n",
                                 WithThousands(report->cases), WithThousands(report->events),
                                 report->broken.size());
    return report->broken.empty() ? kExitOk : kExitProblems;
  }));
  auto* case_note = case_cmd->add_subcommand("note", "Add a note to a case's history");
  case_note->add_option("case", case_number, "Case number")->required();
  case_note->add_option("text", note_text, "The note")->required();
  case_note->add_option("--actor", note_actor, "Who writes the note")->capture_default_str();
  case_note->callback(context.Run([&] {
    if (Trim(note_text).empty()) return context.Fail(InvalidArgument("the note is empty"));
    auto summary = app::AppendToCase(context.store(), context.clock(), case_number,
                                     {domain::NoteAdded{note_text}}, note_actor, context.today());
    if (!summary) return context.Fail(summary.error());
    context.out() << fmt::format("note added to case {} as event {}\n", summary->case_number,
                                 summary->last_seq);
    return kExitOk;
  }));

  // quitt cases list
  auto* cases_cmd = app.add_subcommand("cases", "Lists of cases");
  cases_cmd->require_subcommand(1);
  auto* cases_list = cases_cmd->add_subcommand("list", "List cases, filtered");
  cases_list->add_option("--client", list_client, "Client code");
  cases_list->add_option("--status", list_status, "open or closed")
      ->check(CLI::IsMember({"open", "closed"}));
  cases_list->add_option("--type", list_type, "consumer or business")
      ->check(CLI::IsMember({"consumer", "business"}));
  cases_list->add_option("--min-amount", list_min, "Minimum principal, e.g. 100.00");
  cases_list->add_option("--max-amount", list_max, "Maximum principal");
  cases_list->add_option("--opened-from", list_from, "Opened on or after (YYYY-MM-DD)");
  cases_list->add_option("--opened-to", list_to, "Opened on or before (YYYY-MM-DD)");
  cases_list->add_option("--name", list_name, "Customer name contains");
  cases_list->add_option("--after", list_after, "Continue after this case number (paging)");
  cases_list->add_option("--limit", list_limit, "At most this many cases")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  cases_list->add_flag("--json", as_json, "Print JSON");
  cases_list->callback(context.Run([&] {
    app::CaseFilter filter;
    filter.limit = list_limit;
    if (!list_client.empty()) {
      auto found = context.store().FindClientByCode(list_client);
      if (!found) return context.Fail(found.error());
      if (!*found) return context.Fail(NotFound("client '" + list_client + "' does not exist"));
      filter.client = (*found)->id;
    }
    if (!list_status.empty())
      filter.status =
          list_status == "open" ? domain::CaseStatus::kOpen : domain::CaseStatus::kClosed;
    if (!list_type.empty()) filter.customer_kind = domain::ParseCustomerKind(list_type);
    for (auto [text, target, name] :
         {std::tuple{&list_min, &filter.min_principal_minor, "--min-amount"},
          std::tuple{&list_max, &filter.max_principal_minor, "--max-amount"}}) {
      if (text->empty()) continue;
      auto amount = ParseAmountOption(*text);
      if (!amount)
        return context.Fail(
            InvalidArgument(std::string(name) + ": '" + *text + "' is not an amount like 100.00"));
      *target = amount->minor_units();
    }
    for (auto [text, target, name] : {std::tuple{&list_from, &filter.opened_from, "--opened-from"},
                                      std::tuple{&list_to, &filter.opened_to, "--opened-to"}}) {
      if (text->empty()) continue;
      auto date = domain::Date::ParseFlexible(*text);
      if (!date) return context.Fail(date.error().WithContext(name));
      *target = *date;
    }
    filter.customer_name_contains = list_name;
    if (!list_after.empty()) {
      auto number = domain::CaseNumber::Parse(list_after);
      if (!number) return context.Fail(number.error().WithContext("--after"));
      filter.after = app::CaseId(number->sequence());
    }
    auto cases = context.store().ListCases(filter);
    if (!cases) return context.Fail(cases.error());
    if (as_json) {
      nlohmann::json list = nlohmann::json::array();
      for (const auto& c : *cases) list.push_back(CaseSummaryJson(c));
      nlohmann::json page{{"cases", list}};
      page["next_after"] = static_cast<int>(cases->size()) == list_limit && !cases->empty()
                               ? nlohmann::json(cases->back().case_number)
                               : nlohmann::json();
      context.out() << page.dump(2) << "\n";
    } else {
      context.out() << FormatCaseList(*cases);
      if (static_cast<int>(cases->size()) == list_limit && !cases->empty()) {
        context.out() << "more: --after " << cases->back().case_number << "\n";
      }
    }
    return kExitOk;
  }));
}

}  // namespace quitt::adapters::cli
