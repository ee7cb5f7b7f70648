#include "adapters/intake/claim_fields.h"

#include "adapters/intake/contact_normalizer.h"
#include "common/text.h"

namespace quitt::adapters::intake {

namespace {

struct FieldInfo {
  Field field;
  const char* name;
  std::vector<const char*> aliases;  // already normalised: lower case, no separators
};

const std::vector<FieldInfo>& Fields() {
  static const std::vector<FieldInfo> kFields = {
      {Field::kClientReference,
       "client_reference",
       {"clientreference", "reference", "ref", "invoicenumber", "invoiceno", "invoice",
        "rechnungsnummer", "rechnungsnr", "belegnummer", "belegnr", "referenz", "forderungsnummer",
        "claimreference"}},
      {Field::kCustomerReference,
       "customer_reference",
       {"customerreference", "customernumber", "customerno", "customerid", "kundennummer",
        "kundennr", "debitorennummer", "kundenreferenz", "accountnumber"}},
      {Field::kCustomerType,
       "customer_type",
       {"customertype", "type", "kundentyp", "kundenart", "typ", "kind"}},
      {Field::kName, "name", {"name", "customername", "fullname", "kundenname"}},
      {Field::kFirstName, "first_name", {"firstname", "givenname", "vorname"}},
      {Field::kLastName, "last_name", {"lastname", "surname", "familyname", "nachname"}},
      {Field::kCompany,
       "company",
       {"company", "companyname", "firma", "unternehmen", "firmenname"}},
      {Field::kStreet,
       "street",
       {"street", "address", "streetaddress", "strasse", "straße", "anschrift", "adresse"}},
      {Field::kPostcode,
       "postcode",
       {"postcode", "zip", "zipcode", "postalcode", "plz", "postleitzahl"}},
      {Field::kCity, "city", {"city", "town", "ort", "stadt", "wohnort"}},
      {Field::kCountry, "country", {"country", "land", "countrycode"}},
      {Field::kEmail, "email", {"email", "mail", "emailaddress", "emailadresse"}},
      {Field::kPhone,
       "phone",
       {"phone", "telephone", "phonenumber", "mobile", "telefon", "telefonnummer", "mobil",
        "handy"}},
      {Field::kLanguage, "language", {"language", "sprache", "lang"}},
      {Field::kIban, "iban", {"iban", "customeriban", "kontoiban"}},
      {Field::kBirthDate, "birth_date", {"birthdate", "dateofbirth", "geburtsdatum", "dob"}},
      {Field::kReason,
       "reason",
       {"reason", "description", "subject", "claimreason", "forderungsgrund", "grund",
        "beschreibung", "leistung", "verwendungszweck"}},
      {Field::kInvoiceDate,
       "invoice_date",
       {"invoicedate", "rechnungsdatum", "belegdatum", "datum"}},
      {Field::kDueDate,
       "due_date",
       {"duedate", "due", "fälligkeit", "faelligkeit", "fälligkeitsdatum", "faelligkeitsdatum",
        "fälligam", "faelligam", "fällig", "faellig"}},
      {Field::kDefaultDate,
       "default_date",
       {"defaultdate", "verzugsdatum", "verzugseit", "verzugsbeginn", "inverzugseit"}},
      {Field::kDefaultBasis, "default_basis", {"defaultbasis", "verzugsgrund", "verzugsart"}},
      {Field::kObligationDate,
       "obligation_date",
       {"obligationdate", "contractdate", "vertragsdatum", "entstehungsdatum"}},
      {Field::kAmount,
       "amount",
       {"amount", "principal", "openamount", "outstanding", "betrag", "hauptforderung",
        "offenerbetrag", "forderungsbetrag", "offen"}},
      {Field::kCurrency, "currency", {"currency", "währung", "waehrung", "curr"}},
      {Field::kCosts,
       "costs",
       {"costs", "fees", "clientcosts", "kosten", "mahnkosten", "nebenforderungen", "gebühren",
        "gebuehren"}},
      {Field::kInterestRate,
       "interest_rate",
       {"interestrate", "contractualinterestrate", "zinssatz", "vertragszins"}},
      {Field::kConsumerCredit,
       "consumer_credit",
       {"consumercredit", "verbraucherdarlehen", "verbraucherkredit"}},
  };
  return kFields;
}

std::string NormalizeHeader(std::string_view header) {
  std::string out;
  for (char c : Trim(header)) {
    if (c == ' ' || c == '_' || c == '-' || c == '.' || c == '/' || c == '\t') continue;
    out.push_back(c);
  }
  out = ToLowerAscii(out);
  // Upper-case umlauts in UTF-8 (Ä Ö Ü) to lower case, so "FÄLLIG AM" matches.
  for (std::size_t i = 0; i + 1 < out.size(); ++i) {
    if (static_cast<unsigned char>(out[i]) == 0xC3) {
      unsigned char next = static_cast<unsigned char>(out[i + 1]);
      if (next == 0x84 || next == 0x96 || next == 0x9C) out[i + 1] = static_cast<char>(next + 0x20);
    }
  }
  return out;
}

}  // namespace

Result<std::string> PhoneCache::Normalize(std::string_view text, std::string_view region) {
  // The fast path costs less than a look-up here; only libphonenumber's full parse is remembered.
  if (auto plain = NormalizePlainPhone(text, region)) return *std::move(plain);
  std::string key = std::string(region) + "|" + std::string(text);
  auto it = cache_.find(key);
  if (it != cache_.end()) return it->second;
  if (cache_.size() >= 100000) cache_.clear();
  auto result = NormalizePhoneByFullParse(text, region);
  cache_.emplace(std::move(key), result);
  return result;
}

const char* FieldName(Field field) {
  for (const auto& info : Fields()) {
    if (info.field == field) return info.name;
  }
  return "?";
}

std::optional<Field> FieldForHeader(std::string_view header) {
  const std::string normalized = NormalizeHeader(header);
  for (const auto& info : Fields()) {
    for (const char* alias : info.aliases) {
      if (normalized == alias) return info.field;
    }
  }
  return std::nullopt;
}

namespace {

class RowBuilder {
 public:
  RowBuilder(const FieldValues& values, const RowContext& context, app::IntakeRow& row)
      : values_(values), context_(context), row_(row) {}

