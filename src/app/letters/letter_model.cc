#include "app/letters/letter_model.h"

#include <array>

namespace quitt::app::letters {
namespace {

using Kind = TemplateNode::Kind;

FieldSpec Leaf(std::string name, Kind kind = Kind::kText) {
  return FieldSpec{std::move(name), kind, {}};
}
FieldSpec Group(std::string name, Kind kind, std::vector<FieldSpec> children) {
  return FieldSpec{std::move(name), kind, std::move(children)};
}

std::vector<FieldSpec> AddressFields() {
  return {Leaf("name"), Leaf("street"), Leaf("postcode"), Leaf("city"), Leaf("country")};
}

FieldSpec BuildSchema() {
  std::vector<FieldSpec> root = {
      Leaf("step"),
      Leaf("language"),
      Leaf("is_consumer", Kind::kFlag),
      Leaf("is_business", Kind::kFlag),
      Leaf("case_number"),
      Leaf("letter_date"),
      Leaf("deadline"),
      Group("sender", Kind::kObject,
            {Group("address", Kind::kObject, AddressFields()), Leaf("email"), Leaf("phone"),
             Leaf("website"), Leaf("authority_name"), Leaf("authority_address"),
             Leaf("authority_contact")}),
      Group("customer", Kind::kObject,
            {Leaf("name"), Leaf("street"), Leaf("postcode"), Leaf("city"), Leaf("country"),
             Leaf("email"), Leaf("phone")}),
      Group("client", Kind::kObject,
            {Leaf("name"), Leaf("has_address", Kind::kFlag),
             Group("address", Kind::kObject, AddressFields()),
             Leaf("address_withheld", Kind::kFlag)}),
      Group("claims", Kind::kList,
            {Leaf("reference"), Leaf("is_contract", Kind::kFlag), Leaf("is_tort", Kind::kFlag),
             Leaf("subject"), Leaf("concluded_on"), Leaf("due_on"), Leaf("principal")}),
      Leaf("has_interest", Kind::kFlag),
      Group("interest", Kind::kList,
            {Leaf("principal"), Leaf("from"), Leaf("to"), Leaf("days"), Leaf("rate"),
             Leaf("interest"), Leaf("legal_basis"), Leaf("above_statutory_rate", Kind::kFlag),
             Leaf("above_statutory_justification")}),
      Leaf("has_above_statutory_rate", Kind::kFlag),
      Leaf("has_fees", Kind::kFlag),
      Group("fees", Kind::kList,
            {Leaf("kind"), Leaf("amount"), Leaf("legal_basis"), Leaf("has_vat", Kind::kFlag),
             Leaf("vat")}),
      Leaf("has_vat", Kind::kFlag),
      Leaf("client_cannot_deduct_vat", Kind::kFlag),
      Leaf("has_payments", Kind::kFlag),
      Group("payments", Kind::kList, {Leaf("received_on"), Leaf("amount"), Leaf("note")}),
      Leaf("total_principal"),
      Leaf("total_interest"),
      Leaf("total_fees"),
      Leaf("total_paid"),
      Leaf("total_due"),
      Leaf("address_researched", Kind::kFlag),
      Leaf("address_research_source"),
      Group("payment", Kind::kObject,
            {Leaf("account_holder"), Leaf("iban"), Leaf("bic"),
             Leaf("has_rf_reference", Kind::kFlag), Leaf("rf_reference"), Leaf("reference"),
             Leaf("portal_url"), Leaf("portal_pin"), Leaf("instalments_offered", Kind::kFlag),
             Leaf("link_url"), Leaf("has_pixel", Kind::kFlag), Leaf("pixel_url")}),
  };
  return Group("", Kind::kObject, std::move(root));
}

constexpr std::array<const char*, 12> kEnglishMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

TemplateNode AddressNode(const LetterAddress& address) {
  TemplateNode node = TemplateNode::Object();
  node.Set("name", TemplateNode::Text(address.name));
  node.Set("street", TemplateNode::Text(address.street));
  node.Set("postcode", TemplateNode::Text(address.postcode));
  node.Set("city", TemplateNode::Text(address.city));
  node.Set("country", TemplateNode::Text(address.country));
  return node;
}

Status SameCurrency(const domain::Money& money, const domain::Money& total,
                    const std::string& field) {
  if (money.currency() == total.currency()) return OkStatus();
  return InvalidArgument("letter model: field '" + field + "' is in " +
                         std::string(money.currency().code()) + ", total_due in " +
                         std::string(total.currency().code()));
}

}  // namespace

const char* LetterStepName(LetterStep step) {
  switch (step) {
    case LetterStep::kFirstReminder: return "reminder_1";
    case LetterStep::kSecondReminder: return "reminder_2";
  }
  return "?";
}

std::optional<LetterStep> ParseLetterStep(std::string_view name) {
  if (name == "reminder_1") return LetterStep::kFirstReminder;
  if (name == "reminder_2") return LetterStep::kSecondReminder;
  return std::nullopt;
}

Result<std::pair<std::string, std::string>> SplitTemplateName(std::string_view name) {
  const auto bad = [&](const std::string& why) {
    return InvalidArgument(
        "template name '" + std::string(name) +
        "' must be <country>/<segment>/<step>, e.g. de/b2c/final-notice: " + why);
  };
  const size_t slash = name.find('/');
  if (slash != 2 || name[0] < 'a' || name[0] > 'z' || name[1] < 'a' || name[1] > 'z') {
    return bad("the country is not two lowercase letters");
  }
  const std::string_view rest = name.substr(3);
  if (rest.empty() || rest.front() == '/' || rest.back() == '/' ||
      rest.find("//") != std::string_view::npos) {
    return bad("empty segment");
  }
  for (char c : rest) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '/';
    if (!ok) return bad(std::string("character '") + c + "'");
  }
  return std::make_pair(std::string(name.substr(0, 2)), std::string(rest));
}

