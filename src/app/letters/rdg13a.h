#pragma once
// § 13a(1) RDG: what the first collection letter to a consumer ("Privatperson", § 13a(5)) must
// state, in text form, with the first assertion of the claim. Source: RDG as of 10.8.2021,
// https://dejure.org/gesetze/RDG/13a.html ; summary in
// shared/reference/german-collection-law.md 3.9.
//
// Two pure checks: CheckRdg13aModel asks whether the model carries the data for every item;
// CheckRdg13aText asks whether a rendered letter's text actually states it (the values from the
// model and, for items 6 and 7, the notice phrase the templates must contain, per language).
#include <string>
#include <string_view>
#include <vector>

#include "app/letters/letter_model.h"

namespace quitt::app::letters {

enum class Rdg13aItem {
  kClient = 1,                // Nr. 1: name/firm of the client and its address
  kClaimReason = 2,           // Nr. 2: subject and date of conclusion (tort: kind and date)
  kInterest = 3,              // Nr. 3: principal bearing interest, rate, period
  kAboveStatutoryRate = 4,    // Nr. 4: separate notice and justification of a higher rate
  kCosts = 5,                 // Nr. 5: kind, amount and legal reason of collection costs
  kVat = 6,                   // Nr. 6: client cannot deduct the VAT claimed
  kResearchedAddress = 7,     // Nr. 7: address was researched; how to report errors
  kSupervisoryAuthority = 8,  // Nr. 8: name, address, electronic contact of the authority
};
const char* Rdg13aItemName(Rdg13aItem item);  // "§ 13a(1) Nr. 3 RDG (interest calculation)"

struct Rdg13aFinding {
  Rdg13aItem item;
  std::string detail;  // what is missing, naming the model field or the text snippet
};

// True when § 13a(1) binds this letter: first reminder to a consumer.
bool Rdg13aApplies(const LetterModel& model);

// Data for every applicable item is present in the model. Empty = complete.
std::vector<Rdg13aFinding> CheckRdg13aModel(const LetterModel& model);

// Every applicable item is stated in `text` (a letter's extracted text; whitespace and line
// breaks are normalised before comparing). Empty = complete.
std::vector<Rdg13aFinding> CheckRdg13aText(const LetterModel& model, std::string_view text);

// The notice phrases the templates must contain for items 6 and 7, per language
// ("de", else English).
std::string_view VatNoticePhrase(std::string_view language);
std::string_view ResearchedAddressPhrase(std::string_view language);

}  // namespace quitt::app::letters
