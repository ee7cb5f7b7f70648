#include "adapters/banking/mt940_reader.h"

#include <algorithm>
#include <optional>

#include "common/text.h"

namespace quitt::adapters::banking {
namespace {

using domain::Currency;
using domain::Date;
using domain::Money;
using domain::payment::BankStatement;
using domain::payment::BankTransaction;
using domain::payment::Direction;

struct Field {
  std::string tag;
  std::string value;  // continuation lines joined with '\n'
  int line = 0;
};

bool IsDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

Result<Date> ParseYymmdd(std::string_view text) {
  if (text.size() != 6 || !IsDigits(text))
    return InvalidArgument("date '" + std::string(text) + "'");
  const int yy = std::stoi(std::string(text.substr(0, 2)));
  return Date::FromYmd(2000 + yy, std::stoi(std::string(text.substr(2, 2))),
                       std::stoi(std::string(text.substr(4, 2))));
}

// "1234,56" or "1234," (SWIFT amounts: comma decimal, no grouping).
Result<Money> ParseSwiftAmount(std::string_view text, Currency currency) {
  std::string decimal(text);
  const std::size_t comma = decimal.find(',');
  if (comma == std::string::npos) return InvalidArgument("amount '" + decimal + "' has no comma");
  decimal[comma] = '.';
  if (decimal.back() == '.') decimal.pop_back();
  return Money::Parse(decimal, currency);
}

class Mt940Parser {
 public:
  explicit Mt940Parser(std::string_view source) : source_(source) {}
  Result<std::vector<BankStatement>> Parse(std::string_view text);

 private:
  Status Error(int line, const std::string& what) const {
    return InvalidArgument(source_ + ":" + std::to_string(line) + ": " + what);
  }
  Status Apply(const Field& field);
  Result<Money> ParseBalance(const Field& field, std::optional<Date>* date);
  Status ParseStatementLine(const Field& field);
  void ParseDetails(const std::string& value, BankTransaction* transaction) const;
  Status Finish();

  std::string source_;
  std::vector<BankStatement> statements_;
  std::optional<BankStatement> current_;
  std::string reference_;
  std::string currency_;
  int entry_sequence_ = 0;
};

Result<std::vector<BankStatement>> Mt940Parser::Parse(std::string_view raw) {
  const std::string text = IsValidUtf8(raw) ? std::string(raw) : Windows1252ToUtf8(raw);
  std::vector<Field> fields;
  int line_number = 0;
  for (std::string_view line : Split(text, '\n')) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '{' || line == "-" || line == "-}") {
      if (line == "-" || line == "-}") fields.push_back({"-", "", line_number});
      continue;
    }
    if (line.front() == ':') {
      const std::size_t end = line.find(':', 1);
      if (end == std::string_view::npos || end > 4) {
        return Error(line_number,
                     "malformed field tag in '" + std::string(line.substr(0, 10)) + "'");
      }
      fields.push_back(
          {std::string(line.substr(1, end - 1)), std::string(line.substr(end + 1)), line_number});
    } else {
      if (fields.empty() || fields.back().tag == "-") {
        return Error(line_number, "text outside a field; is this an MT940 file?");
      }
      fields.back().value += "\n" + std::string(line);
    }
  }
  for (const Field& field : fields) QUITT_RETURN_IF_ERROR(Apply(field));
  QUITT_RETURN_IF_ERROR(Finish());
  if (statements_.empty()) return InvalidArgument(source_ + ": no MT940 statement (:20:) found");
  domain::payment::DisambiguateKeys(statements_);
  return std::move(statements_);
}

Status Mt940Parser::Finish() {
  if (!current_) return OkStatus();
  for (BankTransaction& t : current_->transactions) {
    t.statement_id = current_->statement_id;
    t.key = domain::payment::MakeTransactionKey(current_->account_iban, t);
  }
  statements_.push_back(std::move(*current_));
  current_.reset();
  return OkStatus();
}