const char* ChannelName(Channel channel) {
  switch (channel) {
    case Channel::kLetter: return "letter";
    case Channel::kEmail: return "email";
    case Channel::kSms: return "sms";
  }
  return "?";
}

std::optional<Channel> ParseChannel(std::string_view name) {
  if (name == "letter") return Channel::kLetter;
  if (name == "email") return Channel::kEmail;
  if (name == "sms") return Channel::kSms;
  return std::nullopt;
}

domain::Money LetterModel::ComputedTotal() const {
  domain::Money sum = domain::Money::Zero(total_due.currency());
  for (const ClaimLine& claim : claims) sum += claim.principal;
  for (const InterestPeriod& period : interest) sum += period.interest;
  for (const FeeLine& fee : fees) sum += fee.amount + fee.vat;
  for (const PaymentLine& line : payments) sum -= line.amount;
  return sum;
}

TemplateNode TemplateNode::Text(std::string value) {
  TemplateNode node;
  node.kind = Kind::kText;
  node.text = std::move(value);
  return node;
}
TemplateNode TemplateNode::Flag(bool value) {
  TemplateNode node;
  node.kind = Kind::kFlag;
  node.flag = value;
  return node;
}
TemplateNode TemplateNode::List(std::vector<TemplateNode> list_items) {
  TemplateNode node;
  node.kind = Kind::kList;
  node.items = std::move(list_items);
  return node;
}
TemplateNode TemplateNode::Object() { return TemplateNode(); }

TemplateNode& TemplateNode::Set(std::string name, TemplateNode value) {
  for (auto& [key, existing] : fields) {
    if (key == name) {
      existing = std::move(value);
      return *this;
    }
  }
  fields.emplace_back(std::move(name), std::move(value));
  return *this;
}

const TemplateNode* TemplateNode::Find(std::string_view name) const {
  for (const auto& [key, value] : fields) {
    if (key == name) return &value;
  }
  return nullptr;
}

