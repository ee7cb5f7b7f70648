#include "app/letters/template_needs.h"

#include <algorithm>

namespace quitt::app::letters {

std::vector<TemplateNeed> TemplatesNeeded(const workflow::Strategy& strategy) {
  std::vector<TemplateNeed> needs;
  const auto add = [&](const std::string& name, Channel channel, const std::string& by) {
    const bool known = std::any_of(needs.begin(), needs.end(), [&](const TemplateNeed& n) {
      return n.template_name == name && n.channel == channel;
    });
    if (!known) needs.push_back({name, channel, by});
  };
  for (const workflow::Variant& variant : strategy.variants()) {
    for (const workflow::Step& step : variant.steps) {
      std::optional<Channel> own;
      switch (step.action) {
        case workflow::ActionKind::kLetter: own = Channel::kLetter; break;
        case workflow::ActionKind::kEmail: own = Channel::kEmail; break;
        case workflow::ActionKind::kSms: own = Channel::kSms; break;
        default: break;
      }
      if (!own) continue;
      const std::string by =
          strategy.source() + ":" + std::to_string(step.line) + " step '" + step.id + "'";
      add(step.template_name, Channel::kLetter, by);
      add(step.template_name, Channel::kEmail, by);
      if (*own == Channel::kSms) add(step.template_name, Channel::kSms, by);
    }
  }
  return needs;
}

}  // namespace quitt::app::letters
