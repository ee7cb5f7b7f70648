#pragma once
// SEPA initiation files the agency hands to its bank:
//  - pain.001.001.09 credit transfers: paying collected money out of the trust account to clients
//    (remittance) and refunds to customers;
//  - pain.008.001.08 direct debits: collecting instalments from customers who gave a mandate.
// Both are written for the German DK subset (DFÜ-Abkommen Anlage 3, "GBIC_5" technical
// validation subsets in shared/standards/iso20022/xsd/dk): EUR only, SEPA service level, no UETR,
// identifiers restricted to the SEPA character set, structured addresses only. The tests validate
// the output against both the ISO and the DK schema.
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/creditor_reference.h"
#include "domain/date.h"
#include "domain/money.h"

namespace quitt::adapters::banking {

// Structured address (banks reject unstructured addresses from Nov 2026, see the reference § 7.1).
struct PostalAddress {
  std::string street_name;      // optional
  std::string building_number;  // optional
  std::string post_code;        // optional
  std::string town_name;        // required when an address is given
  std::string country;          // ISO 3166 alpha-2, required
};

struct SepaAccount {
  std::string name;  // account holder, 1..70 characters
  std::string iban;  // checked with domain::Iban
  std::string bic;   // optional (IBAN-only is allowed within SEPA)
  std::optional<PostalAddress> address;
};

// --- pain.001.001.09 ---------------------------------------------------------------------------

struct CreditTransfer {
  std::string end_to_end_id;  // 1..35, SEPA characters; shows on the client's statement
  domain::Money amount = domain::Money::Zero(domain::Currency::Eur());  // 0.01 .. 999999999.99
  SepaAccount payee;                                   // the client (or the customer, for a refund)
  std::string remittance_text;                         // <= 140 characters, or ...
  std::optional<domain::CreditorReference> reference;  // ... a structured RF reference
};

struct CreditTransferBatch {
  std::string message_id;  // 1..35, unique per bank for a long time
  domain::Timestamp created_at = domain::Timestamp::FromUnixMicros(0);
  std::string initiating_party;  // the agency's name
  std::string payment_info_id;   // 1..35
  domain::Date execution_date = domain::Date::FromDaysSinceEpoch(0);
  SepaAccount trust_account;  // the agency's trust account (money is paid from here)
  bool batch_booking = true;  // one booking on the trust account statement
  std::vector<CreditTransfer> transfers;
};

// --- pain.008.001.08 ---------------------------------------------------------------------------

enum class SequenceType { kFirst, kRecurring, kOneOff, kFinal };  // FRST RCUR OOFF FNAL
enum class DirectDebitScheme { kCore, kB2b };                     // CORE / B2B

struct DirectDebit {
  std::string end_to_end_id;
  domain::Money amount = domain::Money::Zero(domain::Currency::Eur());
  std::string mandate_id;  // 1..35, SEPA characters
  domain::Date mandate_signed_on = domain::Date::FromDaysSinceEpoch(0);
  SepaAccount customer;         // who pays
  std::string remittance_text;  // <= 140 characters
};

struct DirectDebitBatch {
  std::string message_id;
  domain::Timestamp created_at = domain::Timestamp::FromUnixMicros(0);
  std::string initiating_party;
  std::string payment_info_id;
  DirectDebitScheme scheme = DirectDebitScheme::kCore;
  SequenceType sequence_type = SequenceType::kRecurring;
  domain::Date collection_date = domain::Date::FromDaysSinceEpoch(0);
  SepaAccount creditor_account;  // the account the money is collected to
  std::string creditor_id;  // SEPA creditor identifier (Gläubiger-ID), e.g. DE98ZZZ09999999999
  // Unset: no BtchBookg element (the bank's default, usually one booking per block). false asks
  // for one booking per debit, so each credit comes back with its end-to-end id.
  std::optional<bool> batch_booking;
  std::vector<DirectDebit> debits;
};

// One pain.008 message with several payment-information blocks: FRST and RCUR debits, and debits
// for different collection dates, must be in separate blocks (one SeqTp and ReqdColltnDt per
// PmtInf). The blocks' own message_id, created_at and initiating_party are not used; their
// payment_info_id must differ.
struct DirectDebitFile {
  std::string message_id;
  domain::Timestamp created_at = domain::Timestamp::FromUnixMicros(0);
  std::string initiating_party;
  std::vector<DirectDebitBatch> blocks;
};

// The XML document (UTF-8). Errors name the field and the transaction index.
Result<std::string> BuildPain001(const CreditTransferBatch& batch);
Result<std::string> BuildPain008(const DirectDebitBatch& batch);
Result<std::string> BuildPain008File(const DirectDebitFile& file);

}  // namespace quitt::adapters::banking
