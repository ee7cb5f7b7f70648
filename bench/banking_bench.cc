// Bank statement import speed (issue 5): parse a generated camt.053.001.08 with 100,000 entries
// (a mix of RF references, case numbers in free text, IBAN-only and unknown payers) and match every
// entry against an in-memory CaseFinder, as the storage adapter would answer from its indexes.
// Prints entries/s for parsing, matching and both together, plus the file size.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>
#include <unordered_map>

#include "adapters/banking/camt_reader.h"
#include "domain/payment/matching.h"

namespace {

using quitt::domain::CaseNumber;
using quitt::domain::CreditorReference;
using quitt::domain::Currency;
using quitt::domain::Iban;
using quitt::domain::Money;
using quitt::domain::payment::CaseCandidate;
using quitt::domain::payment::CaseFinder;
using quitt::domain::payment::MatchDecision;
using quitt::domain::payment::MatchTransaction;

constexpr int kEntries = 100'000;

std::string PayerIban(int i) {
  // Valid German IBANs: bank code 37040044, account i; check digits computed.
  char bban[32];
  std::snprintf(bban, sizeof bban, "37040044%010d", i);
  const int check = 98 - quitt::domain::Mod97(std::string(bban) + "DE00");
  char out[40];
  std::snprintf(out, sizeof out, "DE%02d%s", check, bban);
  return out;
}

std::string GenerateCamt() {
  std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\"><BkToCstmrStmt>"
      "<GrpHdr><MsgId>BENCH</MsgId><CreDtTm>2026-11-30T06:00:00</CreDtTm></GrpHdr><Stmt>"
      "<Id>BENCH-1</Id><Acct><Id><IBAN>DE89370400440532013000</IBAN></Id></Acct>\n";
  xml.reserve(static_cast<std::size_t>(kEntries) * 900);
  for (int i = 1; i <= kEntries; ++i) {
    const std::string amount = std::to_string(100 + i % 9000) + "." + std::to_string(10 + i % 90);
    std::string remittance;
    switch (i % 4) {
      case 0:
        remittance = "<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>" +
                     CreditorReference::Create("Q" + std::to_string(i))->electronic() +
                     "</Ref></CdtrRefInf></Strd>";
        break;
      case 1:
        remittance =
            "<Ustrd>Zahlung Akte " + CaseNumber::FromSequence(i)->ToString() + " Rate 1</Ustrd>";
        break;
      case 2: remittance = "<Ustrd>Rechnung vom Oktober</Ustrd>"; break;
      default: remittance = "<Ustrd>Danke</Ustrd>";
    }
    xml += "<Ntry><NtryRef>" + std::to_string(i) + "</NtryRef><Amt Ccy=\"EUR\">" + amount +
           "</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-11-28</Dt>"
           "</BookgDt><ValDt><Dt>2026-11-28</Dt></ValDt><AcctSvcrRef>BANK" +
           std::to_string(i) +
           "</AcctSvcrRef><BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT"
           "</SubFmlyCd></Fmly></Domn></BkTxCd><NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED"
           "</EndToEndId></Refs><Amt Ccy=\"EUR\">" +
           amount + "</Amt><CdtDbtInd>CRDT</CdtDbtInd><RltdPties><Dbtr><Pty><Nm>Kunde " +
           std::to_string(i) + "</Nm></Pty></Dbtr><DbtrAcct><Id><IBAN>" + PayerIban(i) +
           "</IBAN></Id></DbtrAcct></RltdPties><RmtInf>" + remittance +
           "</RmtInf></TxDtls></NtryDtls></Ntry>\n";
  }
  xml += "</Stmt></BkToCstmrStmt></Document>\n";
  return xml;
}

// Hash-map indexes over 100,000 open cases; every case i has reference RF..Q<i>, number i and
// the IBAN of payer i (so the IBAN-only entries match by IBAN; every eighth payer is unknown).
class MapFinder : public CaseFinder {
 public:
  MapFinder() {
    for (int i = 1; i <= kEntries; ++i) {
      const CaseCandidate c{i, Money::FromMinorUnits(1'000'000, Currency::Eur()), false};
      by_reference_[CreditorReference::Create("Q" + std::to_string(i))->electronic()] = c;
      by_number_[i] = c;
      if (i % 8 != 3) by_iban_[PayerIban(i)] = c;
    }
  }
  std::vector<CaseCandidate> FindCaseByReference(const CreditorReference& r) const override {
    return Find(by_reference_, r.electronic());
  }
  std::vector<CaseCandidate> FindCaseByNumber(const CaseNumber& n) const override {
    return Find(by_number_, n.sequence());
  }
  std::vector<CaseCandidate> FindCaseByEndToEndId(std::string_view) const override { return {}; }
  std::vector<CaseCandidate> FindCasesByIban(const Iban& iban) const override {
    return Find(by_iban_, iban.electronic());
  }
  std::vector<CaseCandidate> FindCasesByNameAndAmount(std::string_view,
                                                      const Money&) const override {
    return {};
  }