const FieldSpec* FieldSpec::Find(std::string_view child) const {
  for (const FieldSpec& spec : children) {
    if (spec.name == child) return &spec;
  }
  return nullptr;
}

const FieldSpec& LetterFieldSchema() {
  static const FieldSpec* const schema = new FieldSpec(BuildSchema());
  return *schema;
}

std::string FormatMoney(const domain::Money& money, std::string_view language) {
  if (language == "de")
    return money.ToGermanString() + " " +
           std::string(money.currency().code() == "EUR" ? "€" : money.currency().code());
  return std::string(money.currency().code()) + " " + money.ToEnglishString();
}

std::string FormatDate(domain::Date date, std::string_view language) {
  if (language == "de") return date.ToGermanString();
  return std::to_string(date.day()) + " " + kEnglishMonths[date.month() - 1] + " " +
         std::to_string(date.year());
}

std::string FormatRate(std::int32_t basis_points, std::string_view language) {
  const std::int32_t whole = basis_points / 100;
  const std::int32_t fraction = (basis_points < 0 ? -basis_points : basis_points) % 100;
  std::string digits = std::to_string(fraction);
  if (digits.size() < 2) digits.insert(0, "0");
  std::string sign = (basis_points < 0 && whole == 0) ? "-" : "";
  if (language == "de") return sign + std::to_string(whole) + "," + digits + " %";
  return sign + std::to_string(whole) + "." + digits + "%";
}

