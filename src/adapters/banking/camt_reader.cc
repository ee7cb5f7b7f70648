#include "adapters/banking/camt_reader.h"

#include <libxml/xmlreader.h>

#include <fstream>
#include <memory>

#include "adapters/banking/xml_util.h"
#include "common/text.h"

namespace quitt::adapters::banking {
namespace {

using domain::Currency;
using domain::Date;
using domain::Money;
using domain::payment::BankStatement;
using domain::payment::BankTransaction;
using domain::payment::Direction;
using domain::payment::EntryStatus;
using xml::Child;
using xml::Children;
using xml::Path;
using xml::Text;

constexpr std::string_view kNamespacePrefix = "urn:iso:std:iso:20022:tech:xsd:";

struct ReaderDeleter {
  void operator()(xmlTextReader* reader) const { xmlFreeTextReader(reader); }
};

struct ParseErrors {
  std::string first;
};

void CollectError(void* context, xmlError* error) {
  auto* errors = static_cast<ParseErrors*>(context);
  if (!errors->first.empty() || error == nullptr) return;
  std::string message = error->message != nullptr ? error->message : "unknown XML error";
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  errors->first = "line " + std::to_string(error->line) + ": " + message;
}

class CamtParser {
 public:
  CamtParser(std::string_view source, const CamtLimits& limits)
      : source_(source), limits_(limits) {}

  Result<std::vector<BankStatement>> Parse(std::string_view text);

 private:
  Status Error(const std::string& where, const std::string& what) const {
    return InvalidArgument(source_ + ": " + where + ": " + what);
  }
  std::string EntryWhere() const {
    return statement_tag_ + "[" + std::to_string(statements_.size()) + "]/Ntry[" +
           std::to_string(entry_sequence_) + "]";
  }
  Status ReadGroupHeader(const xmlNode* node);
  Status ReadStatementChild(const xmlNode* node);
  Status ReadBalance(const xmlNode* node);
  Status ReadEntry(const xmlNode* node);
  Result<Money> ReadAmount(const xmlNode* amount, const std::string& where) const;
  Result<Date> ReadDate(const xmlNode* date_choice, const std::string& where) const;
  void ReadDetails(const xmlNode* details, BankTransaction* transaction) const;

