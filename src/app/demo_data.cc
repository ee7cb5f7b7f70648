#include "app/demo_data.h"

#include <random>

#include "domain/iban.h"

namespace quitt::app {

namespace {

// Frequent German given names and surnames, street names and cities with real postcodes
// (public knowledge; nothing here identifies a real person).
constexpr const char* kFirstNames[] = {
    "Anna",   "Maria",     "Sophie", "Laura",   "Lena",   "Julia",     "Katharina",
    "Sabine", "Petra",     "Monika", "Jürgen",  "Thomas", "Michael",   "Andreas",
    "Stefan", "Markus",    "Lukas",  "Jonas",   "Felix",  "Christian", "Özlem",
    "Mehmet", "Agnieszka", "Dmitri", "Günther", "Björn",  "Jörg",      "Ute"};
constexpr const char* kLastNames[] = {
    "Müller",   "Schmidt",  "Schneider", "Fischer",    "Weber", "Meyer",   "Wagner",  "Becker",
    "Schulz",   "Hoffmann", "Schäfer",   "Koch",       "Bauer", "Richter", "Klein",   "Wolf",
    "Schröder", "Neumann",  "Schwarz",   "Zimmermann", "Braun", "Krüger",  "Hofmann", "Hartmann",
    "Lange",    "Yılmaz",   "Kowalski",  "Öztürk",     "Weiß",  "Groß"};
constexpr const char* kStreets[] = {
    "Hauptstraße", "Schulstraße",    "Gartenstraße", "Bahnhofstraße",  "Dorfstraße",
    "Bergstraße",  "Birkenweg",      "Lindenstraße", "Kirchstraße",    "Waldstraße",
    "Ringstraße",  "Am Markt",       "Goethestraße", "Schillerstraße", "Mühlenweg",
    "Rosenstraße", "Friedrichstraße"};
struct City {
  const char* postcode;
  const char* name;
  const char* area_code;
};
constexpr City kCities[] = {{"10115", "Berlin", "30"},
                            {"20095", "Hamburg", "40"},
                            {"80331", "München", "89"},
                            {"50667", "Köln", "221"},
                            {"60311", "Frankfurt am Main", "69"},
                            {"70173", "Stuttgart", "711"},
                            {"40213", "Düsseldorf", "211"},
                            {"04109", "Leipzig", "341"},
                            {"44135", "Dortmund", "231"},
                            {"45127", "Essen", "201"},
                            {"28195", "Bremen", "421"},
                            {"01067", "Dresden", "351"},
                            {"30159", "Hannover", "511"},
                            {"90402", "Nürnberg", "911"},
                            {"47051", "Duisburg", "203"},
                            {"44787", "Bochum", "234"},
                            {"42103", "Wuppertal", "202"},
                            {"33602", "Bielefeld", "521"},
                            {"53111", "Bonn", "228"},
                            {"48143", "Münster", "251"}};
constexpr const char* kCompanySuffixes[] = {"GmbH", "GmbH & Co. KG",          "e.K.", "KG",
                                            "AG",   "UG (haftungsbeschränkt)"};
constexpr const char* kTrades[] = {"Bau",      "Elektro",      "Metallbau", "Gastro",
                                   "Logistik", "Dachdeckerei", "Autohaus",  "Druckerei",
                                   "Bäckerei", "Haustechnik",  "IT-Service"};
constexpr const char* kConsumerReasons[] = {"Mobilfunkvertrag, Rechnung",
                                            "Stromlieferung, Jahresabrechnung",
                                            "Online-Bestellung",
                                            "Fitnessstudio, Mitgliedsbeitrag",
                                            "Zahnarztrechnung",
                                            "Versandhandel, Bestellung",
                                            "Internet und Festnetz, Rechnung",
                                            "Kfz-Reparatur",
                                            "Möbelkauf",
                                            "Handwerkerleistung"};
constexpr const char* kBusinessReasons[] = {"Warenlieferung laut Lieferschein",
                                            "Wartungsvertrag, Quartalsrechnung",
                                            "Baustoffe, Lieferung",
                                            "Beratungsleistung",
                                            "Softwarelizenz, Jahresgebühr",
                                            "Transportauftrag",
                                            "Büromaterial"};
// German mobile network prefixes (Bundesnetzagentur numbering plan, 015x/016x/017x in use).
constexpr const char* kMobilePrefixes[] = {"151", "152", "157", "159", "160", "162",
                                           "163", "170", "171", "172", "173", "174",
                                           "175", "176", "177", "178", "179"};
// Real German bank codes (BLZ) of large banks, so generated IBANs look like ordinary accounts.
constexpr const char* kBankCodes[] = {"10070000", "20050550", "37040044", "50010517",
                                      "70020270", "43060967", "12030000", "76010085"};

template <typename T, std::size_t N>
const T& Pick(std::mt19937_64& random, const T (&items)[N]) {
  return items[random() % N];
}

std::string GermanIban(std::mt19937_64& random) {
  std::string account = std::to_string(1000000000ULL + random() % 8999999999ULL);
  std::string bban = std::string(Pick(random, kBankCodes)) + account;
  int check = 98 - domain::Mod97(bban + "DE00");
  std::string iban = "DE";
  iban.push_back(static_cast<char>('0' + check / 10));
  iban.push_back(static_cast<char>('0' + check % 10));
  return iban + bban;
}

class DemoSource : public ClaimSource {
 public:
  explicit DemoSource(const DemoOptions& options)
      : options_(options),
        random_(options.seed),
        name_("demo data (seed " + std::to_string(options.seed) + ")"),
        claim_counter_(options.first_number) {}

