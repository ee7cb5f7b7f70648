#pragma once
// The letter model of one case: who writes to whom about which claims, the statement of account
// as of the letter date (interest periods, costs with their legal basis, payments, total due),
// the deadline, and how to pay (trust account, RF reference, EPC QR payload, portal link).
// Built from the case's folded history and its ledger statement, never from the outbox row, so a
// letter always shows what the books say on its date.
#include <map>
#include <optional>
#include <string>

#include "app/case_service.h"
#include "app/letters/letter_model.h"
#include "app/payments/remittance.h"
#include "domain/jurisdiction/jurisdiction.h"
#include "domain/ledger/statement.h"

namespace quitt::app::delivery {

struct LetterSettings {
  letters::LetterSender sender;
  payments::PayoutAccount trust_account;  // beneficiary of the transfer and the QR code
  std::string portal_url;                 // "https://portal.example/c": the case number is appended
  // Server secret for the portal PIN and tracking tokens ($QUITT_PORTAL_SECRET, >= 32 chars).
  std::string portal_secret;
  // Base of the tracking links of e-mails and SMS ("https://portal.example/t"); empty = no
  // tracking (links go straight to the portal).
  std::string tracking_url;
  int deadline_days = 14;  // payment deadline after the letter date
  // § 13a(1) Nr. 1 RDG: the client's address, by client code (the client record has none yet).
  std::map<std::string, letters::LetterAddress> client_addresses;
  bool client_cannot_deduct_vat = false;
  bool allow_provisional_base_rate = false;
};

// The letter step a strategy template stands for: names with "first-notice" are the first
// reminder (the § 13a RDG information letter), every later notice the second. nullopt for an
// empty name. The wording itself is chosen by the template name (LetterModel::template_name).
std::optional<letters::LetterStep> StepOfTemplate(const std::string& template_name);

// The model from a statement already built (pure; tested without a store).
Result<letters::LetterModel> LetterModelFromStatement(const CaseView& view,
                                                      const domain::Statement& statement,
                                                      letters::LetterStep step,
                                                      domain::Date letter_date,
                                                      const LetterSettings& settings);

// Builds the statement as of `letter_date` and the model; checks it (CheckLetterModel, and for a
// first letter to a consumer CheckRdg13aModel). Errors name the missing field or § 13a item.
Result<letters::LetterModel> BuildCaseLetter(const domain::Jurisdiction& jurisdiction,
                                             const CaseView& view, letters::LetterStep step,
                                             domain::Date letter_date,
                                             const LetterSettings& settings);

}  // namespace quitt::app::delivery
