#include "adapters/banking/pain_writer.h"

#include "common/text.h"
#include "domain/iban.h"
#include "domain/payment/sepa_text.h"

namespace quitt::adapters::banking {
namespace {

using domain::Money;
using domain::payment::IsSepaIdChar;
using domain::payment::SepaText;

Status CheckId(const std::string& field, const std::string& value) {
  if (value.empty() || value.size() > 35) {
    return InvalidArgument(field + " must have 1 to 35 characters, has " +
                           std::to_string(value.size()));
  }
  for (char c : value) {
    if (!IsSepaIdChar(c)) {
      return InvalidArgument(field + " '" + value + "' contains '" + std::string(1, c) +
                             "', outside the SEPA character set");
    }
  }
  if (value.front() == '/' || value.find("//") != std::string::npos) {
    return InvalidArgument(field + " '" + value + "' must not start with '/' or contain '//'");
  }
  return OkStatus();
}

std::string Escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '\'': out += "&apos;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

class XmlOut {
 public:
  void Open(const char* tag) {
    Indent();
    out_ += "<" + std::string(tag) + ">\n";
    ++depth_;
  }
  void Close(const char* tag) {
    --depth_;
    Indent();
    out_ += "</" + std::string(tag) + ">\n";
  }
  void Leaf(const char* tag, std::string_view text) {
    Indent();
    out_ += "<" + std::string(tag) + ">" + Escape(text) + "</" + std::string(tag) + ">\n";
  }
  void Amount(const char* tag, const Money& amount) {
    Indent();
    out_ += "<" + std::string(tag) + " Ccy=\"EUR\">" + amount.ToDecimalString() + "</" +
            std::string(tag) + ">\n";
  }
  void Raw(std::string_view text) { out_ += text; }
  std::string Take() { return std::move(out_); }

