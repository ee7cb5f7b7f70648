#pragma once
// LetterModel: everything one message to a customer says, as plain domain values, built before
// any template or PDF is involved (codebase-models.md point 14, after Tryton's dunning letter).
// The same model feeds every channel (letter, e-mail, SMS); a renderer only lays it out.
//
// TemplateFields turns the model into a tree of already formatted strings for one language, and
// LetterFieldSchema lists every field name that tree can hold. Templates are validated against
// the schema when they are loaded, so a misspelt field stops the run instead of leaving a blank
// in a letter.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "domain/case_number.h"
#include "domain/creditor_reference.h"
#include "domain/date.h"
#include "domain/money.h"
#include "domain/party.h"

namespace quitt::app::letters {

// The step of the collection process a message belongs to; its name picks the template file.
enum class LetterStep { kFirstReminder, kSecondReminder };
const char* LetterStepName(LetterStep step);  // "reminder_1", "reminder_2"
std::optional<LetterStep> ParseLetterStep(std::string_view name);

enum class Channel { kLetter, kEmail, kSms };
const char* ChannelName(Channel channel);  // "letter", "email", "sms"
std::optional<Channel> ParseChannel(std::string_view name);

struct LetterAddress {
  std::string name;
  std::string street;
  std::string postcode;
  std::string city;
  std::string country = "DE";  // ISO 3166-1 alpha-2; printed only when not the sender's country
};

// Who sends the letter: the collection agency (or the client's own receivables team).
struct LetterSender {
  LetterAddress address;
  std::string email;
  std::string phone;
  std::string website;
  // § 13a(1) Nr. 8 RDG: the competent supervisory authority with address and electronic contact.
  std::string authority_name;
  std::string authority_address;  // one line
  std::string authority_contact;  // e-mail or web address
};

struct LetterClient {
  std::string name;
  // § 13a(1) Nr. 1 RDG: the client's address must be stated unless the client has an overriding
  // interest in withholding it; then `address` stays empty and `address_withheld` says so.
  std::optional<LetterAddress> address;
  bool address_withheld = false;
};

// § 13a(1) Nr. 2 RDG distinguishes contractual claims (subject and date of conclusion) from
// claims out of a tort (kind and date of the act).
enum class ClaimBasis { kContract, kTort };

struct ClaimLine {
  std::string reference;  // the client's invoice number
  ClaimBasis basis = ClaimBasis::kContract;
  std::string subject;  // concrete subject matter ("Mobilfunkvertrag Nr. 4711, Rechnung März")
  domain::Date concluded_on = domain::Date::FromDaysSinceEpoch(0);  // contract date or date of act
  domain::Date due_on = domain::Date::FromDaysSinceEpoch(0);
  domain::Money principal = domain::Money::Zero(domain::Currency::Eur());
};

// One row of the interest table (§ 13a(1) Nr. 3 RDG): principal bearing interest, rate, period.
struct InterestPeriod {
  domain::Money principal = domain::Money::Zero(domain::Currency::Eur());
  domain::Date from = domain::Date::FromDaysSinceEpoch(0);
  domain::Date to = domain::Date::FromDaysSinceEpoch(0);  // inclusive
  std::int32_t days = 0;
  std::int32_t rate_basis_points = 0;  // annual rate, 912 = 9.12 %
  domain::Money interest = domain::Money::Zero(domain::Currency::Eur());
  std::string legal_basis;  // "§ 288 Abs. 1 BGB"
  // § 13a(1) Nr. 4 RDG: a rate above the statutory default rate needs a separate notice and the
  // circumstances justifying it.
  bool above_statutory_rate = false;
  std::string above_statutory_justification;
};

// A cost line (§ 13a(1) Nr. 5 RDG): kind, amount, legal reason. Name each cost concretely;
// a lump "Mahnauslagen" is not enough (OLG Düsseldorf 9.3.2023, 20 U 50/22).
struct FeeLine {
  std::string kind;  // "Inkassovergütung (1,0 Geschäftsgebühr)"
  domain::Money amount = domain::Money::Zero(domain::Currency::Eur());
  std::string legal_basis;  // "§ 13e RDG i. V. m. Nr. 2300 VV RVG"
  // VAT on this fee, zero when none is claimed. Claiming it requires the statement of § 13a(1)
  // Nr. 6 RDG that the client cannot deduct it as input VAT (`client_cannot_deduct_vat`).
  domain::Money vat = domain::Money::Zero(domain::Currency::Eur());
};

struct PaymentLine {
  domain::Date received_on = domain::Date::FromDaysSinceEpoch(0);
  domain::Money amount = domain::Money::Zero(domain::Currency::Eur());
  std::string note;  // "Überweisung", "Zahlung an Mandant"
};

struct PaymentOptions {
  std::string account_holder;
  std::string iban;  // printed form ("DE89 3704 0044 0532 0130 00")
  std::string bic;
  std::optional<domain::CreditorReference> rf_reference;
  // The EPC069-12 QR payload for the amount due. Built by domain/payment (EPC QR builder);
  // the renderer only draws it, so the bytes in the QR code are exactly what was tested there.
  std::string epc_qr_payload;
  std::string portal_url;  // customer self-service: pay, propose instalments, dispute
  std::string portal_pin;  // app::delivery::PortalPin: derived, never stored in clear
  bool instalments_offered = true;
  // Per-message tracking link "https://portal.example/t/<token>" (e-mail, SMS); empty = none.
  std::string tracking_url;
};

struct LetterModel {
  LetterStep step = LetterStep::kFirstReminder;
  // The strategy step's template name, "<country>/<segment>/<step>" ("de/b2c/final-notice"):
  // with `language` and the channel it selects the template file (see templates/README.md).
  std::string template_name;
  std::string language = "de";  // ISO 639-1, picks the template
  domain::CustomerKind customer_kind = domain::CustomerKind::kConsumer;
  std::optional<domain::CaseNumber> case_number;  // required (CheckLetterModel)
  domain::Date letter_date = domain::Date::FromDaysSinceEpoch(0);
  domain::Date deadline = domain::Date::FromDaysSinceEpoch(0);