Result<Money> Mt940Parser::ParseBalance(const Field& field, std::optional<Date>* date) {
  // C/D, YYMMDD, currency, amount: "C230101EUR1000,00"
  const std::string& v = field.value;
  if (v.size() < 11 || (v[0] != 'C' && v[0] != 'D')) {
    return Error(field.line,
                 ":" + field.tag + ": balance '" + v + "' is not C/D YYMMDD CCY amount");
  }
  auto day = ParseYymmdd(std::string_view(v).substr(1, 6));
  if (!day.ok()) return Error(field.line, ":" + field.tag + ": " + day.error().message());
  auto currency = Currency::FromCode(std::string_view(v).substr(7, 3));
  if (!currency.ok()) return Error(field.line, ":" + field.tag + ": unknown currency");
  currency_ = std::string(currency->code());
  auto amount = ParseSwiftAmount(std::string_view(v).substr(10), *currency);
  if (!amount.ok()) return Error(field.line, ":" + field.tag + ": " + amount.error().message());
  if (date != nullptr) *date = *day;
  return v[0] == 'D' ? -*amount : *amount;
}

Status Mt940Parser::Apply(const Field& field) {
  const std::string& tag = field.tag;
  if (tag == "20") {
    QUITT_RETURN_IF_ERROR(Finish());
    current_ = BankStatement();
    current_->format = "MT940";
    reference_ = std::string(Trim(field.value));
    current_->message_id = reference_;
    current_->statement_id = reference_;
    entry_sequence_ = 0;
    return OkStatus();
  }
  if (tag == "-") return Finish();
  if (!current_) return Error(field.line, ":" + tag + ": field before the first :20:");
  if (tag == "25") {
    std::string account;
    for (char c : field.value) {
      if (c != ' ' && c != '\n') account.push_back(c);
    }
    current_->account_iban = ToUpperAscii(account);
  } else if (tag == "28C" || tag == "28") {
    current_->statement_id = reference_ + "/" + std::string(Trim(field.value));
  } else if (tag == "60F" || tag == "60M") {
    QUITT_ASSIGN_OR_RETURN(Money opening, ParseBalance(field, nullptr));
    current_->opening_balance = opening;
    current_->account_currency = currency_;
  } else if (tag == "62F" || tag == "62M") {
    std::optional<Date> date;
    QUITT_ASSIGN_OR_RETURN(Money closing, ParseBalance(field, &date));
    current_->closing_balance = closing;
    current_->closing_date = date;
  } else if (tag == "61") {
    return ParseStatementLine(field);
  } else if (tag == "86") {
    if (current_->transactions.empty()) {
      return Error(field.line, ":86: without a preceding :61:");
    }
    ParseDetails(field.value, &current_->transactions.back());
  }
  return OkStatus();  // other fields (:13D:, :64:, :65:, :NS:) carry nothing we use
}

Status Mt940Parser::ParseStatementLine(const Field& field) {
  const std::string first_line = field.value.substr(0, field.value.find('\n'));
  std::string_view v = first_line;
  auto bad = [&](const std::string& why) {
    return Error(field.line, ":61: " + why + " in '" + first_line + "'");
  };
  if (currency_.empty()) return bad("booking before an opening balance (:60F:)");
  BankTransaction t;
  t.entry_sequence = ++entry_sequence_;
  auto value_date = ParseYymmdd(v.substr(0, 6));
  if (!value_date.ok()) return bad("value date");
  t.value_date = *value_date;
  v.remove_prefix(std::min<std::size_t>(6, v.size()));
  if (v.size() >= 4 && IsDigits(v.substr(0, 4))) {
    // Booking date MMDD, in the value date's year unless the two straddle a year end.
    const int month = std::stoi(std::string(v.substr(0, 2)));
    const int day = std::stoi(std::string(v.substr(2, 2)));
    int year = value_date->year();
    if (month == 1 && value_date->month() == 12) ++year;
    if (month == 12 && value_date->month() == 1) --year;
    auto booking = Date::FromYmd(year, month, day);
    if (!booking.ok()) return bad("booking date");
    t.booking_date = *booking;
    v.remove_prefix(4);
  } else {
    t.booking_date = t.value_date;
  }
  if (v.substr(0, 2) == "RC" || v.substr(0, 2) == "RD") {
    t.reversal = true;
    v.remove_prefix(1);
  }
  if (v.empty() || (v[0] != 'C' && v[0] != 'D'))
    return bad("credit/debit mark must be C, D, RC or RD");
  t.direction = v[0] == 'C' ? Direction::kCredit : Direction::kDebit;
  v.remove_prefix(1);
  if (!v.empty() && v[0] >= 'A' && v[0] <= 'Z') v.remove_prefix(1);  // funds code
  std::size_t amount_end = 0;
  while (amount_end < v.size() &&
         ((v[amount_end] >= '0' && v[amount_end] <= '9') || v[amount_end] == ',')) {
    ++amount_end;
  }
  auto amount = ParseSwiftAmount(v.substr(0, amount_end), *Currency::FromCode(currency_));
  if (!amount.ok()) return bad(amount.error().message());
  t.amount = *amount;
  v.remove_prefix(amount_end);
  if (v.size() < 4) return bad("transaction type missing");
  t.bank_transaction_code = std::string(v.substr(0, 4));
  v.remove_prefix(4);
  const std::size_t slashes = v.find("//");
  std::string customer_ref(v.substr(0, slashes));
  std::string bank_ref(slashes == std::string_view::npos ? std::string_view()
                                                         : v.substr(slashes + 2));
  if (customer_ref != "NONREF") t.entry_reference = customer_ref;
  if (bank_ref != "NONREF") t.account_servicer_reference = bank_ref;
  current_->transactions.push_back(std::move(t));
  return OkStatus();
}

