#include "domain/ledger/ledger_codec.h"

namespace quitt::domain {
namespace {

using nlohmann::json;

json MoneyJson(const Money& m) {
  return json{{"amount", m.ToDecimalString()}, {"currency", std::string(m.currency().code())}};
}

json BasisJson(const LegalBasis& b) { return json{{"rule", b.rule}, {"source", b.source}}; }

Result<const json*> Field(const json& j, const std::string& name, const std::string& where) {
  if (!j.is_object() || !j.contains(name)) return InvalidArgument(where + name + ": missing");
  return &j.at(name);
}

Result<std::string> String(const json& j, const std::string& name, const std::string& where) {
  QUITT_ASSIGN_OR_RETURN(const json* f, Field(j, name, where));
  if (!f->is_string()) return InvalidArgument(where + name + ": not a string");
  return f->get<std::string>();
}

Result<Money> MoneyField(const json& j, const std::string& name, const std::string& where) {
  QUITT_ASSIGN_OR_RETURN(const json* f, Field(j, name, where));
  QUITT_ASSIGN_OR_RETURN(std::string code, String(*f, "currency", where + name + "."));
  QUITT_ASSIGN_OR_RETURN(std::string amount, String(*f, "amount", where + name + "."));
  auto currency = Currency::FromCode(code);
  if (!currency.ok()) return currency.error().WithContext(where + name + ".currency");
  auto money = Money::Parse(amount, *currency);
  if (!money.ok()) return money.error().WithContext(where + name + ".amount");
  return *money;
}

Result<Date> DateField(const json& j, const std::string& name, const std::string& where) {
  QUITT_ASSIGN_OR_RETURN(std::string text, String(j, name, where));
  auto date = Date::Parse(text);
  if (!date.ok()) return date.error().WithContext(where + name);
  return *date;
}

Result<ClaimId> ClaimField(const json& j, const std::string& where) {
  if (!j.is_number_integer()) return InvalidArgument(where + ": not a claim id");
  return ClaimId(j.get<std::int64_t>());
}

}  // namespace

std::optional<Bucket> ParseBucket(std::string_view text) {
  for (Bucket b : {Bucket::kCosts, Bucket::kInterest, Bucket::kPrincipal}) {
    if (text == BucketName(b)) return b;
  }
  return std::nullopt;
}

std::optional<FeeKind> ParseFeeKind(std::string_view text) {
  for (FeeKind k : {FeeKind::kBusinessFee, FeeKind::kSettlementFee}) {
    if (text == FeeKindName(k)) return k;
  }
  return std::nullopt;
}

json AllocationToJson(const PaymentAllocation& a) {
  json parts = json::array();
  for (const AllocationPart& p : a.parts) {
    parts.push_back(json{{"claim_id", p.claim.value()},
                         {"bucket", BucketName(p.bucket)},
                         {"amount", MoneyJson(p.amount)},
                         {"legal_basis", BasisJson(p.basis)}});
  }
  return json{{"payment_ref", a.payment_ref},
              {"date", a.date.ToString()},
              {"amount", MoneyJson(a.amount)},
              {"parts", parts},
              {"surplus", MoneyJson(a.surplus)}};
}

Result<PaymentAllocation> AllocationFromJson(const json& j) {
  PaymentAllocation a;
  QUITT_ASSIGN_OR_RETURN(a.payment_ref, String(j, "payment_ref", ""));
  QUITT_ASSIGN_OR_RETURN(a.date, DateField(j, "date", ""));
  QUITT_ASSIGN_OR_RETURN(a.amount, MoneyField(j, "amount", ""));
  QUITT_ASSIGN_OR_RETURN(a.surplus, MoneyField(j, "surplus", ""));
  QUITT_ASSIGN_OR_RETURN(const json* parts, Field(j, "parts", ""));
  if (!parts->is_array()) return InvalidArgument("parts: not an array");
  Money sum = a.surplus;
  for (std::size_t i = 0; i < parts->size(); ++i) {
    const json& p = (*parts)[i];
    const std::string where = "parts[" + std::to_string(i) + "].";
    AllocationPart part;
    QUITT_ASSIGN_OR_RETURN(const json* id, Field(p, "claim_id", where));
    QUITT_ASSIGN_OR_RETURN(part.claim, ClaimField(*id, where + "claim_id"));
    QUITT_ASSIGN_OR_RETURN(std::string bucket, String(p, "bucket", where));
    auto parsed = ParseBucket(bucket);
    if (!parsed) {
      return InvalidArgument(where + "bucket: '" + bucket + "' is not costs/interest/principal");
    }
    part.bucket = *parsed;
    QUITT_ASSIGN_OR_RETURN(part.amount, MoneyField(p, "amount", where));
    if (!(part.amount.currency() == a.amount.currency())) {
      return InvalidArgument(where + "amount: currency differs from the payment");
    }
    if (p.contains("legal_basis")) {
      QUITT_ASSIGN_OR_RETURN(part.basis.rule, String(p.at("legal_basis"), "rule", where));
      QUITT_ASSIGN_OR_RETURN(part.basis.source, String(p.at("legal_basis"), "source", where));
    }
    sum += part.amount;
    a.parts.push_back(part);
  }
  if (!(sum == a.amount)) {
    return InvalidArgument("parts and surplus add up to " + sum.ToDecimalString() +
                           ", not the payment amount " + a.amount.ToDecimalString());
  }
  return a;
}

json FeeEventToJson(const FeeEvent& e) {
  json claims = json::array();
  for (const ClaimId& id : e.claims) claims.push_back(id.value());
  json j{{"ref", e.ref},
         {"date", e.date.ToString()},
         {"kind", FeeKindName(e.kind)},
         {"course", CollectionCourseName(e.course)},
         {"claims", claims}};
  if (e.charged) j["charged"] = MoneyJson(*e.charged);
  if (e.value) j["value"] = MoneyJson(*e.value);
  return j;
}

Result<FeeEvent> FeeEventFromJson(const json& j) {
  FeeEvent e;
  QUITT_ASSIGN_OR_RETURN(e.ref, String(j, "ref", ""));
  QUITT_ASSIGN_OR_RETURN(e.date, DateField(j, "date", ""));
  QUITT_ASSIGN_OR_RETURN(std::string kind, String(j, "kind", ""));
  auto parsed_kind = ParseFeeKind(kind);
  if (!parsed_kind) return InvalidArgument("kind: '" + kind + "' is not a fee kind");
  e.kind = *parsed_kind;
  QUITT_ASSIGN_OR_RETURN(std::string course, String(j, "course", ""));
  auto parsed_course = ParseCollectionCourse(course);
  if (!parsed_course) return InvalidArgument("course: '" + course + "' is not a course");
  e.course = *parsed_course;
  if (j.contains("charged")) {
    QUITT_ASSIGN_OR_RETURN(Money charged, MoneyField(j, "charged", ""));
    e.charged = charged;
  }
  if (j.contains("value")) {
    QUITT_ASSIGN_OR_RETURN(Money value, MoneyField(j, "value", ""));
    e.value = value;
  }
  if (j.contains("claims")) {
    if (!j.at("claims").is_array()) return InvalidArgument("claims: not an array");
    for (std::size_t i = 0; i < j.at("claims").size(); ++i) {
      QUITT_ASSIGN_OR_RETURN(ClaimId id,
                             ClaimField(j.at("claims")[i], "claims[" + std::to_string(i) + "]"));
      e.claims.push_back(id);
    }
  }
  return e;
}

}  // namespace quitt::domain
