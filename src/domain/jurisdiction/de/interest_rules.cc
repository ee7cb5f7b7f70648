#include "domain/jurisdiction/de/interest_rules.h"

#include "common/check.h"

namespace quitt::domain::de {
namespace {

constexpr const char* kBaseRateSource =
    "§ 247 BGB base rate table (shared/reference/german-collection-law.md § 1.3)";

std::string Percent(std::int32_t bp) {
  std::string sign = bp < 0 ? "-" : "";
  std::int32_t a = bp < 0 ? -bp : bp;
  std::string frac = std::to_string(a % 100);
  if (frac.size() < 2) frac = "0" + frac;
  return sign + std::to_string(a / 100) + "," + frac + " %";
}

}  // namespace

Date OldLawLastObligationDay() { return *Date::FromYmd(2014, 7, 28); }

InterestRule DefaultInterestRule(const Claim& claim, CustomerKind customer_kind) {
  InterestRule rule;
  if (!claim.interest.statutory) {
    rule.contractual = true;
    rule.fixed_rate_bp = claim.interest.contractual_rate_bp;
    rule.basis = {"§ 288(3) BGB: contractual rate " + Percent(rule.fixed_rate_bp) + " p.a.",
                  "agreement with the customer (stated by the client)"};
    return rule;
  }
  if (claim.interest.consumer_credit) {
    rule.margin_bp = 500;
    rule.basis = {"§ 497(1) BGB: consumer credit, base rate + 5 points",
                  "https://www.gesetze-im-internet.de/bgb/__497.html"};
    return rule;
  }
  if (customer_kind == CustomerKind::kConsumer || !claim.interest.remuneration_claim) {
    rule.margin_bp = 500;
    rule.basis = {"§ 288(1) BGB: base rate + 5 points",
                  "https://www.gesetze-im-internet.de/bgb/__288.html"};
    return rule;
  }
  Date arose = claim.obligation_date.value_or(claim.invoice_date);
  if (arose <= OldLawLastObligationDay()) {
    rule.margin_bp = 800;
    rule.basis = {
        "§ 288(2) BGB old version: base rate + 8 points (obligation up to 28.07.2014, "
        "Art. 229 § 34 EGBGB)",
        "https://www.gesetze-im-internet.de/bgbeg/art_229__34.html"};
    return rule;
  }
  rule.margin_bp = 900;
  rule.basis = {"§ 288(2) BGB: business customer, payment claim, base rate + 9 points",
                "https://www.gesetze-im-internet.de/bgb/__288.html"};
  return rule;
}

Result<std::vector<RateSegment>> DefaultInterestSegments(const BaseRateTable& table,
                                                         const Claim& claim,
                                                         CustomerKind customer_kind, Date from,
                                                         Date to, const InterestOptions& options) {
  QUITT_CHECK(from <= to);
  InterestRule rule = DefaultInterestRule(claim, customer_kind);
  std::vector<RateSegment> segments;
  if (rule.contractual) {
    RateSegment s;
    s.from = from;
    s.to = to;
    s.rate_bp = rule.fixed_rate_bp;
    s.basis = rule.basis;
    s.rate_source = {"contract", "stated by the client"};
    segments.push_back(s);
    return segments;
  }
  Date day = from;
  while (day <= to) {
    std::optional<BaseRateRow> row = table.RowOn(day);
    bool provisional = false;
    Date segment_end = to;
    if (!row) {
      if (day < table.rows().front().valid_from) {
        return InvalidArgument("no § 247 BGB base rate for " + day.ToString() +
                               ": the table starts on " +
                               table.rows().front().valid_from.ToString());
      }
      if (!options.allow_unpublished_base_rate) {
        return FailedPrecondition("the base rate for " + day.ToString() +
                                  " is not in the table yet (known until " +
                                  table.known_until_exclusive().AddDays(-1).ToString() +
                                  "); add the published rate or allow provisional rates");
      }
      row = table.rows().back();
      provisional = true;
    } else {
      Date next = row->valid_from.AddMonths(6);
      if (next.AddDays(-1) < segment_end) segment_end = next.AddDays(-1);
    }
    RateSegment s;
    s.from = day;
    s.to = segment_end;
    s.base_rate_bp = row->rate_bp;
    s.margin_bp = rule.margin_bp;
    s.rate_bp = row->rate_bp + rule.margin_bp;
    s.basis = rule.basis;
    s.rate_source = {"base rate " + Percent(row->rate_bp) + " from " +
                         row->valid_from.ToGermanString() +
                         (provisional ? " (carried forward, not yet published)" : ""),
                     std::string(kBaseRateSource) + "; " + row->sources};
    s.provisional = provisional;
    segments.push_back(s);
    day = segment_end.AddDays(1);
  }
  return segments;
}

}  // namespace quitt::domain::de
