// `quitt serve` (the HTTP API) and the commands that give people and systems access to it:
// `quitt user add` (a person with a role) and `quitt key add` (an API key of a client system).
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "adapters/cli/command_context.h"
#include "adapters/cli/strategy_files.h"
#include "adapters/http/api.h"
#include "adapters/http/server.h"
#include "adapters/http/webhook_delivery.h"
#include "adapters/storage/open_store.h"
#include "app/auth/auth_service.h"
#include "app/daily_run.h"

namespace quitt::adapters::cli {

namespace {

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";
  int threads = 4;  // two per core measured best on a 2-core machine (docs/api.md)
  std::string access_log = "-";
  std::uint64_t body_limit = 8 * 1024 * 1024;
  bool no_webhooks = false;
  bool secure_cookies = false;
  std::string strategies;
  int run_partitions = 4;
  std::string tls_cert, tls_key;
  std::string username, role, client, label;
};

// "127.0.0.1:8080" / "[::1]:8080" → address and port.
Result<std::pair<std::string, int>> SplitListen(const std::string& listen) {
  const std::size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return InvalidArgument("--listen: use ADDRESS:PORT");
  std::string address = listen.substr(0, colon);
  if (address.size() > 2 && address.front() == '[' && address.back() == ']') {
    address = address.substr(1, address.size() - 2);
  }
  const std::string port_text = listen.substr(colon + 1);
  char* end = nullptr;
  const long port = std::strtol(port_text.c_str(), &end, 10);
  if (port_text.empty() || *end != 0 || port < 0 || port > 65535) {
    return InvalidArgument("--listen: '" + port_text + "' is not a port");
  }
  return std::make_pair(address, static_cast<int>(port));
}

std::shared_ptr<spdlog::logger> AccessLogger(const std::string& where) {
  if (where == "off") return nullptr;
  std::shared_ptr<spdlog::logger> logger = where == "-"
                                               ? spdlog::stdout_logger_mt("quitt-access")
                                               : spdlog::basic_logger_mt("quitt-access", where);
  logger->set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%fZ",%v)", spdlog::pattern_time_type::utc);
  logger->flush_on(spdlog::level::info);
  return logger;
}

// How this process names itself on the partitions of a daily run it claims.
std::string ServeWorkerName(int port) {
  std::string host;
  std::ifstream("/etc/hostname") >> host;
  return "serve:" + (host.empty() ? std::string("local") : host) + ":" + std::to_string(getpid()) +
         ":" + std::to_string(port);
}

}  // namespace