  Result<bool> Next(IntakeRow& row) override {
    if (claims_left_in_case_ == 0) {
      if (case_index_ >= options_.cases) return false;
      ++case_index_;
      NewCustomer();
      // Most cases have one claim, some two to four (repeat invoices of the same customer).
      std::uint64_t roll = random_() % 100;
      claims_left_in_case_ = roll < 75 ? 1 : roll < 92 ? 2 : roll < 98 ? 3 : 4;
    }
    --claims_left_in_case_;
    row = IntakeRow{};
    row.line = ++line_;
    row.customer = customer_;
    domain::Claim& claim = row.claim;
    claim.client_ref = "RE-" + std::to_string(2026000000 + ++claim_counter_);
    const bool business = customer_.kind == domain::CustomerKind::kBusiness;
    claim.reason =
        std::string(business ? Pick(random_, kBusinessReasons) : Pick(random_, kConsumerReasons)) +
        " " + claim.client_ref;
    const auto days_ago = static_cast<std::int32_t>(20 + random_() % 380);
    claim.invoice_date = options_.today.AddDays(-days_ago);
    claim.due_date = claim.invoice_date.AddDays(business ? 30 : 14);
    claim.default_date = claim.due_date.AddDays(1);
    claim.default_basis = domain::DefaultBasis::kCalendarDate;
    // Amounts: consumers mostly 20-800 EUR, businesses 200-25,000 EUR, in cents.
    std::int64_t cents = business ? 20000 + static_cast<std::int64_t>(random_() % 2480000)
                                  : 2000 + static_cast<std::int64_t>(random_() % 78000);
    if (random_() % 10 == 0) cents = cents / 100 * 100;  // some round amounts
    claim.principal = domain::Money::FromMinorUnits(cents, domain::Currency::Eur());
    claim.client_costs =
        domain::Money::FromMinorUnits(random_() % 3 == 0 ? 500 : 0, domain::Currency::Eur());
    return true;
  }
  const std::string& name() const override { return name_; }
  std::int64_t position() const override { return case_index_; }
  std::int64_t size() const override { return options_.cases; }

