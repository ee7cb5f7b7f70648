// Decision-logic benchmark (issue 4): how many cases per second Decide handles, on 1,000,000
// synthetic open cases spread over the two shipped German strategies. No database, no outbox:
// this is the ceiling the daily run's own work sits on. Target: 2,000,000 cases/s or more.
//
// The cases come from a fixed-seed generator, so every run decides the same cases. Two shapes:
//   Daily:    cases at every point of the ladder, some paused by promises, plans or disputes,
//             decided on one date (most have nothing due, as on a real day).
//   CatchUp:  every case new and the run 40 days late, so each decision walks the whole ladder and
//             returns several actions (the worst case per case).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <vector>

#include "workflow/decide.h"

namespace {

using quitt::domain::Currency;
using quitt::domain::CustomerKind;
using quitt::domain::Date;
using quitt::domain::Money;
using namespace quitt::workflow;

constexpr std::size_t kCases = 1'000'000;

struct Rng {  // splitmix64: fixed seed, same sequence on every machine
  std::uint64_t state;
  std::uint64_t Next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  int Below(int n) { return static_cast<int>(Next() % static_cast<std::uint64_t>(n)); }
};

Strategy LoadShipped(const char* name) {
  std::ifstream in(std::string(QUITT_SOURCE_DIR) + "/strategies/" + name);
  std::stringstream text;
  text << in.rdbuf();
  auto s = LoadStrategy(text.str(), name);
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.error().message().c_str());
    std::abort();
  }
  return std::move(*s);
}

const Strategy& B2c() {
  static const Strategy s = LoadShipped("de-b2c.toml");
  return s;
}
const Strategy& B2b() {
  static const Strategy s = LoadShipped("de-b2b.toml");
  return s;
}

const Date kAsOf = *Date::Parse("2026-06-15");

std::vector<CaseFacts> MakeCases(bool catch_up) {
  std::vector<CaseFacts> cases(kCases);
  Rng rng{20261123};
  for (std::size_t i = 0; i < kCases; ++i) {
    CaseFacts& f = cases[i];
    f.case_id = static_cast<std::int64_t>(i + 1);
    f.customer_kind = rng.Below(4) == 0 ? CustomerKind::kBusiness : CustomerKind::kConsumer;
    f.country = PackCountry("DE");
    f.balance = Money::FromMinorUnits(1000 + rng.Below(2'000'000), Currency::Eur());
    f.repeat_customer = rng.Below(5) == 0;
    f.channels = static_cast<ChannelSet>(1 + rng.Below(15));
    if (catch_up) {
      f.handed_over = kAsOf.AddDays(-40);
      f.overdue_since = f.handed_over.AddDays(-20);
      continue;
    }
    f.handed_over = kAsOf.AddDays(-rng.Below(45));
    f.overdue_since = f.handed_over.AddDays(-10 - rng.Below(60));
    f.variant = 0;
    const int days_in = f.handed_over.DaysUntil(kAsOf);
    // Somewhere on the ladder: the last step taken a few days ago (or none yet).
    if (days_in > 0 && rng.Below(10) != 0) {
      f.current_step = static_cast<std::int16_t>(rng.Below(6));
      f.current_step_on = kAsOf.AddDays(-rng.Below(days_in < 14 ? days_in : 14));
    }
    const int roll = rng.Below(100);
    if (roll < 3) {
      f.disputed = true;
    } else if (roll < 8) {
      f.arrangement = {ArrangementKind::kPromise, kAsOf.AddDays(rng.Below(20) - 5), false,
                       kAsOf.AddDays(10)};
    } else if (roll < 13) {
      f.arrangement = {ArrangementKind::kPlan, kAsOf.AddDays(rng.Below(30) - 8), false,
                       kAsOf.AddDays(200)};
    }
  }
  return cases;
}

void Run(benchmark::State& state, bool catch_up) {
  const std::vector<CaseFacts> cases = MakeCases(catch_up);
  const Strategy& b2c = B2c();
  const Strategy& b2b = B2b();
  Decision decision;
  std::int64_t actions = 0;
  for (auto _ : state) {
    for (const CaseFacts& f : cases) {
      Decide(f.customer_kind == CustomerKind::kBusiness ? b2b : b2c, f, kAsOf, &decision);
      actions += static_cast<std::int64_t>(decision.actions.size());
    }
    benchmark::DoNotOptimize(actions);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kCases));
  state.counters["cases"] = static_cast<double>(kCases);
  state.counters["cases/s"] = benchmark::Counter(static_cast<double>(state.iterations()) * kCases,
                                                 benchmark::Counter::kIsRate);
  state.counters["actions/case"] =
      static_cast<double>(actions) / (static_cast<double>(state.iterations()) * kCases);
}

void BM_DecideDaily(benchmark::State& state) { Run(state, false); }
void BM_DecideCatchUp(benchmark::State& state) { Run(state, true); }

BENCHMARK(BM_DecideDaily)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_DecideCatchUp)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace

BENCHMARK_MAIN();