void RegisterServeCommands(CLI::App& app, CommandContext& context) {
  auto& o = context.Own<ServeOptions>();

  auto* serve = app.add_subcommand("serve", "Run the HTTP API (Ctrl-C or SIGTERM stops it)");
  serve->add_option("--listen", o.listen, "ADDRESS:PORT to listen on")->capture_default_str();
  serve->add_option("--threads", o.threads, "Worker threads (and database connections)")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  serve->add_option("--access-log", o.access_log, "JSON access log: - (stdout), a file, or off")
      ->capture_default_str();
  serve->add_option("--body-limit", o.body_limit, "Largest request body in bytes")
      ->capture_default_str();
  serve->add_flag("--no-webhooks", o.no_webhooks, "Do not deliver webhooks from this process");
  serve->add_flag("--secure-cookies", o.secure_cookies,
                  "Mark the session cookie Secure (when clients reach quitt over TLS)");
  serve
      ->add_option("--tls-cert", o.tls_cert,
                   "Serve HTTPS (TLS 1.2+) with this PEM certificate chain (with --tls-key)")
      ->check(CLI::ExistingFile);
  serve->add_option("--tls-key", o.tls_key, "PEM private key of --tls-cert")
      ->check(CLI::ExistingFile);
  serve->add_option("--strategies", o.strategies,
                    "Strategy folder for POST /api/v1/runs (default: $QUITT_STRATEGIES, else "
                    "./strategies)");
  serve
      ->add_option("--run-partitions", o.run_partitions,
                   "Partitions per client of a daily run this server plans")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  serve->callback(context.Run([&] {
    auto listen = SplitListen(o.listen);
    if (!listen) return context.Fail(listen.error());
    const std::string path = context.DatabasePath();
    app::Clock& clock = context.clock();
    http::StorePool pool(
        [path, &clock]() -> Result<std::unique_ptr<http::StoreSet>> {
          QUITT_ASSIGN_OR_RETURN(OpenedStores opened, OpenStores(path, clock));
          auto set = std::make_unique<http::StoreSet>();
          set->cases = std::move(opened.cases);
          set->auth = std::move(opened.auth);
          return set;
        },
        o.threads + 2);
    app::auth::AuthService auth(clock);
    http::Metrics metrics;
    http::ApiOptions api_options;
    api_options.secure_cookies = o.secure_cookies || !o.tls_cert.empty();
    // The strategies are loaded for each run, so a run sees clients added since the start.
    api_options.run_day = [folder = StrategyFolder(o.strategies), &clock,
                           worker = ServeWorkerName(listen->second),
                           default_partitions = o.run_partitions](
                              app::CaseStore& store, domain::Date as_of,
                              std::optional<int> partitions) -> Result<app::RunSummary> {
      QUITT_ASSIGN_OR_RETURN(app::StrategyBook book, LoadStrategyBook(folder, store));
      app::RunOptions options;
      options.as_of = as_of;
      options.partitions = partitions.value_or(default_partitions);
      options.worker = worker;
      return app::RunDay(store, clock, book, options);
    };
    http::Api api(pool, auth, clock, metrics, api_options);
    http::ServerOptions options;
    options.address = listen->first;
    options.port = listen->second;
    options.threads = o.threads;
    options.body_limit = o.body_limit;
    options.access_log = AccessLogger(o.access_log);
    options.tls_cert_file = o.tls_cert;
    options.tls_key_file = o.tls_key;
    http::WebhookDelivery webhooks(pool, clock);
    if (!o.no_webhooks) webhooks.Start();
    http::HttpServer server(api, metrics, options);
    // A PostgreSQL URL may carry a password: name only the kind.
    context.err() << "quitt: serving "
                  << (StoreKindOf(path) == StoreKind::kPostgres ? "a PostgreSQL database" : path)
                  << (o.tls_cert.empty() ? " on http://" : " on https://") << o.listen << " with "
                  << o.threads << " threads\n";
    Status status = server.RunUntilSignal();
    webhooks.Stop();
    if (!status.ok()) return context.Fail(status);
    context.err() << "quitt: stopped\n";
    return kExitOk;
  }));

  // quitt user add NAME --role ROLE [--client CODE]; the password comes from $QUITT_PASSWORD or
  // the first line of stdin, never from the command line (it would show in `ps`).
  auto* user = app.add_subcommand("user", "Manage the people who log in to the API");
  user->require_subcommand(1);
  auto* user_add =
      user->add_subcommand("add", "Create a user (password from $QUITT_PASSWORD or stdin)");
  user_add->add_option("username", o.username, "Login name")->required();
  user_add->add_option("--role", o.role, "admin, supervisor, agent or client_user")->required();
  user_add->add_option("--client", o.client, "Client code (client_user only)");
  user_add->callback(context.Run([&] {
    auto role = app::auth::ParseRole(o.role);
    if (!role) return context.Fail(InvalidArgument("--role: '" + o.role + "' is not a role"));
    std::optional<std::int64_t> client_id;
    if (!o.client.empty()) {
      auto found = context.store().FindClientByCode(o.client);
      if (!found) return context.Fail(found.error());
      if (!*found) return context.Fail(NotFound("client '" + o.client + "' does not exist"));
      client_id = (*found)->id.value();
    }
    std::string password;
    if (const char* env = std::getenv("QUITT_PASSWORD"); env != nullptr) {
      password = env;
    } else {
      std::getline(std::cin, password);
    }
    auto store = AuthStoreOn(context.store());
    if (!store) return context.Fail(store.error());
    app::auth::AuthService auth(context.clock());
    auto created = auth.CreateUser(**store, o.username, password, *role, client_id);
    if (!created) return context.Fail(created.error());
    context.out() << "user " << created->username << " (" << app::auth::RoleName(created->role)
                  << ") created\n";
    return kExitOk;
  }));

  // quitt key add CLIENT [--label TEXT]: prints the key once.
  auto* key = app.add_subcommand("key", "Manage API keys of client systems");
  key->require_subcommand(1);
  auto* key_add = key->add_subcommand("add", "Create an API key for a client (printed once)");
  key_add->add_option("client", o.client, "Client code")->required();
  key_add->add_option("--label", o.label, "What the key is for, e.g. \"ERP export\"");
  key_add->callback(context.Run([&] {
    auto found = context.store().FindClientByCode(o.client);
    if (!found) return context.Fail(found.error());
    if (!*found) return context.Fail(NotFound("client '" + o.client + "' does not exist"));
    auto store = AuthStoreOn(context.store());
    if (!store) return context.Fail(store.error());
    app::auth::AuthService auth(context.clock());
    auto created = auth.CreateApiKey(**store, (*found)->id.value(), o.label);
    if (!created) return context.Fail(created.error());
    context.out() << *created << "\n";
    return kExitOk;
  }));
}

}  // namespace quitt::adapters::cli