TemplateNode TemplateFields(const LetterModel& model) {
  const std::string& lang = model.language;
  const domain::Currency currency = model.total_due.currency();
  auto money = [&](const domain::Money& m) { return TemplateNode::Text(FormatMoney(m, lang)); };
  auto date = [&](domain::Date d) { return TemplateNode::Text(FormatDate(d, lang)); };

  TemplateNode root = TemplateNode::Object();
  root.Set("step", TemplateNode::Text(LetterStepName(model.step)));
  root.Set("language", TemplateNode::Text(lang));
  const bool consumer = model.customer_kind == domain::CustomerKind::kConsumer;
  root.Set("is_consumer", TemplateNode::Flag(consumer));
  root.Set("is_business", TemplateNode::Flag(!consumer));
  root.Set("case_number",
           TemplateNode::Text(model.case_number ? model.case_number->ToString() : std::string()));
  root.Set("letter_date", date(model.letter_date));
  root.Set("deadline", date(model.deadline));

  TemplateNode sender = TemplateNode::Object();
  sender.Set("address", AddressNode(model.sender.address));
  sender.Set("email", TemplateNode::Text(model.sender.email));
  sender.Set("phone", TemplateNode::Text(model.sender.phone));
  sender.Set("website", TemplateNode::Text(model.sender.website));
  sender.Set("authority_name", TemplateNode::Text(model.sender.authority_name));
  sender.Set("authority_address", TemplateNode::Text(model.sender.authority_address));
  sender.Set("authority_contact", TemplateNode::Text(model.sender.authority_contact));
  root.Set("sender", std::move(sender));

  TemplateNode customer = AddressNode(model.customer);
  customer.Set("email", TemplateNode::Text(model.customer_email));
  customer.Set("phone", TemplateNode::Text(model.customer_phone));
  root.Set("customer", std::move(customer));

  TemplateNode client = TemplateNode::Object();
  client.Set("name", TemplateNode::Text(model.client.name));
  client.Set("has_address", TemplateNode::Flag(model.client.address.has_value()));
  client.Set("address",
             AddressNode(model.client.address.value_or(LetterAddress{"", "", "", "", ""})));
  client.Set("address_withheld", TemplateNode::Flag(model.client.address_withheld));
  root.Set("client", std::move(client));

  domain::Money total_principal = domain::Money::Zero(currency);
  std::vector<TemplateNode> claims;
  for (const ClaimLine& line : model.claims) {
    TemplateNode node = TemplateNode::Object();
    node.Set("reference", TemplateNode::Text(line.reference));
    node.Set("is_contract", TemplateNode::Flag(line.basis == ClaimBasis::kContract));
    node.Set("is_tort", TemplateNode::Flag(line.basis == ClaimBasis::kTort));
    node.Set("subject", TemplateNode::Text(line.subject));
    node.Set("concluded_on", date(line.concluded_on));
    node.Set("due_on", date(line.due_on));
    node.Set("principal", money(line.principal));
    total_principal += line.principal;
    claims.push_back(std::move(node));
  }
  root.Set("claims", TemplateNode::List(std::move(claims)));

  domain::Money total_interest = domain::Money::Zero(currency);
  bool above = false;
  std::vector<TemplateNode> interest;
  for (const InterestPeriod& period : model.interest) {
    TemplateNode node = TemplateNode::Object();
    node.Set("principal", money(period.principal));
    node.Set("from", date(period.from));
    node.Set("to", date(period.to));
    node.Set("days", TemplateNode::Text(std::to_string(period.days)));
    node.Set("rate", TemplateNode::Text(FormatRate(period.rate_basis_points, lang)));
    node.Set("interest", money(period.interest));
    node.Set("legal_basis", TemplateNode::Text(period.legal_basis));
    node.Set("above_statutory_rate", TemplateNode::Flag(period.above_statutory_rate));
    node.Set("above_statutory_justification",
             TemplateNode::Text(period.above_statutory_justification));
    above = above || period.above_statutory_rate;
    total_interest += period.interest;
    interest.push_back(std::move(node));
  }
  root.Set("has_interest", TemplateNode::Flag(!model.interest.empty()));
  root.Set("interest", TemplateNode::List(std::move(interest)));
  root.Set("has_above_statutory_rate", TemplateNode::Flag(above));

  domain::Money total_fees = domain::Money::Zero(currency);
  bool any_vat = false;
  std::vector<TemplateNode> fees;
  for (const FeeLine& fee : model.fees) {
    TemplateNode node = TemplateNode::Object();
    node.Set("kind", TemplateNode::Text(fee.kind));
    node.Set("amount", money(fee.amount));
    node.Set("legal_basis", TemplateNode::Text(fee.legal_basis));
    node.Set("has_vat", TemplateNode::Flag(!fee.vat.is_zero()));
    node.Set("vat", money(fee.vat));
    any_vat = any_vat || !fee.vat.is_zero();
    total_fees += fee.amount + fee.vat;
    fees.push_back(std::move(node));
  }
  root.Set("has_fees", TemplateNode::Flag(!model.fees.empty()));
  root.Set("fees", TemplateNode::List(std::move(fees)));
  root.Set("has_vat", TemplateNode::Flag(any_vat));
  root.Set("client_cannot_deduct_vat", TemplateNode::Flag(model.client_cannot_deduct_vat));

  domain::Money total_paid = domain::Money::Zero(currency);
  std::vector<TemplateNode> payments;
  for (const PaymentLine& payment : model.payments) {
    TemplateNode node = TemplateNode::Object();
    node.Set("received_on", date(payment.received_on));
    node.Set("amount", money(payment.amount));
    node.Set("note", TemplateNode::Text(payment.note));
    total_paid += payment.amount;
    payments.push_back(std::move(node));
  }
  root.Set("has_payments", TemplateNode::Flag(!model.payments.empty()));
  root.Set("payments", TemplateNode::List(std::move(payments)));

  root.Set("total_principal", money(total_principal));
  root.Set("total_interest", money(total_interest));
  root.Set("total_fees", money(total_fees));
  root.Set("total_paid", money(total_paid));
  root.Set("total_due", money(model.total_due));
  root.Set("address_researched", TemplateNode::Flag(model.address_researched));
  root.Set("address_research_source", TemplateNode::Text(model.address_research_source));

  const PaymentOptions& options = model.payment;
  TemplateNode payment = TemplateNode::Object();
  payment.Set("account_holder", TemplateNode::Text(options.account_holder));
  payment.Set("iban", TemplateNode::Text(options.iban));
  payment.Set("bic", TemplateNode::Text(options.bic));
  payment.Set("has_rf_reference", TemplateNode::Flag(options.rf_reference.has_value()));
  payment.Set("rf_reference",
              TemplateNode::Text(options.rf_reference ? options.rf_reference->Printed() : ""));
  // What the customer types into the transfer's reference line: the RF reference when there is
  // one (matched without reading free text), else the case number.
  payment.Set("reference",
              TemplateNode::Text(options.rf_reference
                                     ? options.rf_reference->Printed()
                                     : (model.case_number ? model.case_number->ToString() : "")));
  payment.Set("portal_url", TemplateNode::Text(options.portal_url));
  payment.Set("portal_pin", TemplateNode::Text(options.portal_pin));
  payment.Set("instalments_offered", TemplateNode::Flag(options.instalments_offered));
  // E-mail and SMS link through the per-message tracking URL when there is one (it redirects to
  // the portal and records `opened`); letters print portal_url.
  payment.Set("link_url", TemplateNode::Text(options.tracking_url.empty() ? options.portal_url
                                                                          : options.tracking_url));
  payment.Set("has_pixel", TemplateNode::Flag(!options.tracking_url.empty()));
  payment.Set("pixel_url",
              TemplateNode::Text(options.tracking_url.empty() ? std::string()
                                                              : options.tracking_url + ".gif"));
  root.Set("payment", std::move(payment));
  return root;
}

