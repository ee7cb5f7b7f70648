#pragma once
// Delivery of one message, as recorded in the case history. Each state change is one case
// event (type "message_<state>"), so the history shows queued → sent → delivered/bounced →
// opened. The message id is derived from case, step, channel and attempt, never random: a run
// that crashes after sending and is repeated finds the id already "sent" and does not send twice.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "app/letters/letter_model.h"

namespace quitt::app::letters {

enum class DeliveryState { kQueued, kSent, kDelivered, kBounced, kOpened, kFailed };
const char* DeliveryStateName(DeliveryState state);  // "queued", "sent", ... "failed"
std::optional<DeliveryState> ParseDeliveryState(std::string_view name);

// "Q-00012345-6.reminder_1.email.1" — stable across re-runs; used as Message-ID local part,
// SMS client reference and PDF file name stem.
std::string MessageKey(const LetterModel& model, Channel channel, int attempt);

// Seconds to wait before retry `attempt` (1-based) after a temporary failure: 5 min, doubling,
// capped at 6 h. Permanent failures (bounce, 5xx) do not retry on the same channel; the next
// attempt picks another channel (ChooseChannel with the bounced channel excluded).
std::int64_t RetryDelaySeconds(int attempt);
inline constexpr int kMaxAttemptsPerChannel = 5;

}  // namespace quitt::app::letters
