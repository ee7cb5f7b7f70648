#include "app/letters/delivery.h"

#include <algorithm>

namespace quitt::app::letters {

const char* DeliveryStateName(DeliveryState state) {
  switch (state) {
    case DeliveryState::kQueued: return "queued";
    case DeliveryState::kSent: return "sent";
    case DeliveryState::kDelivered: return "delivered";
    case DeliveryState::kBounced: return "bounced";
    case DeliveryState::kOpened: return "opened";
    case DeliveryState::kFailed: return "failed";
  }
  return "?";
}

std::optional<DeliveryState> ParseDeliveryState(std::string_view name) {
  for (DeliveryState state :
       {DeliveryState::kQueued, DeliveryState::kSent, DeliveryState::kDelivered,
        DeliveryState::kBounced, DeliveryState::kOpened, DeliveryState::kFailed}) {
    if (name == DeliveryStateName(state)) return state;
  }
  return std::nullopt;
}

std::string MessageKey(const LetterModel& model, Channel channel, int attempt) {
  return (model.case_number ? model.case_number->ToString() : std::string("no-case")) + "." +
         LetterStepName(model.step) + "." + ChannelName(channel) + "." + std::to_string(attempt);
}

std::int64_t RetryDelaySeconds(int attempt) {
  constexpr std::int64_t kFirst = 5 * 60;
  constexpr std::int64_t kCap = 6 * 60 * 60;
  std::int64_t delay = kFirst;
  for (int i = 1; i < attempt && delay < kCap; ++i) delay *= 2;
  return std::min(delay, kCap);
}

}  // namespace quitt::app::letters