  std::string_view Get(Field field) const {
    const auto& value = values_[static_cast<std::size_t>(field)];
    return value ? Trim(*value) : std::string_view();
  }
  bool Has(Field field) const { return !Get(field).empty(); }

  void Problem(Field field, std::string message) {
    row_.problems.push_back({row_.line, FieldName(field), std::move(message)});
  }

  std::optional<std::string_view> Required(Field field) {
    if (!Has(field)) {
      Problem(field, "is missing");
      return std::nullopt;
    }
    return Get(field);
  }

  std::optional<domain::Date> DateValue(Field field, bool required) {
    if (!Has(field)) {
      if (required) Problem(field, "is missing");
      return std::nullopt;
    }
    auto date = domain::Date::ParseFlexible(Get(field));
    if (!date) {
      Problem(field, date.error().message());
      return std::nullopt;
    }
    return *date;
  }

  std::optional<domain::Money> Amount(Field field, const domain::Currency& currency) {
    std::string_view text = Get(field);
    bool comma;
    switch (context_.decimal) {
      case DecimalStyle::kPoint: comma = false; break;
      case DecimalStyle::kComma: comma = true; break;
      case DecimalStyle::kAuto:
      default:
        comma = text.find(',') != std::string_view::npos ||
                (context_.semicolon_file && text.find('.') != std::string_view::npos &&
                 text.size() - text.rfind('.') == 4);
        break;
    }
    // Tolerate a currency sign or code after the number ("123,45 €", "123.45 EUR").
    std::string cleaned(text);
    for (const char* suffix : {"\xE2\x82\xAC", "EUR", "eur"}) {
      auto pos = cleaned.rfind(suffix);
      if (pos != std::string::npos && pos + std::string_view(suffix).size() == cleaned.size()) {
        cleaned = std::string(Trim(cleaned.substr(0, pos)));
      }
    }
    auto money = comma ? domain::Money::ParseGerman(cleaned, currency)
                       : domain::Money::Parse(cleaned, currency);
    if (!money) {
      Problem(field, money.error().message());
      return std::nullopt;
    }
    return *money;
  }