void Mt940Parser::ParseDetails(const std::string& raw, BankTransaction* t) const {
  std::string value;
  for (char c : raw) {
    if (c != '\n') value.push_back(c);  // lines wrap at 65 characters anywhere
  }
  if (value.size() < 4 || value[3] != '?') {
    // Unstructured :86:.
    t->unstructured.push_back(std::string(Trim(value)));
    return;
  }
  t->bank_transaction_code = value.substr(0, 3);  // GVC, e.g. 166 SEPA credit transfer
  std::vector<std::string> purpose;
  std::string name;
  for (std::size_t i = 3; i + 2 < value.size();) {
    const std::size_t next = value.find('?', i + 3);
    const std::string code = value.substr(i + 1, 2);
    const std::string content =
        value.substr(i + 3, next == std::string::npos ? std::string::npos : next - i - 3);
    if (code == "00") {
      t->additional_info = content;
    } else if ((code >= "20" && code <= "29") || (code >= "60" && code <= "63")) {
      purpose.push_back(content);
    } else if (code == "30") {
      t->counterparty_bic = std::string(Trim(content));
    } else if (code == "31") {
      t->counterparty_iban = ToUpperAscii(Trim(content));
    } else if (code == "32" || code == "33") {
      name += content;
    }
    if (next == std::string::npos) break;
    i = next;
  }
  t->counterparty_name = std::string(Trim(name));

  // SEPA keywords run across the ?2x lines; join them without separators to read them.
  std::string joined;
  for (const std::string& line : purpose) joined += line;
  static constexpr std::string_view kKeys[] = {"EREF+", "KREF+", "MREF+", "CRED+", "DEBT+",
                                               "SVWZ+", "ABWA+", "ABWE+", "COAM+", "OAMT+"};
  std::vector<std::pair<std::size_t, std::string_view>> found;
  for (std::string_view key : kKeys) {
    const std::size_t at = joined.find(key);
    if (at != std::string::npos) found.push_back({at, key});
  }
  if (found.empty()) {
    for (const std::string& line : purpose) {
      if (!Trim(line).empty()) t->unstructured.push_back(std::string(Trim(line)));
    }
    return;
  }
  std::sort(found.begin(), found.end());
  for (std::size_t k = 0; k < found.size(); ++k) {
    const std::size_t start = found[k].first + found[k].second.size();
    const std::size_t end = k + 1 < found.size() ? found[k + 1].first : joined.size();
    const std::string content(Trim(std::string_view(joined).substr(start, end - start)));
    if (found[k].second == "EREF+" && content != "NOTPROVIDED") t->end_to_end_id = content;
    if (found[k].second == "MREF+") t->mandate_id = content;
    if (found[k].second == "SVWZ+") t->unstructured.push_back(content);
    if (found[k].second == "ABWA+") t->ultimate_party_name = content;
  }
}

}  // namespace

Result<std::vector<BankStatement>> ParseMt940(std::string_view text, std::string_view source,
                                              std::size_t max_bytes) {
  if (text.size() > max_bytes) {
    return InvalidArgument(std::string(source) + ": file has " + std::to_string(text.size()) +
                           " bytes, the limit is " + std::to_string(max_bytes));
  }
  Mt940Parser parser(source);
  return parser.Parse(text);
}

}  // namespace quitt::adapters::banking
