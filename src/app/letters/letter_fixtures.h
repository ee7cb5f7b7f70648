#pragma once
// Named sample letters in domain language, for tests, the benchmark and `quitt demo`:
// a consumer's first reminder with interest, costs with VAT, a part payment and a researched
// address, so every § 13a RDG item is exercised.
#include <string>

#include "app/letters/letter_model.h"

namespace quitt::app::letters {

// "de" or "en"; `claim_count` claim lines (each with its interest row) to make longer letters.
LetterModel SampleConsumerFirstReminder(const std::string& language, int claim_count = 1);

}  // namespace quitt::app::letters
