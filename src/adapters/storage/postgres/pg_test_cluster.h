#pragma once
// ThrowAwayCluster: a PostgreSQL cluster that lives as long as the object, for tests and
// benchmarks. It runs tests/pg/pg_cluster.sh (initdb into a temporary directory, server on a free
// 127.0.0.1 port, unix socket inside that directory, as the `postgres` user when we are root) and
// stops it and removes the directory on destruction. The script's watchdog also stops it when this
// process dies without destructing (a crash, a kill by a test timeout).
//
// Header-only so test programs and benchmarks can use it without putting process control into
// the storage library.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "common/status.h"

namespace quitt::adapters::postgres {

class ThrowAwayCluster {
 public:
  // kNotFound when no PostgreSQL server is installed (/usr/lib/postgresql/*/bin), kUnavailable
  // when one is installed but the cluster does not start. `fast` turns off fsync (tests).
  static Result<std::unique_ptr<ThrowAwayCluster>> Start(const std::string& script, bool fast) {
    const std::string quoted = "'" + script + "'";
    std::string command = "bash " + quoted + " start" + (fast ? " --fast" : "") + " --owner-pid " +
                          std::to_string(getpid()) + " 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) return Unavailable("cannot run " + script);
    std::string output;
    char buffer[512];
    while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
    int status = pclose(pipe);
    int exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (exit_code == 3) return NotFound("no PostgreSQL server installed: " + output);
    if (exit_code != 0) return Unavailable("the test cluster did not start: " + output);
    std::unique_ptr<ThrowAwayCluster> cluster(new ThrowAwayCluster(script));
    std::size_t start = 0;
    while (start < output.size()) {
      std::size_t end = output.find('\n', start);
      if (end == std::string::npos) end = output.size();
      std::string line = output.substr(start, end - start);
      start = end + 1;
      if (line.rfind("dir=", 0) == 0) cluster->dir_ = line.substr(4);
      if (line.rfind("port=", 0) == 0) cluster->port_ = std::atoi(line.c_str() + 5);
      if (line.rfind("url=", 0) == 0) cluster->url_ = line.substr(4);
    }
    if (cluster->dir_.empty() || cluster->port_ == 0 || cluster->url_.empty()) {
      return Unavailable("unexpected output of " + script + ": " + output);
    }
    return cluster;
  }

  ~ThrowAwayCluster() { Stop(); }
  ThrowAwayCluster(const ThrowAwayCluster&) = delete;
  ThrowAwayCluster& operator=(const ThrowAwayCluster&) = delete;

  void Stop() {
    if (dir_.empty()) return;
    std::string command = "bash '" + script_ + "' stop '" + dir_ + "' >/dev/null 2>&1";
    (void)std::system(command.c_str());
    dir_.clear();
  }

  // postgresql://quitt@127.0.0.1:PORT/postgres
  const std::string& url() const { return url_; }
  int port() const { return port_; }
  const std::string& dir() const { return dir_; }
  // libpq keyword form whose tables live in `schema` (search_path), e.g. one schema per test.
  std::string ConnInfoForSchema(const std::string& schema) const {
    return "host=127.0.0.1 port=" + std::to_string(port_) +
           " user=quitt dbname=postgres options='-c search_path=" + schema + "'";
  }

 private:
  explicit ThrowAwayCluster(std::string script) : script_(std::move(script)) {}
  std::string script_;
  std::string dir_;
  std::string url_;
  int port_ = 0;
};

}  // namespace quitt::adapters::postgres