 private:
  void Indent() { out_.append(static_cast<std::size_t>(depth_) * 2, ' '); }
  std::string out_;
  int depth_ = 0;
};

Status CheckAmount(const std::string& field, const Money& amount) {
  if (amount.currency() != domain::Currency::Eur()) {
    return InvalidArgument(field + ": SEPA amounts are EUR, not " +
                           std::string(amount.currency().code()));
  }
  if (amount.minor_units() < 1 || amount.minor_units() > 99'999'999'999) {
    return InvalidArgument(field + ": amount " + amount.ToDecimalString() +
                           " is outside 0.01 .. 999999999.99");
  }
  return OkStatus();
}

struct CheckedAccount {
  std::string name;
  std::string iban;
  std::string bic;
  std::optional<PostalAddress> address;
};

Result<CheckedAccount> CheckAccount(const std::string& field, const SepaAccount& account) {
  CheckedAccount out;
  QUITT_ASSIGN_OR_RETURN(out.name, SepaText(field + " name", account.name, 70));
  auto iban = domain::Iban::Parse(account.iban);
  if (!iban.ok()) return iban.error().WithContext(field + " IBAN");
  out.iban = iban->electronic();
  if (!account.bic.empty()) {
    bool ok = account.bic.size() == 8 || account.bic.size() == 11;
    for (std::size_t i = 0; ok && i < account.bic.size(); ++i) {
      const char c = account.bic[i];
      ok = (c >= 'A' && c <= 'Z') || ((i < 4 || i >= 6) && c >= '0' && c <= '9');
    }
    if (!ok) return InvalidArgument(field + " BIC '" + account.bic + "' is not a BIC");
    out.bic = account.bic;
  }
  if (account.address) {
    const PostalAddress& a = *account.address;
    PostalAddress checked;
    if (a.country.size() != 2 || a.country[0] < 'A' || a.country[0] > 'Z' || a.country[1] < 'A' ||
        a.country[1] > 'Z') {
      return InvalidArgument(field + " address: country '" + a.country +
                             "' is not an ISO 3166 code");
    }
    checked.country = a.country;
    QUITT_ASSIGN_OR_RETURN(checked.town_name, SepaText(field + " town", a.town_name, 35));
    if (!a.street_name.empty()) {
      QUITT_ASSIGN_OR_RETURN(checked.street_name, SepaText(field + " street", a.street_name, 70));
    }
    if (!a.building_number.empty()) {
      QUITT_ASSIGN_OR_RETURN(checked.building_number,
                             SepaText(field + " building number", a.building_number, 16));
    }
    if (!a.post_code.empty()) {
      QUITT_ASSIGN_OR_RETURN(checked.post_code, SepaText(field + " post code", a.post_code, 16));
    }
    out.address = checked;
  }
  return out;
}

void WriteParty(XmlOut& xml, const char* tag, const CheckedAccount& account) {
  xml.Open(tag);
  xml.Leaf("Nm", account.name);
  if (account.address) {
    const PostalAddress& a = *account.address;
    xml.Open("PstlAdr");
    if (!a.street_name.empty()) xml.Leaf("StrtNm", a.street_name);
    if (!a.building_number.empty()) xml.Leaf("BldgNb", a.building_number);
    if (!a.post_code.empty()) xml.Leaf("PstCd", a.post_code);
    xml.Leaf("TwnNm", a.town_name);
    xml.Leaf("Ctry", a.country);
    xml.Close("PstlAdr");
  }
  xml.Close(tag);
}

void WriteAccount(XmlOut& xml, const char* tag, const CheckedAccount& account) {
  xml.Open(tag);
  xml.Open("Id");
  xml.Leaf("IBAN", account.iban);
  xml.Close("Id");
  xml.Close(tag);
}

// An agent without BIC is written as "NOTPROVIDED" (IBAN-only payments within SEPA).
void WriteAgent(XmlOut& xml, const char* tag, const CheckedAccount& account) {
  xml.Open(tag);
  xml.Open("FinInstnId");
  if (!account.bic.empty()) {
    xml.Leaf("BICFI", account.bic);
  } else {
    xml.Open("Othr");
    xml.Leaf("Id", "NOTPROVIDED");
    xml.Close("Othr");
  }
  xml.Close("FinInstnId");
  xml.Close(tag);
}

void WriteHeader(XmlOut& xml, const std::string& message_id, const domain::Timestamp& created,
                 std::size_t count, const Money& sum, const std::string& initiating_party) {
  xml.Open("GrpHdr");
  xml.Leaf("MsgId", message_id);
  // Whole seconds in UTC: the fraction adds nothing for a bank file.
  xml.Leaf("CreDtTm", created.ToString().substr(0, 19) + "Z");
  xml.Leaf("NbOfTxs", std::to_string(count));
  xml.Leaf("CtrlSum", sum.ToDecimalString());
  xml.Open("InitgPty");
  xml.Leaf("Nm", initiating_party);
  xml.Close("InitgPty");
  xml.Close("GrpHdr");
}

Status CheckBatchIds(const std::string& message_id, const std::string& payment_info_id,
                     std::size_t count) {
  QUITT_RETURN_IF_ERROR(CheckId("message id", message_id));
  QUITT_RETURN_IF_ERROR(CheckId("payment info id", payment_info_id));
  if (count == 0) return InvalidArgument("a SEPA file needs at least one transaction");
  return OkStatus();
}

const char* kXmlDeclaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

}  // namespace

Result<std::string> BuildPain001(const CreditTransferBatch& batch) {
  QUITT_RETURN_IF_ERROR(
      CheckBatchIds(batch.message_id, batch.payment_info_id, batch.transfers.size()));
  QUITT_ASSIGN_OR_RETURN(std::string initiating,
                         SepaText("initiating party", batch.initiating_party, 70));
  QUITT_ASSIGN_OR_RETURN(CheckedAccount trust, CheckAccount("trust account", batch.trust_account));
  Money sum = Money::Zero(domain::Currency::Eur());
  struct Row {
    CheckedAccount payee;
    std::string text;
  };
  std::vector<Row> rows;
  for (std::size_t i = 0; i < batch.transfers.size(); ++i) {
    const CreditTransfer& t = batch.transfers[i];
    const std::string where = "transfer " + std::to_string(i + 1);
    QUITT_RETURN_IF_ERROR(CheckId(where + " end-to-end id", t.end_to_end_id));
    QUITT_RETURN_IF_ERROR(CheckAmount(where, t.amount));
    if (t.reference && !t.remittance_text.empty()) {
      return InvalidArgument(where + ": give a remittance text or an RF reference, not both");
    }
    Row row;
    QUITT_ASSIGN_OR_RETURN(row.payee, CheckAccount(where + " payee", t.payee));
    if (!t.remittance_text.empty()) {
      QUITT_ASSIGN_OR_RETURN(row.text,
                             SepaText(where + " remittance text", t.remittance_text, 140));
    }
    sum += t.amount;
    rows.push_back(std::move(row));
  }

  XmlOut xml;
  xml.Raw(kXmlDeclaration);
  xml.Raw("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.09\">\n");
  xml.Open("CstmrCdtTrfInitn");
  WriteHeader(xml, batch.message_id, batch.created_at, batch.transfers.size(), sum, initiating);
  xml.Open("PmtInf");
  xml.Leaf("PmtInfId", batch.payment_info_id);
  xml.Leaf("PmtMtd", "TRF");
  xml.Leaf("BtchBookg", batch.batch_booking ? "true" : "false");
  xml.Leaf("NbOfTxs", std::to_string(batch.transfers.size()));
  xml.Leaf("CtrlSum", sum.ToDecimalString());
  xml.Open("PmtTpInf");
  xml.Open("SvcLvl");
  xml.Leaf("Cd", "SEPA");
  xml.Close("SvcLvl");
  xml.Close("PmtTpInf");
  xml.Open("ReqdExctnDt");
  xml.Leaf("Dt", batch.execution_date.ToString());
  xml.Close("ReqdExctnDt");
  WriteParty(xml, "Dbtr", trust);
  WriteAccount(xml, "DbtrAcct", trust);
  WriteAgent(xml, "DbtrAgt", trust);
  xml.Leaf("ChrgBr", "SLEV");
  for (std::size_t i = 0; i < batch.transfers.size(); ++i) {
    const CreditTransfer& t = batch.transfers[i];
    const Row& row = rows[i];
    xml.Open("CdtTrfTxInf");
    xml.Open("PmtId");
    xml.Leaf("EndToEndId", t.end_to_end_id);
    xml.Close("PmtId");
    xml.Open("Amt");
    xml.Amount("InstdAmt", t.amount);
    xml.Close("Amt");
    if (!row.payee.bic.empty()) WriteAgent(xml, "CdtrAgt", row.payee);
    WriteParty(xml, "Cdtr", row.payee);
    WriteAccount(xml, "CdtrAcct", row.payee);
    if (!row.text.empty() || t.reference) {
      xml.Open("RmtInf");
      if (t.reference) {
        xml.Open("Strd");
        xml.Open("CdtrRefInf");
        xml.Open("Tp");
        xml.Open("CdOrPrtry");
        xml.Leaf("Cd", "SCOR");
        xml.Close("CdOrPrtry");
        xml.Leaf("Issr", "ISO");
        xml.Close("Tp");
        xml.Leaf("Ref", t.reference->electronic());
        xml.Close("CdtrRefInf");
        xml.Close("Strd");
      } else {
        xml.Leaf("Ustrd", row.text);
      }
      xml.Close("RmtInf");
    }
    xml.Close("CdtTrfTxInf");
  }
  xml.Close("PmtInf");
  xml.Close("CstmrCdtTrfInitn");
  xml.Raw("</Document>\n");
  return xml.Take();
}

namespace {

struct DebitRow {
  CheckedAccount customer;
  std::string text;
};

struct CheckedBlock {
  CheckedAccount creditor;
  std::vector<DebitRow> rows;
  Money sum = Money::Zero(domain::Currency::Eur());
};

Result<CheckedBlock> CheckDebitBlock(const DirectDebitBatch& batch, const std::string& block) {
  QUITT_RETURN_IF_ERROR(CheckId(block + "payment info id", batch.payment_info_id));
  if (batch.debits.empty()) return InvalidArgument(block + "has no direct debit");
  CheckedBlock out;
  QUITT_ASSIGN_OR_RETURN(out.creditor,
                         CheckAccount(block + "creditor account", batch.creditor_account));
  QUITT_RETURN_IF_ERROR(CheckId(block + "creditor id", batch.creditor_id));
  for (std::size_t i = 0; i < batch.debits.size(); ++i) {
    const DirectDebit& d = batch.debits[i];
    const std::string where = block + "direct debit " + std::to_string(i + 1);
    QUITT_RETURN_IF_ERROR(CheckId(where + " end-to-end id", d.end_to_end_id));
    QUITT_RETURN_IF_ERROR(CheckId(where + " mandate id", d.mandate_id));
    QUITT_RETURN_IF_ERROR(CheckAmount(where, d.amount));
    if (d.mandate_signed_on > batch.collection_date) {
      return InvalidArgument(where + ": mandate signed on " + d.mandate_signed_on.ToString() +
                             ", after the collection date");
    }
    DebitRow row;
    QUITT_ASSIGN_OR_RETURN(row.customer, CheckAccount(where + " customer", d.customer));
    if (!d.remittance_text.empty()) {
      QUITT_ASSIGN_OR_RETURN(row.text,
                             SepaText(where + " remittance text", d.remittance_text, 140));
    }
    out.sum += d.amount;
    out.rows.push_back(std::move(row));
  }
  return out;
}

void WriteDebitBlock(XmlOut& xml, const DirectDebitBatch& batch, const CheckedBlock& checked) {
  static constexpr const char* kSequence[] = {"FRST", "RCUR", "OOFF", "FNAL"};
  const CheckedAccount& creditor = checked.creditor;
  xml.Open("PmtInf");
  xml.Leaf("PmtInfId", batch.payment_info_id);
  xml.Leaf("PmtMtd", "DD");
  if (batch.batch_booking) xml.Leaf("BtchBookg", *batch.batch_booking ? "true" : "false");
  xml.Leaf("NbOfTxs", std::to_string(batch.debits.size()));
  xml.Leaf("CtrlSum", checked.sum.ToDecimalString());
  xml.Open("PmtTpInf");
  xml.Open("SvcLvl");
  xml.Leaf("Cd", "SEPA");
  xml.Close("SvcLvl");
  xml.Open("LclInstrm");
  xml.Leaf("Cd", batch.scheme == DirectDebitScheme::kCore ? "CORE" : "B2B");
  xml.Close("LclInstrm");
  xml.Leaf("SeqTp", kSequence[static_cast<int>(batch.sequence_type)]);
  xml.Close("PmtTpInf");
  xml.Leaf("ReqdColltnDt", batch.collection_date.ToString());
  WriteParty(xml, "Cdtr", creditor);
  WriteAccount(xml, "CdtrAcct", creditor);
  WriteAgent(xml, "CdtrAgt", creditor);
  xml.Leaf("ChrgBr", "SLEV");
  xml.Open("CdtrSchmeId");
  xml.Open("Id");
  xml.Open("PrvtId");
  xml.Open("Othr");
  xml.Leaf("Id", batch.creditor_id);
  xml.Open("SchmeNm");
  xml.Leaf("Prtry", "SEPA");
  xml.Close("SchmeNm");
  xml.Close("Othr");
  xml.Close("PrvtId");
  xml.Close("Id");
  xml.Close("CdtrSchmeId");
  for (std::size_t i = 0; i < batch.debits.size(); ++i) {
    const DirectDebit& d = batch.debits[i];
    const DebitRow& row = checked.rows[i];
    xml.Open("DrctDbtTxInf");
    xml.Open("PmtId");
    xml.Leaf("EndToEndId", d.end_to_end_id);
    xml.Close("PmtId");
    xml.Amount("InstdAmt", d.amount);
    xml.Open("DrctDbtTx");
    xml.Open("MndtRltdInf");
    xml.Leaf("MndtId", d.mandate_id);
    xml.Leaf("DtOfSgntr", d.mandate_signed_on.ToString());
    xml.Close("MndtRltdInf");
    xml.Close("DrctDbtTx");
    WriteAgent(xml, "DbtrAgt", row.customer);
    WriteParty(xml, "Dbtr", row.customer);
    WriteAccount(xml, "DbtrAcct", row.customer);
    if (!row.text.empty()) {
      xml.Open("RmtInf");
      xml.Leaf("Ustrd", row.text);
      xml.Close("RmtInf");
    }
    xml.Close("DrctDbtTxInf");
  }
  xml.Close("PmtInf");
}

}  // namespace

Result<std::string> BuildPain008(const DirectDebitBatch& batch) {
  DirectDebitFile file;
  file.message_id = batch.message_id;
  file.created_at = batch.created_at;
  file.initiating_party = batch.initiating_party;
  file.blocks.push_back(batch);
  return BuildPain008File(file);
}

Result<std::string> BuildPain008File(const DirectDebitFile& file) {
  QUITT_RETURN_IF_ERROR(CheckId("message id", file.message_id));
  QUITT_ASSIGN_OR_RETURN(std::string initiating,
                         SepaText("initiating party", file.initiating_party, 70));
  if (file.blocks.empty()) return InvalidArgument("a SEPA file needs at least one transaction");
  std::vector<CheckedBlock> checked;
  Money sum = Money::Zero(domain::Currency::Eur());
  std::size_t count = 0;
  for (std::size_t b = 0; b < file.blocks.size(); ++b) {
    const std::string block =
        file.blocks.size() == 1 ? std::string() : "block " + std::to_string(b + 1) + ": ";
    for (std::size_t earlier = 0; earlier < b; ++earlier) {
      if (file.blocks[earlier].payment_info_id == file.blocks[b].payment_info_id) {
        return InvalidArgument(block + "payment info id '" + file.blocks[b].payment_info_id +
                               "' is used twice");
      }
    }
    QUITT_ASSIGN_OR_RETURN(CheckedBlock one, CheckDebitBlock(file.blocks[b], block));
    sum += one.sum;
    count += file.blocks[b].debits.size();
    checked.push_back(std::move(one));
  }
  XmlOut xml;
  xml.Raw(kXmlDeclaration);
  xml.Raw("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.008.001.08\">\n");
  xml.Open("CstmrDrctDbtInitn");
  WriteHeader(xml, file.message_id, file.created_at, count, sum, initiating);
  for (std::size_t b = 0; b < file.blocks.size(); ++b)
    WriteDebitBlock(xml, file.blocks[b], checked[b]);
  xml.Close("CstmrDrctDbtInitn");
  xml.Raw("</Document>\n");
  return xml.Take();
}

}  // namespace quitt::adapters::banking