Status CheckLetterModel(const LetterModel& model) {
  if (!model.case_number) return InvalidArgument("letter model: field 'case_number' is missing");
  if (model.claims.empty()) return InvalidArgument("letter model: field 'claims' is empty");
  const domain::Money& total = model.total_due;
  for (size_t i = 0; i < model.claims.size(); ++i) {
    QUITT_RETURN_IF_ERROR(SameCurrency(model.claims[i].principal, total,
                                       "claims[" + std::to_string(i) + "].principal"));
  }
  for (size_t i = 0; i < model.interest.size(); ++i) {
    QUITT_RETURN_IF_ERROR(SameCurrency(model.interest[i].interest, total,
                                       "interest[" + std::to_string(i) + "].interest"));
    if (model.interest[i].to < model.interest[i].from) {
      return InvalidArgument("letter model: field 'interest[" + std::to_string(i) +
                             "]' ends before it starts");
    }
  }
  for (size_t i = 0; i < model.fees.size(); ++i) {
    QUITT_RETURN_IF_ERROR(
        SameCurrency(model.fees[i].amount, total, "fees[" + std::to_string(i) + "].amount"));
    QUITT_RETURN_IF_ERROR(
        SameCurrency(model.fees[i].vat, total, "fees[" + std::to_string(i) + "].vat"));
  }
  for (size_t i = 0; i < model.payments.size(); ++i) {
    QUITT_RETURN_IF_ERROR(SameCurrency(model.payments[i].amount, total,
                                       "payments[" + std::to_string(i) + "].amount"));
  }
  const domain::Money computed = model.ComputedTotal();
  if (!(computed == total)) {
    return InvalidArgument("letter model: field 'total_due' is " + total.ToDecimalString() +
                           " but the lines sum to " + computed.ToDecimalString());
  }
  if (model.deadline < model.letter_date) {
    return InvalidArgument("letter model: field 'deadline' " + model.deadline.ToString() +
                           " is before the letter date " + model.letter_date.ToString());
  }
  if (model.payment.portal_pin.empty()) {
    return InvalidArgument("letter model: field 'payment.portal_pin' is empty");
  }
  if (model.payment.portal_url.empty()) {
    return InvalidArgument("letter model: field 'payment.portal_url' is empty");
  }
  return OkStatus();
}

}  // namespace quitt::app::letters