  LetterSender sender;
  LetterAddress customer;
  std::string customer_email;
  std::string customer_phone;  // E.164
  LetterClient client;

  std::vector<ClaimLine> claims;
  std::vector<InterestPeriod> interest;
  std::vector<FeeLine> fees;
  bool client_cannot_deduct_vat = false;  // § 13a(1) Nr. 6 RDG
  std::vector<PaymentLine> payments;
  domain::Money total_due = domain::Money::Zero(domain::Currency::Eur());

  // § 13a(1) Nr. 7 RDG: the address was researched (not supplied by the client).
  bool address_researched = false;
  std::string address_research_source;  // "Einwohnermeldeamt Berlin"

  PaymentOptions payment;

  // Sum of principal + interest + fees + VAT − payments; TemplateFields prints total_due, and
  // CheckLetterModel insists the two agree so a letter never shows a total that is not the sum.
  domain::Money ComputedTotal() const;
};

// Field tree handed to the template engine: every leaf is already a formatted string for the
// model's language (money "1.234,56 €" / "EUR 1,234.56", dates "29.02.2024" / "29 Feb 2024").
struct TemplateNode {
  enum class Kind { kText, kFlag, kList, kObject };
  Kind kind = Kind::kObject;
  std::string text;
  bool flag = false;
  std::vector<TemplateNode> items;                           // kList
  std::vector<std::pair<std::string, TemplateNode>> fields;  // kObject

  static TemplateNode Text(std::string value);
  static TemplateNode Flag(bool value);
  static TemplateNode List(std::vector<TemplateNode> items);
  static TemplateNode Object();
  TemplateNode& Set(std::string name, TemplateNode value);
  const TemplateNode* Find(std::string_view name) const;
};

// The shape of the field tree: name, kind and, for lists and objects, the fields of an element.
struct FieldSpec {
  std::string name;
  TemplateNode::Kind kind = TemplateNode::Kind::kText;
  std::vector<FieldSpec> children;
  const FieldSpec* Find(std::string_view child) const;
};

// Root of the schema (kind kObject). Every field TemplateFields can emit is in it, and nothing
// else; letter_model_test checks the two agree.
const FieldSpec& LetterFieldSchema();

// Formats the model for `model.language` ("de" or "en"; other languages fall back to English
// number and date formats, their words come from their templates).
TemplateNode TemplateFields(const LetterModel& model);

// Internal consistency: currencies agree, total_due equals ComputedTotal, deadline not before
// the letter date, portal link present. Names the offending field.
Status CheckLetterModel(const LetterModel& model);

// One template a strategy needs: its name, the channel of the step, and where it is asked for
// ("strategies/de-b2c.toml step final_notice") for the error message.
struct TemplateNeed {
  std::string template_name;
  Channel channel = Channel::kLetter;
  std::string wanted_by;
};

// Splits "de/b2c/final-notice" into the country ("de": whose law the wording follows) and the
// rest ("b2c/final-notice"). InvalidArgument unless the country is two lowercase letters and the
// rest is non-empty segments of [a-z0-9_-].
Result<std::pair<std::string, std::string>> SplitTemplateName(std::string_view name);

// Formatting used by TemplateFields, exposed for the renderers and tests.
std::string FormatMoney(const domain::Money& money, std::string_view language);
std::string FormatDate(domain::Date date, std::string_view language);
std::string FormatRate(std::int32_t basis_points, std::string_view language);

}  // namespace quitt::app::letters