 private:
  template <typename Map, typename Key>
  static std::vector<CaseCandidate> Find(const Map& map, const Key& key) {
    auto it = map.find(key);
    if (it == map.end()) return {};
    return {it->second};
  }
  std::unordered_map<std::string, CaseCandidate> by_reference_;
  std::unordered_map<std::int64_t, CaseCandidate> by_number_;
  std::unordered_map<std::string, CaseCandidate> by_iban_;
};

const std::string& Statement() {
  static const std::string xml = GenerateCamt();
  return xml;
}

const MapFinder& Finder() {
  static const MapFinder finder;
  return finder;
}

void BM_ParseCamt053(benchmark::State& state) {
  const std::string& xml = Statement();
  for (auto _ : state) {
    auto statements = quitt::adapters::banking::ParseCamt(xml, "bench.xml");
    if (!statements.ok() || statements->at(0).transactions.size() != kEntries) {
      state.SkipWithError("parse failed");
      return;
    }
    benchmark::DoNotOptimize(statements);
  }
  state.counters["entries/s"] = benchmark::Counter(static_cast<double>(kEntries),
                                                   benchmark::Counter::kIsIterationInvariantRate);
  state.counters["file_MB"] = static_cast<double>(xml.size()) / 1e6;
  state.counters["entries"] = kEntries;
}
BENCHMARK(BM_ParseCamt053)->Unit(benchmark::kMillisecond);

void BM_MatchEntries(benchmark::State& state) {
  auto statements = quitt::adapters::banking::ParseCamt(Statement(), "bench.xml");
  const auto& transactions = statements->at(0).transactions;
  const MapFinder& finder = Finder();
  std::int64_t matched = 0;
  for (auto _ : state) {
    matched = 0;
    for (const auto& t : transactions) {
      matched += MatchTransaction(t, finder).decision == MatchDecision::kMatched ? 1 : 0;
    }
  }
  state.counters["entries/s"] = benchmark::Counter(static_cast<double>(transactions.size()),
                                                   benchmark::Counter::kIsIterationInvariantRate);
  state.counters["matched"] = static_cast<double>(matched);
  state.counters["entries"] = static_cast<double>(transactions.size());
}
BENCHMARK(BM_MatchEntries)->Unit(benchmark::kMillisecond);

void BM_ParseAndMatch(benchmark::State& state) {
  const std::string& xml = Statement();
  const MapFinder& finder = Finder();
  for (auto _ : state) {
    auto statements = quitt::adapters::banking::ParseCamt(xml, "bench.xml");
    std::int64_t matched = 0;
    for (const auto& t : statements->at(0).transactions) {
      matched += MatchTransaction(t, finder).decision == MatchDecision::kMatched ? 1 : 0;
    }
    benchmark::DoNotOptimize(matched);
  }
  state.counters["entries/s"] = benchmark::Counter(static_cast<double>(kEntries),
                                                   benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_ParseAndMatch)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
