#include "adapters/cli/cli.h"

#include <CLI/CLI.hpp>

#include "adapters/cli/command_context.h"

namespace quitt::adapters::cli {

int RunCli(const std::vector<std::string>& args, CliEnvironment& env) {
  CLI::App app{"quitt — receivables collection: cases, claims, history", "quitt"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Show help for every command");
  GlobalOptions global;
  app.add_option(
      "--db", global.db,
      "SQLite database file (default: $QUITT_DB, else ./quitt.db); created when missing");
  app.add_option(
      "--now", global.now,
      "Use this instant as the current time (YYYY-MM-DDTHH:MM:SSZ), for tests and replays");
  CommandContext context(env, global);
  RegisterCaseCommands(app, context);
  RegisterImportCommands(app, context);
  RegisterRunCommands(app, context);
  RegisterMoneyCommands(app, context);
  RegisterServeCommands(app, context);
  RegisterDeliverCommands(app, context);

  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    env.out << app.help();
    return kExitOk;
  } catch (const CLI::CallForAllHelp&) {
    env.out << app.help("", CLI::AppFormatMode::All);
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    // Subcommand help (`quitt import claims --help`) arrives here too.
    if (e.get_exit_code() == 0) {
      env.out << e.what();
      return kExitOk;
    }
    env.err << "quitt: " << e.what() << "\n(run quitt --help for the commands)\n";
    return kExitFailed;
  }
  return context.exit_code();
}

}  // namespace quitt::adapters::cli
