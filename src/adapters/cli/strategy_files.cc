#include "adapters/cli/strategy_files.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "workflow/strategy.h"

namespace quitt::adapters::cli {

namespace {

namespace fs = std::filesystem;

Result<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read " + path.string());
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

std::string StrategyFolder(const std::string& flag) {
  if (!flag.empty()) return flag;
  const char* env = std::getenv("QUITT_STRATEGIES");
  if (env != nullptr && *env != 0) return env;
  // ./strategies when quitt runs from a checkout; else the shipped defaults of the source tree it
  // was built from, so `quitt run` works from any directory.
  std::error_code error;
  if (fs::is_directory("strategies", error)) return "strategies";
  return QUITT_DEFAULT_STRATEGIES;
}

Result<app::StrategyBook> LoadStrategyBook(const std::string& folder, app::CaseStore& store) {
  std::error_code error;
  if (!fs::is_directory(folder, error)) {
    return NotFound("strategy folder " + folder +
                    " does not exist (give --strategies DIR or set QUITT_STRATEGIES)");
  }
  struct File {
    fs::path path;
    std::optional<domain::CustomerKind> kind;
    std::optional<app::ClientId> client;
  };
  std::vector<File> files;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.path().extension() != ".toml") continue;
    File f{entry.path(), std::nullopt, std::nullopt};
    const std::string name = entry.path().filename().string();
    if (name == "de-b2c.toml") f.kind = domain::CustomerKind::kConsumer;
    if (name == "de-b2b.toml") f.kind = domain::CustomerKind::kBusiness;
    files.push_back(f);
  }
  const fs::path clients = fs::path(folder) / "clients";
  if (fs::is_directory(clients, error)) {
    for (const auto& dir : fs::directory_iterator(clients)) {
      if (!dir.is_directory()) continue;
      const std::string code = dir.path().filename().string();
      QUITT_ASSIGN_OR_RETURN(auto client, store.FindClientByCode(code));
      if (!client) {
        return NotFound("strategy folder " + dir.path().string() + ": no client with code " + code);
      }
      for (auto [file, kind] : {std::pair{"consumer.toml", domain::CustomerKind::kConsumer},
                                std::pair{"business.toml", domain::CustomerKind::kBusiness}}) {
        if (fs::exists(dir.path() / file)) files.push_back({dir.path() / file, kind, client->id});
      }
    }
  }
  std::sort(files.begin(), files.end(),
            [](const File& a, const File& b) { return a.path < b.path; });
  app::StrategyBook book;
  std::string problems;
  std::vector<std::pair<std::string, const File*>> loaded;
  for (const File& f : files) {
    QUITT_ASSIGN_OR_RETURN(std::string text, ReadFile(f.path));
    auto strategy = workflow::LoadStrategy(text, f.path.string());
    if (!strategy) {
      problems += strategy.error().message() + "\n";
      continue;
    }
    const std::string id = strategy->id();
    Status added = book.Add(std::move(*strategy));
    if (!added.ok()) {
      problems += added.message() + "\n";
      continue;
    }
    loaded.emplace_back(id, &f);
  }
  if (!problems.empty()) {
    problems.pop_back();
    return InvalidArgument("the strategies do not load; nothing was run:\n" + problems);
  }
  for (const auto& [id, f] : loaded) {
    if (f->kind) QUITT_RETURN_IF_ERROR(book.UseFor(*f->kind, id, f->client));
  }
  return book;
}

}  // namespace quitt::adapters::cli