 private:
  const FieldValues& values_;
  const RowContext& context_;
  app::IntakeRow& row_;
};

std::optional<bool> ParseYesNo(std::string_view text) {
  std::string word = ToLowerAscii(Trim(text));
  if (word == "1" || word == "true" || word == "yes" || word == "ja" || word == "j" ||
      word == "x") {
    return true;
  }
  if (word == "0" || word == "false" || word == "no" || word == "nein" || word == "n" ||
      word.empty()) {
    return false;
  }
  return std::nullopt;
}

// Parses a percentage "8.5", "8,5", "8,5 %" into basis points (850) without floating point.
std::optional<std::int32_t> ParsePercentToBasisPoints(std::string_view text) {
  std::string cleaned;
  for (char c : Trim(text)) {
    if (c == '%' || c == ' ') continue;
    cleaned.push_back(c == ',' ? '.' : c);
  }
  auto percent = domain::Money::Parse(cleaned, domain::Currency::Eur());  // two decimals = bp
  if (!percent || percent->is_negative() || percent->minor_units() > 100000) return std::nullopt;
  return static_cast<std::int32_t>(percent->minor_units());
}

// A customer without a reference is recognised by name and address.
std::string DerivedCustomerReference(const domain::Customer& customer) {
  std::string key = "~" + ToLowerAscii(customer.name) + "|" +
                    ToLowerAscii(customer.address.postcode) + "|" +
                    ToLowerAscii(customer.address.street);
  std::string compact;
  for (char c : key) {
    if (c != ' ' && c != '.' && c != ',') compact.push_back(c);
  }
  return compact;
}

}  // namespace

void BuildRow(const FieldValues& values, const RowContext& context, app::IntakeRow& row) {
  RowBuilder b(values, context, row);
  domain::Customer& customer = row.customer;
  domain::Claim& claim = row.claim;
  customer = domain::Customer{};
  claim = domain::Claim{};

  // Currency first: amounts are read in it.
  domain::Currency currency = domain::Currency::Eur();
  if (b.Has(Field::kCurrency)) {
    auto parsed = domain::Currency::FromCode(b.Get(Field::kCurrency));
    if (parsed) {
      currency = *parsed;
    } else {
      b.Problem(Field::kCurrency, parsed.error().message());
    }
  }

  // Who owes.
  const bool has_company = b.Has(Field::kCompany);
  if (b.Has(Field::kName)) {
    customer.name = std::string(b.Get(Field::kName));
  } else if (has_company) {
    customer.name = std::string(b.Get(Field::kCompany));
  } else if (b.Has(Field::kLastName)) {
    customer.name = b.Has(Field::kFirstName) ? std::string(b.Get(Field::kFirstName)) + " " +
                                                   std::string(b.Get(Field::kLastName))
                                             : std::string(b.Get(Field::kLastName));
  } else {
    b.Problem(Field::kName, "is missing (give name, company or first_name + last_name)");
  }
  if (b.Has(Field::kCustomerType)) {
    auto kind = domain::ParseCustomerKind(b.Get(Field::kCustomerType));
    if (kind) {
      customer.kind = *kind;
    } else {
      b.Problem(Field::kCustomerType, "'" + std::string(b.Get(Field::kCustomerType)) +
                                          "' is neither consumer nor business");
    }
  } else {
    // Without a type a company name makes a business; otherwise the customer is treated as a
    // consumer, the choice that never claims more interest than the law allows.
    customer.kind = has_company ? domain::CustomerKind::kBusiness : domain::CustomerKind::kConsumer;
  }
  customer.address.street = std::string(b.Get(Field::kStreet));
  customer.address.postcode = std::string(b.Get(Field::kPostcode));
  customer.address.city = std::string(b.Get(Field::kCity));
  if (b.Has(Field::kCountry)) {
    auto country = NormalizeCountry(b.Get(Field::kCountry));
    if (country) {
      customer.address.country = *country;
    } else {
      b.Problem(Field::kCountry, country.error().message());
    }
  }
  if (b.Has(Field::kLanguage)) {
    std::string language = ToLowerAscii(b.Get(Field::kLanguage));
    if (language == "deutsch" || language == "german") language = "de";
    if (language == "englisch" || language == "english") language = "en";
    if (language.size() != 2) {
      b.Problem(Field::kLanguage, "'" + language + "' is not an ISO 639-1 code such as de or en");
    }
    customer.language = language;
  } else {
    const std::string& c = customer.address.country;
    customer.language = (c == "DE" || c == "AT" || c == "CH" || c == "LI") ? "de" : "en";
  }
  for (auto part : Split(b.Get(Field::kEmail), '|')) {
    if (Trim(part).empty()) continue;
    auto email = NormalizeEmail(part);
    if (email) {
      customer.emails.push_back(*email);
    } else {
      b.Problem(Field::kEmail, email.error().message());
    }
  }
  for (auto part : Split(b.Get(Field::kPhone), '|')) {
    if (Trim(part).empty()) continue;
    auto phone = context.phones != nullptr
                     ? context.phones->Normalize(part, customer.address.country)
                     : NormalizePhone(part, customer.address.country);
    if (phone) {
      customer.phones.push_back(*phone);
    } else {
      b.Problem(Field::kPhone, phone.error().message());
    }
  }
  if (b.Has(Field::kIban)) {
    auto iban = domain::Iban::Parse(b.Get(Field::kIban));
    if (iban) {
      customer.iban = *iban;
    } else {
      b.Problem(Field::kIban, iban.error().message());
    }
  }
  customer.birth_date = b.DateValue(Field::kBirthDate, false);
  customer.customer_ref = b.Has(Field::kCustomerReference)
                              ? std::string(b.Get(Field::kCustomerReference))
                              : DerivedCustomerReference(customer);

  // What is owed.
  if (auto ref = b.Required(Field::kClientReference)) claim.client_ref = std::string(*ref);
  claim.reason =
      b.Has(Field::kReason) ? std::string(b.Get(Field::kReason)) : "Invoice " + claim.client_ref;
  auto invoice_date = b.DateValue(Field::kInvoiceDate, true);
  auto due_date = b.DateValue(Field::kDueDate, true);
  if (invoice_date) claim.invoice_date = *invoice_date;
  if (due_date) claim.due_date = *due_date;
  claim.default_date = b.DateValue(Field::kDefaultDate, false);
  claim.obligation_date = b.DateValue(Field::kObligationDate, false);
  if (b.Has(Field::kDefaultBasis)) {
    auto basis = domain::ParseDefaultBasis(b.Get(Field::kDefaultBasis));
    if (basis) {
      claim.default_basis = *basis;
    } else {
      b.Problem(Field::kDefaultBasis,
                "'" + std::string(b.Get(Field::kDefaultBasis)) +
                    "' is not one of calendar_date, reminder, thirty_day_rule, refusal");
    }
  }
  if (b.Required(Field::kAmount)) {
    if (auto amount = b.Amount(Field::kAmount, currency)) claim.principal = *amount;
  } else {
    claim.principal = domain::Money::Zero(currency);
  }
  claim.client_costs = domain::Money::Zero(currency);
  if (b.Has(Field::kCosts)) {
    if (auto costs = b.Amount(Field::kCosts, currency)) claim.client_costs = *costs;
  }
  if (claim.principal.currency().code() != currency.code()) {
    claim.principal = domain::Money::Zero(currency);
  }
  if (b.Has(Field::kInterestRate)) {
    auto bp = ParsePercentToBasisPoints(b.Get(Field::kInterestRate));
    if (bp) {
      claim.interest.statutory = false;
      claim.interest.contractual_rate_bp = *bp;
    } else {
      b.Problem(Field::kInterestRate, "'" + std::string(b.Get(Field::kInterestRate)) +
                                          "' is not a percentage such as 8.5");
    }
  }
  if (b.Has(Field::kConsumerCredit)) {
    auto yes = ParseYesNo(b.Get(Field::kConsumerCredit));
    if (yes) {
      claim.interest.consumer_credit = *yes;
      if (*yes) claim.interest.remuneration_claim = false;
    } else {
      b.Problem(Field::kConsumerCredit, "must be yes or no");
    }
  }
}

}  // namespace quitt::adapters::intake