 private:
  void NewCustomer() {
    domain::Customer& c = customer_;
    c = domain::Customer{};
    const bool business = static_cast<int>(random_() % 100) < options_.business_percent;
    c.kind = business ? domain::CustomerKind::kBusiness : domain::CustomerKind::kConsumer;
    const City& city = Pick(random_, kCities);
    if (business) {
      c.name = std::string(Pick(random_, kLastNames)) + " " + Pick(random_, kTrades) + " " +
               Pick(random_, kCompanySuffixes);
    } else {
      c.name = std::string(Pick(random_, kFirstNames)) + " " + Pick(random_, kLastNames);
      c.birth_date =
          options_.today.AddDays(-static_cast<std::int32_t>(365 * 19 + random_() % (365 * 60)));
    }
    c.customer_ref = "K" + std::to_string(100000 + options_.first_number + case_index_);
    c.address = {std::string(Pick(random_, kStreets)) + " " + std::to_string(1 + random_() % 120),
                 city.postcode, city.name, "DE"};
    if (random_() % 100 < 70) {
      // 015x numbers have eight digits after the prefix, 016x/017x seven.
      std::string prefix = Pick(random_, kMobilePrefixes);
      c.phones.push_back("+49" + prefix +
                         (prefix[1] == '5' ? std::to_string(10000000 + random_() % 89999999)
                                           : std::to_string(1000000 + random_() % 8999999)));
    } else if (random_() % 2 == 0) {
      c.phones.push_back(std::string("+49") + city.area_code +
                         std::to_string(1000000 + random_() % 8999999));
    }
    if (random_() % 100 < 60) {
      c.emails.push_back("kunde" + std::to_string(case_index_) +
                         (business ? "@firma-beispiel.de" : "@example.de"));
    }
    c.language = random_() % 20 == 0 ? "en" : "de";
    if (random_() % 100 < 40) {
      auto iban = domain::Iban::Parse(GermanIban(random_));
      if (iban) c.iban = *iban;
    }
  }

  DemoOptions options_;
  std::mt19937_64 random_;
  std::string name_;
  domain::Customer customer_;
  std::int64_t case_index_ = 0;
  int claims_left_in_case_ = 0;
  std::int64_t claim_counter_ = 0;
  std::int64_t line_ = 1;
};

std::string CsvQuote(const std::string& text) {
  if (text.find_first_of(";\"\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? "|" : "") + items[i];
  return out;
}

}  // namespace

std::unique_ptr<ClaimSource> MakeDemoSource(const DemoOptions& options) {
  return std::make_unique<DemoSource>(options);
}

std::string DemoCsvHeader() {
  return "Rechnungsnummer;Kundennummer;Kundentyp;Name;Straße;PLZ;Ort;Land;E-Mail;Telefon;Sprache;"
         "IBAN;Geburtsdatum;Forderungsgrund;Rechnungsdatum;Fällig am;Verzugsdatum;Betrag;Währung;"
         "Kosten\n";
}

std::string DemoCsvRow(const IntakeRow& row) {
  const domain::Customer& c = row.customer;
  const domain::Claim& claim = row.claim;
  std::string out;
  auto add = [&](const std::string& value) {
    if (!out.empty()) out.push_back(';');
    out += CsvQuote(value);
  };
  add(claim.client_ref);
  add(c.customer_ref);
  add(c.kind == domain::CustomerKind::kBusiness ? "Unternehmen" : "Verbraucher");
  add(c.name);
  add(c.address.street);
  add(c.address.postcode);
  add(c.address.city);
  add(c.address.country);
  add(Join(c.emails));
  add(Join(c.phones));
  add(c.language);
  add(c.iban ? c.iban->electronic() : "");
  add(c.birth_date ? c.birth_date->ToGermanString() : "");
  add(claim.reason);
  add(claim.invoice_date.ToGermanString());
  add(claim.due_date.ToGermanString());
  add(claim.default_date ? claim.default_date->ToGermanString() : "");
  add(claim.principal.ToGermanString());
  add(std::string(claim.principal.currency().code()));
  add(claim.client_costs.ToGermanString());
  return out + "\n";
}

}  // namespace quitt::app
