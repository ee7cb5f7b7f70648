#pragma once
// Which templates a strategy needs before anything is sent: for every letter, e-mail and SMS
// step, a letter and an e-mail wording (letters are the fallback when an e-mail bounces and are
// attached to e-mails; e-mails the fallback for customers without a postal address), and an SMS
// wording for SMS steps. TemplateSet::CheckCovers checks them for every language.
#include <vector>

#include "app/letters/letter_model.h"
#include "workflow/strategy.h"

namespace quitt::app::letters {

std::vector<TemplateNeed> TemplatesNeeded(const workflow::Strategy& strategy);

}  // namespace quitt::app::letters
