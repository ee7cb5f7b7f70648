#include "domain/jurisdiction/de/fees.h"

#include <algorithm>

#include "common/check.h"

namespace quitt::domain::de {
namespace {

Date Ymd(int y, int m, int d) {
  auto date = Date::FromYmd(y, m, d);
  QUITT_CHECK(date.ok());
  return *date;
}

Money Eur(std::int64_t cents) { return Money::FromMinorUnits(cents, Currency::Eur()); }

std::string Amount(Money m) { return m.ToGermanString() + " EUR"; }

std::string Tenths(std::int32_t tenths) {
  return std::to_string(tenths / 10) + "," + std::to_string(tenths % 10);
}

constexpr std::int64_t kOpen = INT64_MAX;

}  // namespace

const std::vector<RvgTableVersion>& RvgTables() {
  // Reference § 3.2. 2021: KostRÄG 2021 (https://buzer.de/gesetz/6775/al0-119679.htm); 2025:
  // KostBRÄG 2025, BGBl. 2025 I Nr. 109, Art. 11 (rvrecht.deutsche-rentenversicherung.de,
  // datenbank.nwb.de). Both checked against the full Anlage 2 in the reference.
  static const std::vector<RvgTableVersion>* tables = new std::vector<RvgTableVersion>{
      {"RVG § 13 table 2021-01-01",
       Ymd(2021, 1, 1),
       Ymd(2025, 5, 31),
       4900,
       {{200000, 50000, 3900},
        {1000000, 100000, 5600},
        {2500000, 300000, 5200},
        {5000000, 500000, 8100},
        {20000000, 1500000, 9400},
        {50000000, 3000000, 13200},
        {kOpen, 5000000, 16500}},
       "§ 13(1) RVG as of KostRÄG 2021, https://buzer.de/gesetz/6775/al0-119679.htm"},
      {"RVG § 13 table 2025-06-01",
       Ymd(2025, 6, 1),
       std::nullopt,
       5150,
       {{200000, 50000, 4150},
        {1000000, 100000, 5950},
        {2500000, 300000, 5500},
        {5000000, 500000, 8600},
        {20000000, 1500000, 9950},
        {50000000, 3000000, 14000},
        {kOpen, 5000000, 17500}},
       "§ 13(1) RVG as of KostBRÄG 2025 (BGBl. 2025 I Nr. 109, Art. 11), "
       "https://rvrecht.deutsche-rentenversicherung.de/SharedDocs/rvRecht/05_Normen_und_Vertraege/"
       "02_L-R/RVG/0013/0013_2025_06_01.html"},
  };
  return *tables;
}

Result<const RvgTableVersion*> RvgTableOn(Date work_date) {
  for (const RvgTableVersion& t : RvgTables()) {
    if (work_date >= t.valid_from && (!t.valid_until || work_date <= *t.valid_until)) return &t;
  }
  return InvalidArgument("no RVG fee table for work done on " + work_date.ToString() +
                         " (tables kept from 2021-01-01)");
}

Result<TableFee> RvgFullFee(Money value, Date work_date) {
  if (!(value.currency() == Currency::Eur())) {
    return InvalidArgument("RVG fees need a value in EUR, got " +
                           std::string(value.currency().code()));
  }
  if (!value.is_positive()) {
    return InvalidArgument("RVG fee value must be positive, got " + value.ToDecimalString());
  }
  QUITT_ASSIGN_OR_RETURN(const RvgTableVersion* table, RvgTableOn(work_date));
  const std::int64_t v = value.minor_units();
  std::int64_t fee = table->base_cents;
  std::int64_t lower = 50000;
  std::int64_t row_up_to = 50000;
  for (const RvgBracket& b : table->brackets) {
    if (v <= lower) break;
    std::int64_t top = std::min(v, b.up_to_cents);
    std::int64_t steps = (top - lower + b.step_cents - 1) / b.step_cents;  // each started step
    fee += steps * b.increment_cents;
    row_up_to = lower + steps * b.step_cents;
    lower = b.up_to_cents;
  }
  TableFee out;
  out.fee = Eur(fee);
  out.row_up_to = Eur(row_up_to);
  out.row = std::string(table->name) + ": value up to " + Amount(out.row_up_to) + " -> 1,0 fee " +
            Amount(out.fee);
  out.basis = {"§ 13(1) RVG with Anlage 2", table->source};
  return out;
}

Date InkassoReformDate() { return Ymd(2021, 10, 1); }

std::optional<TableFee> RvgLowValueFee(Money value, Date work_date,
                                       std::int64_t fee_from_2025_cents) {
  if (work_date < InkassoReformDate() || value.minor_units() > 5000) return std::nullopt;
  TableFee out;
  out.row_up_to = Eur(5000);
  if (work_date < Ymd(2025, 6, 1)) {
    out.fee = Eur(3000);
    out.row = "§ 13(2) RVG 2021-10-01: undisputed claim up to 50,00 EUR -> 1,0 fee 30,00 EUR";
    out.basis = {"§ 13(2) RVG (low-value rule, Nr. 2300 Anm. Abs. 2 VV RVG)",
                 "https://buzer.de/gesetz/6775/al0-119679.htm"};
  } else {
    // ⚠ reference § 3.3: NWB and national-inkasso give 31.50, DRV rvRecht 30.50; configurable.
    out.fee = Eur(fee_from_2025_cents);
    out.row =
        "§ 13(2) RVG 2025-06-01: undisputed claim up to 50,00 EUR -> 1,0 fee " + Amount(out.fee);
    out.basis = {"§ 13(2) RVG (low-value rule, Nr. 2300 Anm. Abs. 2 VV RVG)",
                 "https://datenbank.nwb.de/Dokument/338662_13/ (31,50; DRV rvRecht says 30,50 - "
                 "verify against BGBl. 2025 I Nr. 109)"};
  }
  return out;
}

FeeRate BusinessFeeRate(CollectionCourse course, Date work_date) {
  const std::string src =
      "Nr. 2300 VV RVG, https://www.inkasso.de/newsdetail/inkassokosten-was-ab-dem-1102021-gilt";
  if (work_date < InkassoReformDate()) {
    return {13, {"Nr. 2300 VV RVG Anm. Abs. 1: threshold rate 1,3 (law before 01.10.2021)", src}};
  }
  switch (course) {
    case CollectionCourse::kPaidOnFirstDemand:
      return {
          5, {"Nr. 2300 VV RVG Anm. Abs. 2 S. 2: simple case, paid on the first demand: 0,5", src}};
    case CollectionCourse::kRegular:
      return {9, {"Nr. 2300 VV RVG Anm. Abs. 2 S. 1: undisputed claim, at most 0,9", src}};
    case CollectionCourse::kExtensiveOrDifficult:
      return {13,
              {"Nr. 2300 VV RVG Anm. Abs. 2 S. 1: particularly extensive or difficult, at most 1,3",
               src}};
    case CollectionCourse::kDisputed:
      return {13, {"Nr. 2300 VV RVG Anm. Abs. 1: disputed claim, threshold rate 1,3", src}};
  }
  return {9, {"Nr. 2300 VV RVG", src}};
}

Money ApplyRate(Money full_fee, std::int32_t tenths) {
  Money fee = full_fee.MultiplyRatio(tenths, 10, RoundingMode::kHalfUp);  // § 2(2) S.2 RVG
  return Max(fee, Eur(1500));                                             // § 13(3) RVG
}

Money ExpenseFlatRate(Money fees) {
  return Min(fees.MultiplyRatio(20, 100, RoundingMode::kHalfUp), Eur(2000));
}

Money Vat(Money net, Date /*work_date*/) {
  // 19 % (§ 12(1) UStG) throughout the span of the fee tables kept (2021-01-01 onwards).
  return net.MultiplyRatio(19, 100, RoundingMode::kHalfUp);
}

Result<std::vector<FeeLine>> GermanFeeLines(const FeeEvent& event, const FeeContext& context,
                                            const GermanFeeOptions& options) {
  std::vector<FeeLine> lines;
  FeeLine fee;
  fee.fee_ref = event.ref;
  fee.date = event.date;
  Money statutory = Eur(0);
  if (event.kind == FeeKind::kBusinessFee) {
    FeeRate rate = BusinessFeeRate(event.course, event.date);
    std::optional<TableFee> table;
    if (event.course != CollectionCourse::kDisputed) {
      table = RvgLowValueFee(context.value, event.date, options.low_value_fee_2025_cents);
    }
    if (!table) {
      QUITT_ASSIGN_OR_RETURN(TableFee t, RvgFullFee(context.value, event.date));
      table = t;
    }
    statutory = ApplyRate(table->fee, rate.tenths);
    fee.kind = CostKind::kBusinessFee;
    fee.value = context.value;
    fee.rate_tenths = rate.tenths;
    fee.table_row = table->row;
    fee.basis = {rate.basis.rule + "; " + table->basis.rule,
                 rate.basis.source + "; " + table->basis.source};
  } else {
    const bool new_law = event.date >= InkassoReformDate();
    const std::int32_t share = new_law ? 50 : 20;
    const std::int32_t tenths = new_law ? 7 : 15;
    // Rounded up to the cent: half of 1,000.01 is above the 500 edge, and must stay above it.
    Money value = context.value.MultiplyRatio(share, 100, RoundingMode::kUp);
    QUITT_ASSIGN_OR_RETURN(TableFee t, RvgFullFee(value, event.date));
    statutory = ApplyRate(t.fee, tenths);
    fee.kind = CostKind::kSettlementFee;
    fee.value = value;
    fee.rate_tenths = tenths;
    fee.table_row = t.row;
    fee.basis = {"Nr. 1000 Nr. 2 VV RVG: payment plan, rate " + Tenths(tenths) + " on " +
                     std::to_string(share) + " % of the claim (§ 31b RVG); " + t.basis.rule,
                 "https://buzer.de/gesetz/6775/al0-159113.htm; " + t.basis.source};
  }
  fee.amount = statutory;
  if (event.charged) {
    if (*event.charged > statutory) {
      fee.note =
          "capped by § 13e RDG at the lawyer's fee; the agency billed " + Amount(*event.charged);
    } else {
      fee.amount = *event.charged;
      if (*event.charged < statutory) {
        fee.note = "billed below the statutory amount of " + Amount(statutory);
      }
    }
  }
  lines.push_back(fee);
  Money net = fee.amount;
  if (options.expenses_flat_rate) {
    Money total = ExpenseFlatRate(context.fees_so_far + fee.amount);
    Money delta = total - context.expenses_so_far;
    if (delta.is_positive()) {
      FeeLine e;
      e.kind = CostKind::kExpenses;
      e.fee_ref = event.ref;
      e.date = event.date;
      e.amount = delta;
      e.basis = {
          "Nr. 7002 VV RVG: postage and telecommunication flat rate, 20 % of the fees, at "
          "most 20,00 EUR per matter",
          "https://haufe.de/recht/deutsches-anwalt-office-premium/"
          "schneidervolpert-anwaltkommentar-rvg-rvg-vv70017002-vi-pauschale-abrechnung-"
          "vv7002_idesk_PI17574_HI14753567.html"};
      e.note = "20 % of fees " + Amount(context.fees_so_far + fee.amount) + " = " + Amount(total) +
               " in total for the matter";
      net += delta;
      lines.push_back(e);
    }
  }
  if (!context.client_can_deduct_vat) {
    FeeLine v;
    v.kind = CostKind::kVat;
    v.fee_ref = event.ref;
    v.date = event.date;
    v.amount = Vat(net, event.date);
    v.basis = {"Nr. 7008 VV RVG, § 12(1) UStG: 19 % VAT; the client cannot deduct it as input VAT",
               "https://www.gesetze-im-internet.de/ustg_1980/__12.html"};
    v.note = "19 % of " + Amount(net);
    lines.push_back(v);
  }
  return lines;
}

}  // namespace quitt::domain::de