  std::string source_;
  CamtLimits limits_;
  std::string format_;
  std::string statement_tag_;  // Stmt or Ntfctn
  std::string message_id_;
  std::vector<BankStatement> statements_;
  int entry_sequence_ = 0;
  std::size_t total_entries_ = 0;
};

Result<std::vector<BankStatement>> CamtParser::Parse(std::string_view text) {
  if (text.size() > limits_.max_bytes) {
    return InvalidArgument(source_ + ": file has " + std::to_string(text.size()) +
                           " bytes, the limit is " + std::to_string(limits_.max_bytes));
  }
  QUITT_RETURN_IF_ERROR(xml::CheckProlog(text, source_));
  std::unique_ptr<xmlTextReader, ReaderDeleter> reader(xmlReaderForMemory(
      text.data(), static_cast<int>(text.size()), nullptr, nullptr, xml::kSafeParseOptions));
  if (!reader) return Internal(source_ + ": libxml2 could not create a reader");
  ParseErrors errors;
  xmlTextReaderSetStructuredErrorHandler(reader.get(), CollectError, &errors);
  xmlTextReaderPtr r = reader.get();

  std::string container;  // BkToCstmrStmt or BkToCstmrDbtCdtNtfctn
  bool saw_root = false;
  int ret = xmlTextReaderRead(r);
  while (ret == 1) {
    const int type = xmlTextReaderNodeType(r);
    if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
      return InvalidArgument(source_ + ": a DOCTYPE declaration is not allowed");
    }
    if (type == XML_READER_TYPE_ENTITY_REFERENCE) {
      return InvalidArgument(source_ + ": entity references are not allowed");
    }
    if (type != XML_READER_TYPE_ELEMENT) {
      ret = xmlTextReaderRead(r);
      continue;
    }
    const int depth = xmlTextReaderDepth(r);
    const char* raw_name = reinterpret_cast<const char*>(xmlTextReaderConstLocalName(r));
    const std::string name = raw_name != nullptr ? raw_name : "";
    if (depth == 0) {
      const char* raw_ns = reinterpret_cast<const char*>(xmlTextReaderConstNamespaceUri(r));
      const std::string ns = raw_ns != nullptr ? raw_ns : "";
      if (name != "Document") {
        return InvalidArgument(source_ + ": root element is <" + name +
                               ">, expected <Document> of a camt.053 or camt.054 message");
      }
      const std::string version =
          StartsWith(ns, kNamespacePrefix) ? ns.substr(kNamespacePrefix.size()) : std::string();
      if (version != "camt.053.001.02" && version != "camt.053.001.04" &&
          version != "camt.053.001.08" && version != "camt.054.001.02" &&
          version != "camt.054.001.04" && version != "camt.054.001.08") {
        return InvalidArgument(source_ + ": element <Document> has namespace '" + ns +
                               "'; supported are camt.053 and camt.054 versions .001.02, "
                               ".001.04 and .001.08");
      }
      format_ = version;
      const bool statement = StartsWith(version, "camt.053");
      container = statement ? "BkToCstmrStmt" : "BkToCstmrDbtCdtNtfctn";
      statement_tag_ = statement ? "Stmt" : "Ntfctn";
      saw_root = true;
      ret = xmlTextReaderRead(r);
    } else if (depth == 1) {
      if (name != container) {
        return InvalidArgument(source_ + ": element <" + name + "> under <Document>, expected <" +
                               container + "> for " + format_);
      }
      ret = xmlTextReaderRead(r);
    } else if (depth == 2 && name == statement_tag_) {
      BankStatement statement;
      statement.format = format_;
      statement.message_id = message_id_;
      statements_.push_back(std::move(statement));
      entry_sequence_ = 0;
      ret = xmlTextReaderRead(r);
    } else if (depth == 2 || depth == 3) {
      const xmlNode* node = xmlTextReaderExpand(r);
      if (node == nullptr) break;  // the parse error is reported below
      if (depth == 2 && name == "GrpHdr") {
        QUITT_RETURN_IF_ERROR(ReadGroupHeader(node));
      } else if (depth == 3) {
        QUITT_RETURN_IF_ERROR(ReadStatementChild(node));
      }
      ret = xmlTextReaderNext(r);
    } else {
      ret = xmlTextReaderNext(r);
    }
  }
  if (ret < 0 || !errors.first.empty()) {
    return InvalidArgument(source_ + ": malformed XML: " +
                           (errors.first.empty() ? std::string("parse error") : errors.first));
  }
  if (!saw_root) return InvalidArgument(source_ + ": no root element");
  if (statements_.empty()) {
    return InvalidArgument(source_ + ": <" + container + "> holds no <" + statement_tag_ + ">");
  }
  domain::payment::DisambiguateKeys(statements_);
  return std::move(statements_);
}

Status CamtParser::ReadGroupHeader(const xmlNode* node) {
  message_id_ = Text(Child(node, "MsgId"));
  return OkStatus();
}

Status CamtParser::ReadStatementChild(const xmlNode* node) {
  BankStatement& statement = statements_.back();
  const std::string_view name = xml::LocalName(node);
  if (name == "Id") {
    statement.statement_id = Text(node);
  } else if (name == "Acct") {
    const xmlNode* id = Child(node, "Id");
    statement.account_iban = Text(Child(id, "IBAN"));
    if (statement.account_iban.empty()) statement.account_iban = Text(Path(id, {"Othr", "Id"}));
    statement.account_currency = Text(Child(node, "Ccy"));
  } else if (name == "Bal") {
    return ReadBalance(node);
  } else if (name == "Ntry") {
    ++entry_sequence_;
    if (++total_entries_ > limits_.max_entries) {
      return Error(EntryWhere(),
                   "more than " + std::to_string(limits_.max_entries) + " entries in one file");
    }
    return ReadEntry(node);
  }
  return OkStatus();
}

Result<Money> CamtParser::ReadAmount(const xmlNode* amount, const std::string& where) const {
  if (amount == nullptr) return Error(where, "element <Amt> is missing");
  const std::string code = xml::Attribute(amount, "Ccy");
  auto currency = Currency::FromCode(code);
  if (!currency.ok()) return Error(where + "/Amt", "currency '" + code + "' is not ISO 4217");
  auto money = Money::Parse(Text(amount), *currency);
  if (!money.ok()) return Error(where + "/Amt", money.error().message());
  if (money->is_negative()) return Error(where + "/Amt", "amount must not be negative");
  return *money;
}

Result<Date> CamtParser::ReadDate(const xmlNode* date_choice, const std::string& where) const {
  std::string text = Text(Child(date_choice, "Dt"));
  // A DtTm carries the bank's local date in its first ten characters.
  if (text.empty()) text = Text(Child(date_choice, "DtTm")).substr(0, 10);
  auto date = Date::Parse(text);
  if (!date.ok()) return Error(where, "date '" + text + "' is not YYYY-MM-DD");
  return *date;
}

Status CamtParser::ReadBalance(const xmlNode* node) {
  BankStatement& statement = statements_.back();
  const std::string code = Text(Path(node, {"Tp", "CdOrPrtry", "Cd"}));
  const bool opening = code == "OPBD" || code == "PRCD";
  const bool closing = code == "CLBD";
  if (!opening && !closing) return OkStatus();
  const std::string where = statement_tag_ + "[" + std::to_string(statements_.size()) + "]/Bal";
  QUITT_ASSIGN_OR_RETURN(Money amount, ReadAmount(Child(node, "Amt"), where));
  if (Text(Child(node, "CdtDbtInd")) == "DBIT") amount = -amount;
  if (opening && !statement.opening_balance) statement.opening_balance = amount;
  if (closing) {
    statement.closing_balance = amount;
    if (const xmlNode* date = Child(node, "Dt")) {
      QUITT_ASSIGN_OR_RETURN(statement.closing_date, ReadDate(date, where + "/Dt"));
    }
  }
  return OkStatus();
}

std::string PartyName(const xmlNode* party) {
  std::string name = Text(Child(party, "Nm"));                // .02/.04: Dbtr/Nm
  if (name.empty()) name = Text(Path(party, {"Pty", "Nm"}));  // .08: Dbtr/Pty/Nm
  return name;
}

std::string AccountId(const xmlNode* account) {
  const xmlNode* id = Child(account, "Id");
  std::string value = Text(Child(id, "IBAN"));
  if (value.empty()) value = Text(Path(id, {"Othr", "Id"}));
  std::string compact;
  for (char c : value) {
    if (c != ' ') compact.push_back(c);
  }
  return ToUpperAscii(compact);
}

void CamtParser::ReadDetails(const xmlNode* details, BankTransaction* transaction) const {
  const xmlNode* refs = Child(details, "Refs");
  transaction->end_to_end_id = Text(Child(refs, "EndToEndId"));
  if (transaction->end_to_end_id == "NOTPROVIDED") transaction->end_to_end_id.clear();
  transaction->mandate_id = Text(Child(refs, "MndtId"));
  transaction->tx_account_servicer_reference = Text(Child(refs, "AcctSvcrRef"));

  const bool credit = transaction->direction == Direction::kCredit;
  const xmlNode* parties = Child(details, "RltdPties");
  transaction->counterparty_name = PartyName(Child(parties, credit ? "Dbtr" : "Cdtr"));
  transaction->counterparty_iban = AccountId(Child(parties, credit ? "DbtrAcct" : "CdtrAcct"));
  transaction->ultimate_party_name = PartyName(Child(parties, credit ? "UltmtDbtr" : "UltmtCdtr"));
  const xmlNode* agent = Path(details, {"RltdAgts", credit ? "DbtrAgt" : "CdtrAgt", "FinInstnId"});
  transaction->counterparty_bic = Text(Child(agent, "BIC"));
  if (transaction->counterparty_bic.empty())
    transaction->counterparty_bic = Text(Child(agent, "BICFI"));

  const xmlNode* remittance = Child(details, "RmtInf");
  for (const xmlNode* line : Children(remittance, "Ustrd")) {
    std::string text = Text(line);
    if (!text.empty()) transaction->unstructured.push_back(std::move(text));
  }
  for (const xmlNode* structured : Children(remittance, "Strd")) {
    const xmlNode* creditor_ref = Child(structured, "CdtrRefInf");
    const std::string ref = Text(Child(creditor_ref, "Ref"));
    if (ref.empty() || !transaction->creditor_reference.empty()) continue;
    transaction->creditor_reference = ref;
    const xmlNode* type = Path(creditor_ref, {"Tp", "CdOrPrtry"});
    transaction->creditor_reference_type = Text(Child(type, "Cd"));
    if (transaction->creditor_reference_type.empty()) {
      transaction->creditor_reference_type = Text(Child(type, "Prtry"));
    }
  }
  const std::string additional = Text(Child(details, "AddtlTxInf"));
  if (!additional.empty()) transaction->additional_info = additional;
  transaction->return_reason = Text(Path(details, {"RtrInf", "Rsn", "Cd"}));
}

Status CamtParser::ReadEntry(const xmlNode* node) {
  const std::string where = EntryWhere();
  BankStatement& statement = statements_.back();
  BankTransaction base;
  base.statement_id = statement.statement_id;
  base.entry_sequence = entry_sequence_;
  QUITT_ASSIGN_OR_RETURN(base.amount, ReadAmount(Child(node, "Amt"), where));
  const std::string indicator = Text(Child(node, "CdtDbtInd"));
  if (indicator == "CRDT") {
    base.direction = Direction::kCredit;
  } else if (indicator == "DBIT") {
    base.direction = Direction::kDebit;
  } else {
    return Error(where + "/CdtDbtInd", "expected CRDT or DBIT, found '" + indicator + "'");
  }
  const std::string reversal = Text(Child(node, "RvslInd"));
  base.reversal = reversal == "true" || reversal == "1";
  const xmlNode* status_node = Child(node, "Sts");
  std::string status = Text(Child(status_node, "Cd"));  // .08
  if (status.empty()) status = Text(Child(status_node, "Prtry"));
  if (status.empty()) status = Text(status_node);  // .02/.04
  base.status = status == "BOOK"   ? EntryStatus::kBooked
                : status == "PDNG" ? EntryStatus::kPending
                : status == "INFO" ? EntryStatus::kInformation
                                   : EntryStatus::kOther;
  if (const xmlNode* booking = Child(node, "BookgDt")) {
    QUITT_ASSIGN_OR_RETURN(base.booking_date, ReadDate(booking, where + "/BookgDt"));
  }
  if (const xmlNode* value = Child(node, "ValDt")) {
    QUITT_ASSIGN_OR_RETURN(base.value_date, ReadDate(value, where + "/ValDt"));
  }
  base.account_servicer_reference = Text(Child(node, "AcctSvcrRef"));
  base.entry_reference = Text(Child(node, "NtryRef"));
  const xmlNode* code = Child(node, "BkTxCd");
  if (const xmlNode* domain_code = Child(code, "Domn")) {
    base.bank_transaction_code = Text(Child(domain_code, "Cd")) + "/" +
                                 Text(Path(domain_code, {"Fmly", "Cd"})) + "/" +
                                 Text(Path(domain_code, {"Fmly", "SubFmlyCd"}));
  } else {
    base.bank_transaction_code = Text(Path(code, {"Prtry", "Cd"}));
  }
  base.additional_info = Text(Child(node, "AddtlNtryInf"));

  std::vector<const xmlNode*> details;
  for (const xmlNode* group : Children(node, "NtryDtls")) {
    for (const xmlNode* detail : Children(group, "TxDtls")) details.push_back(detail);
  }

  // A batch is split only when every detail states its own amount; otherwise it stays one
  // transaction (for review) rather than inventing a split.
  std::vector<Money> amounts;
  if (details.size() > 1) {
    for (std::size_t i = 0; i < details.size(); ++i) {
      const xmlNode* amount = Child(details[i], "Amt");                               // .04/.08
      if (amount == nullptr) amount = Path(details[i], {"AmtDtls", "TxAmt", "Amt"});  // .02
      if (amount == nullptr) break;
      QUITT_ASSIGN_OR_RETURN(Money money,
                             ReadAmount(amount, where + "/TxDtls[" + std::to_string(i + 1) + "]"));
      if (money.currency() != base.amount.currency()) break;
      amounts.push_back(money);
    }
    if (amounts.size() != details.size()) amounts.clear();
  }

  const std::string account = statement.account_iban;
  if (amounts.empty()) {
    BankTransaction transaction = base;
    if (details.size() == 1) ReadDetails(details[0], &transaction);
    transaction.key = domain::payment::MakeTransactionKey(account, transaction);
    statement.transactions.push_back(std::move(transaction));
    return OkStatus();
  }
  for (std::size_t i = 0; i < details.size(); ++i) {
    BankTransaction transaction = base;
    transaction.detail_index = static_cast<int>(i);
    transaction.detail_count = static_cast<int>(details.size());
    transaction.amount = amounts[i];
    const std::string own = Text(Child(details[i], "CdtDbtInd"));
    if (own == "CRDT") transaction.direction = Direction::kCredit;
    if (own == "DBIT") transaction.direction = Direction::kDebit;
    ReadDetails(details[i], &transaction);
    transaction.key = domain::payment::MakeTransactionKey(account, transaction);
    statement.transactions.push_back(std::move(transaction));
  }
  return OkStatus();
}

}  // namespace

Result<std::vector<BankStatement>> ParseCamt(std::string_view xml, std::string_view source,
                                             const CamtLimits& limits) {
  CamtParser parser(source, limits);
  return parser.Parse(xml);
}

Result<std::vector<BankStatement>> ReadCamtFile(const std::string& path, const CamtLimits& limits) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return NotFound(path + ": cannot open the file");
  const std::streamoff size = in.tellg();
  if (size < 0) return Unavailable(path + ": cannot determine the file size");
  if (static_cast<std::size_t>(size) > limits.max_bytes) {
    return InvalidArgument(path + ": file has " + std::to_string(size) + " bytes, the limit is " +
                           std::to_string(limits.max_bytes));
  }
  std::string text(static_cast<std::size_t>(size), '\0');
  in.seekg(0);
  if (!in.read(text.data(), size)) return Unavailable(path + ": cannot read the file");
  return ParseCamt(text, path, limits);
}

}  // namespace quitt::adapters::banking
