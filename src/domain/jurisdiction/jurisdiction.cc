#include "domain/jurisdiction/jurisdiction.h"

#include "common/text.h"

namespace quitt::domain {

const char* DayCountName(DayCount convention) {
  switch (convention) {
    case DayCount::kActual365: return "act/365";
    case DayCount::kActualActual: return "act/act";
    case DayCount::kThirty360: return "30/360";
  }
  return "?";
}

std::optional<DayCount> ParseDayCount(std::string_view text) {
  std::string t = ToLowerAscii(Trim(text));
  if (t == "act/365" || t == "actual/365") return DayCount::kActual365;
  if (t == "act/act" || t == "actual/actual") return DayCount::kActualActual;
  if (t == "30/360") return DayCount::kThirty360;
  return std::nullopt;
}

const char* BucketName(Bucket bucket) {
  switch (bucket) {
    case Bucket::kCosts: return "costs";
    case Bucket::kInterest: return "interest";
    case Bucket::kPrincipal: return "principal";
  }
  return "?";
}

const char* FeeKindName(FeeKind kind) {
  switch (kind) {
    case FeeKind::kBusinessFee: return "business_fee";
    case FeeKind::kSettlementFee: return "settlement_fee";
  }
  return "?";
}

const char* CollectionCourseName(CollectionCourse course) {
  switch (course) {
    case CollectionCourse::kPaidOnFirstDemand: return "paid_on_first_demand";
    case CollectionCourse::kRegular: return "regular";
    case CollectionCourse::kExtensiveOrDifficult: return "extensive_or_difficult";
    case CollectionCourse::kDisputed: return "disputed";
  }
  return "?";
}

std::optional<CollectionCourse> ParseCollectionCourse(std::string_view text) {
  std::string t = ToLowerAscii(Trim(text));
  if (t == "paid_on_first_demand") return CollectionCourse::kPaidOnFirstDemand;
  if (t == "regular") return CollectionCourse::kRegular;
  if (t == "extensive_or_difficult") return CollectionCourse::kExtensiveOrDifficult;
  if (t == "disputed") return CollectionCourse::kDisputed;
  return std::nullopt;
}

const char* CostKindName(CostKind kind) {
  switch (kind) {
    case CostKind::kClientCosts: return "client_costs";
    case CostKind::kFlatDefaultFee: return "flat_default_fee";
    case CostKind::kFlatDefaultCredit: return "flat_default_fee_credit";
    case CostKind::kBusinessFee: return "business_fee";
    case CostKind::kSettlementFee: return "settlement_fee";
    case CostKind::kExpenses: return "expenses";
    case CostKind::kVat: return "vat";
  }
  return "?";
}

const char* LimitationStateName(LimitationState state) {
  switch (state) {
    case LimitationState::kRunning: return "running";
    case LimitationState::kWarning: return "warning";
    case LimitationState::kUrgent: return "urgent";
    case LimitationState::kExpired: return "expired";
  }
  return "?";
}

}  // namespace quitt::domain
