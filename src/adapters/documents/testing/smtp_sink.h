#pragma once
// Tests only: a real SMTP server for the tests of e-mail sending (tests/smtp_sink.py on aiosmtpd,
// on a free loopback port, one .eml file per accepted message), stopped by the destructor.
// Header-only; needs QUITT_SOURCE_DIR, which every test target defines.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace quitt::adapters::documents::testing {

// A loopback port nobody listens on right now.
inline int FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

inline bool CanConnectToLoopback(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

class SmtpSink {
 public:
  // Messages land in `dir` (by default smtp_artefacts/<port> under the working directory);
  // `extra` goes to smtp_sink.py (e.g. "--starttls", certificate files, "--refuse").
  explicit SmtpSink(std::filesystem::path dir = {}, std::vector<std::string> extra = {})
      : port_(FreeLoopbackPort()), dir_(std::move(dir)) {
    if (dir_.empty()) {
      dir_ = std::filesystem::current_path() / "smtp_artefacts" / std::to_string(port_);
      std::filesystem::remove_all(dir_);  // left by an earlier run on the same port
    }
    std::vector<std::string> args = {"/usr/bin/python3",
                                     std::string(QUITT_SOURCE_DIR) + "/tests/smtp_sink.py",
                                     std::to_string(port_), dir_.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, argv[0], nullptr, nullptr, argv.data(), environ) != 0) pid_ = 0;
    for (int i = 0; i < 200 && !CanConnectToLoopback(port_); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  ~SmtpSink() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
  // Message n (from 1) as received, "" when there is none.
  std::string Message(int n) const {
    std::ifstream in(dir_ / (std::to_string(n) + ".eml"), std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
  }
  bool Has(int n) const { return std::filesystem::exists(dir_ / (std::to_string(n) + ".eml")); }
  std::vector<std::string> Messages() const {
    std::vector<std::string> out;
    for (int n = 1; Has(n); ++n) out.push_back(Message(n));
    return out;
  }

 private:
  int port_ = 0;
  std::filesystem::path dir_;
  pid_t pid_ = 0;
};

}  // namespace quitt::adapters::documents::testing
