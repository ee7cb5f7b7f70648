// quitt: the one binary. The only place that reads the wall clock and the local time zone.
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <iostream>
#include <string>
#include <vector>

#include "adapters/cli/cli.h"

namespace {

class SystemClock : public quitt::app::Clock {
 public:
  quitt::domain::Timestamp Now() override {
    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::system_clock::now().time_since_epoch());
    return quitt::domain::Timestamp::FromUnixMicros(micros.count());
  }
};

// Today's date where the agency works (TZ, default Europe/Berlin).
quitt::domain::Date LocalToday() {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  auto date = quitt::domain::Date::FromYmd(local.tm_year + 1900, local.tm_mon + 1, local.tm_mday);
  return date.ok() ? *date : quitt::domain::Date::FromDaysSinceEpoch(0);
}

}  // namespace

int main(int argc, char** argv) {
  if (std::getenv("TZ") == nullptr) setenv("TZ", "Europe/Berlin", 0);
  tzset();
  std::vector<std::string> args(argv + 1, argv + argc);
  SystemClock clock;
  quitt::adapters::cli::CliEnvironment env{std::cout, std::cerr, clock, LocalToday()};
  env.progress_on_terminal = isatty(STDERR_FILENO) != 0;
  return quitt::adapters::cli::RunCli(args, env);
}
