#include "workflow/strategy.h"

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <utility>

#include "common/text.h"

namespace quitt::workflow {

namespace {

constexpr std::array<const char*, kActionKindCount> kActionNames = {
    "letter",    "email",    "sms", "call", "field_visit", "court_dunning", "insurer_notification",
    "hand_back", "write_off"};

int LineOf(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

// The line of `key` in `table`, or `fallback` when the key is absent.
int KeyLine(const toml::table& table, std::string_view key, int fallback) {
  const toml::node* node = table.get(key);
  return node == nullptr ? fallback : LineOf(*node);
}

std::string Quote(std::string_view text) { return "'" + std::string(text) + "'"; }

}  // namespace

const char* ActionKindName(ActionKind kind) { return kActionNames[static_cast<int>(kind)]; }

std::optional<ActionKind> ParseActionKind(std::string_view text) {
  for (int i = 0; i < kActionKindCount; ++i) {
    if (text == kActionNames[i]) return static_cast<ActionKind>(i);
  }
  return std::nullopt;
}

bool IsFinalAction(ActionKind kind) {
  return kind == ActionKind::kHandBack || kind == ActionKind::kWriteOff;
}

const char* ChannelName(Channel channel) {
  switch (channel) {
    case kChannelPost: return "post";
    case kChannelEmail: return "email";
    case kChannelMobile: return "mobile";
    case kChannelPhone: return "phone";
  }
  return "?";
}

std::optional<Channel> ParseChannel(std::string_view text) {
  if (text == "post") return kChannelPost;
  if (text == "email") return kChannelEmail;
  if (text == "mobile") return kChannelMobile;
  if (text == "phone") return kChannelPhone;
  return std::nullopt;
}

ChannelSet DefaultChannelsFor(ActionKind kind) {
  switch (kind) {
    case ActionKind::kLetter:
    case ActionKind::kFieldVisit: return kChannelPost;
    case ActionKind::kEmail: return kChannelEmail;
    case ActionKind::kSms: return kChannelMobile;
    case ActionKind::kPhoneCall: return kChannelPhone;
    case ActionKind::kCourtDunning:
    case ActionKind::kInsurerNotification:
    case ActionKind::kHandBack:
    case ActionKind::kWriteOff: return 0;
  }
  return 0;
}

CountryCode PackCountry(std::string_view two_letters) {
  if (two_letters.size() != 2) return 0;
  for (char c : two_letters) {
    if (c < 'A' || c > 'Z') return 0;
  }
  return static_cast<CountryCode>((static_cast<unsigned>(two_letters[0]) << 8) |
                                  static_cast<unsigned>(two_letters[1]));
}

std::string UnpackCountry(CountryCode code) {
  if (code == 0) return "";
  return std::string{static_cast<char>(code >> 8), static_cast<char>(code & 0xff)};
}

std::uint64_t StableHash64(std::string_view bytes, std::uint64_t seed) {
  std::uint64_t h = 0xcbf29ce484222325ULL ^ seed;  // FNV-1a offset basis
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;  // FNV prime
  }
  // FNV-1a alone mixes the last bytes poorly; the splitmix64 finaliser spreads them over all bits.
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}

int Strategy::FindVariant(std::string_view name) const {
  for (std::size_t i = 0; i < variants_.size(); ++i) {
    if (variants_[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

int Strategy::FindStep(int variant, std::string_view id) const {
  if (variant < 0 || variant >= static_cast<int>(variants_.size())) return -1;
  const auto& steps = variants_[variant].steps;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (steps[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

int Strategy::AssignVariant(std::int64_t case_id) const {
  if (variants_.size() <= 1) return 0;
  // The id's bytes in little-endian order, whatever the machine, so every machine agrees.
  char bytes[8];
  auto value = static_cast<std::uint64_t>(case_id);
  for (char& b : bytes) {
    b = static_cast<char>(value & 0xff);
    value >>= 8;
  }
  const std::uint64_t bucket = StableHash64(std::string_view(bytes, 8), hash_salt_) % 100;
  std::uint64_t upper = 0;
  for (std::size_t i = 0; i < variants_.size(); ++i) {
    upper += static_cast<std::uint64_t>(variants_[i].share_percent);
    if (bucket < upper) return static_cast<int>(i);
  }
  return static_cast<int>(variants_.size()) - 1;  // unreachable: shares sum to 100 (checked)
}

std::string ConfigProblem::ToString() const {
  if (line > 0) return source + ":" + std::to_string(line) + ": " + reason;
  return source + ": " + reason;
}

// Turns a parsed TOML document into a Strategy, collecting every problem on the way instead of
// stopping at the first, so an author fixes a file in one round.
class StrategyParser {
 public:
  StrategyParser(std::string_view source, std::vector<ConfigProblem>* problems)
      : source_(source), problems_(problems) {}

  Strategy Parse(const toml::table& root) {
    Strategy s;
    s.source_ = source_;
    CheckKeys(root, {"strategy", "promises", "plans", "step", "variant"}, "");
    ParseHeader(root, &s);
    ParseLimits(root, &s);
    ParseVariants(root, &s);
    ResolveReferences(&s);
    CheckPreCourtPhase(s);
    s.hash_salt_ = StableHash64(s.id_, 0);
    return s;
  }

 private:
  void Problem(int line, std::string reason) {
    problems_->push_back(ConfigProblem{source_, line, std::move(reason)});
  }

  void CheckKeys(const toml::table& table, std::initializer_list<std::string_view> allowed,
                 std::string_view where) {
    for (auto&& [key, node] : table) {
      if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end()) continue;
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      Problem(LineOf(node), "unknown key " + Quote(key.str()) +
                                (where.empty() ? "" : " in " + std::string(where)) +
                                " (allowed: " + list + ")");
    }
  }

  const toml::table* Table(const toml::table& parent, std::string_view key, int parent_line,
                           bool required) {
    const toml::node* node = parent.get(key);
    if (node == nullptr) {
      if (required) Problem(parent_line, "missing table [" + std::string(key) + "]");
      return nullptr;
    }
    if (!node->is_table()) {
      Problem(LineOf(*node), Quote(key) + " must be a table");
      return nullptr;
    }
    return node->as_table();
  }

  std::optional<std::string> String(const toml::table& t, std::string_view key, int line,
                                    bool required, std::string_view where) {
    const toml::node* node = t.get(key);
    if (node == nullptr) {
      if (required) Problem(line, std::string(where) + ": missing " + Quote(key));
      return std::nullopt;
    }
    if (!node->is_string()) {
      Problem(LineOf(*node), std::string(where) + ": " + Quote(key) + " must be a string");
      return std::nullopt;
    }
    return node->as_string()->get();
  }

  std::optional<std::int64_t> Integer(const toml::table& t, std::string_view key, int line,
                                      bool required, std::string_view where, std::int64_t min,
                                      std::int64_t max) {
    const toml::node* node = t.get(key);
    if (node == nullptr) {
      if (required) Problem(line, std::string(where) + ": missing " + Quote(key));
      return std::nullopt;
    }
    if (!node->is_integer()) {
      Problem(LineOf(*node), std::string(where) + ": " + Quote(key) + " must be a whole number");
      return std::nullopt;
    }
    const std::int64_t value = node->as_integer()->get();
    if (value < min || value > max) {
      Problem(LineOf(*node), std::string(where) + ": " + Quote(key) + " = " +
                                 std::to_string(value) + " is outside " + std::to_string(min) +
                                 ".." + std::to_string(max));
      return std::nullopt;
    }
    return value;
  }

  // Amounts are written as decimal strings ("25.00"): TOML floats would bring binary fractions
  // near money.
  std::optional<domain::Money> Amount(const toml::table& t, std::string_view key,
                                      domain::Currency currency, std::string_view where) {
    const toml::node* node = t.get(key);
    if (node == nullptr) return std::nullopt;
    if (!node->is_string()) {
      Problem(LineOf(*node), std::string(where) + ": " + Quote(key) +
                                 " must be an amount written as a string, e.g. \"25.00\"");
      return std::nullopt;
    }
    auto money = domain::Money::Parse(node->as_string()->get(), currency);
    if (!money.ok()) {
      Problem(LineOf(*node),
              std::string(where) + ": " + Quote(key) + ": " + money.error().message());
      return std::nullopt;
    }
    if (money->is_negative()) {
      Problem(LineOf(*node), std::string(where) + ": " + Quote(key) + " must not be negative");
      return std::nullopt;
    }
    return *money;
  }

  void ParseHeader(const toml::table& root, Strategy* s) {
    const toml::table* header = Table(root, "strategy", 1, /*required=*/true);
    if (header == nullptr) return;
    const int line = LineOf(*header);
    CheckKeys(*header, {"id", "version", "name", "currency", "pre_court_max_days"}, "[strategy]");
    if (auto id = String(*header, "id", line, true, "[strategy]")) {
      if (id->empty() ||
          id->find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_") != std::string::npos) {
        Problem(KeyLine(*header, "id", line),
                "[strategy]: id " + Quote(*id) + " must be lower-case letters, digits, '-' or '_'");
      }
      s->id_ = *id;
    }
    if (auto version = Integer(*header, "version", line, true, "[strategy]", 1, 1'000'000)) {
      s->version_ = static_cast<std::int32_t>(*version);
    }
    if (auto name = String(*header, "name", line, false, "[strategy]")) s->name_ = *name;
    if (auto code = String(*header, "currency", line, false, "[strategy]")) {
      auto currency = domain::Currency::FromCode(*code);
      if (currency.ok()) {
        s->currency_ = *currency;
      } else {
        Problem(KeyLine(*header, "currency", line),
                "[strategy]: currency: " + currency.error().message());
      }
    }
    s->limits_.plan_min_instalment = domain::Money::Zero(s->currency_);
    if (auto days = Integer(*header, "pre_court_max_days", line, false, "[strategy]", 0, 3650)) {
      s->pre_court_max_days_ = static_cast<std::int32_t>(*days);
    }
  }

  void ParseLimits(const toml::table& root, Strategy* s) {
    ArrangementLimits& limits = s->limits_;
    if (const toml::table* p = Table(root, "promises", 1, false)) {
      const int line = LineOf(*p);
      CheckKeys(*p, {"grace_days", "resume_at"}, "[promises]");
      if (auto v = Integer(*p, "grace_days", line, false, "[promises]", 0, 365)) {
        limits.promise_grace_days = static_cast<std::int32_t>(*v);
      }
      if (auto v = String(*p, "resume_at", line, false, "[promises]")) {
        limits.promise_resume_at = *v;
        promise_resume_line_ = KeyLine(*p, "resume_at", line);
      }
    }
    if (const toml::table* p = Table(root, "plans", 1, false)) {
      const int line = LineOf(*p);
      CheckKeys(*p, {"grace_days", "resume_at", "max_months", "min_instalment", "max_instalments"},
                "[plans]");
      if (auto v = Integer(*p, "grace_days", line, false, "[plans]", 0, 365)) {
        limits.plan_grace_days = static_cast<std::int32_t>(*v);
      }
      if (auto v = String(*p, "resume_at", line, false, "[plans]")) {
        limits.plan_resume_at = *v;
        plan_resume_line_ = KeyLine(*p, "resume_at", line);
      }
      if (auto v = Integer(*p, "max_months", line, false, "[plans]", 1, 120)) {
        limits.plan_max_months = static_cast<std::int32_t>(*v);
      }
      if (auto v = Integer(*p, "max_instalments", line, false, "[plans]", 1, 520)) {
        limits.plan_max_instalments = static_cast<std::int32_t>(*v);
      }
      if (auto v = Amount(*p, "min_instalment", s->currency_, "[plans]")) {
        limits.plan_min_instalment = *v;
      }
    }
  }

  void ParseVariants(const toml::table& root, Strategy* s) {
    const toml::node* steps = root.get("step");
    const toml::node* variants = root.get("variant");
    if (steps != nullptr && variants != nullptr) {
      Problem(LineOf(*variants),
              "use either top-level [[step]] tables or [[variant]] tables with [[variant.step]], "
              "not both");
      return;
    }
    if (steps == nullptr && variants == nullptr) {
      Problem(1, "no steps: add [[step]] tables (or [[variant]] tables with [[variant.step]])");
      return;
    }
    if (steps != nullptr) {
      Variant v;
      v.name = "default";
      v.share_percent = 100;
      v.steps = ParseSteps(*steps, s->currency_, "");
      s->variants_.push_back(std::move(v));
      variant_lines_.push_back(LineOf(*steps));
      return;
    }
    const toml::array* list = variants->as_array();
    if (list == nullptr || !list->is_array_of_tables()) {
      Problem(LineOf(*variants), "'variant' must be written as [[variant]] tables");
      return;
    }
    std::int64_t share_sum = 0;
    std::set<std::string> names;
    for (const toml::node& node : *list) {
      const toml::table& t = *node.as_table();
      const int line = LineOf(t);
      CheckKeys(t, {"name", "share", "step"}, "[[variant]]");
      Variant v;
      if (auto name = String(t, "name", line, true, "[[variant]]")) {
        v.name = *name;
        if (!names.insert(*name).second) {
          Problem(line, "variant " + Quote(*name) + " is defined twice");
        }
      }
      const std::string where = "variant " + Quote(v.name);
      if (auto share = Integer(t, "share", line, true, where, 0, 100)) {
        v.share_percent = static_cast<std::int32_t>(*share);
        share_sum += *share;
      }
      if (const toml::node* vs = t.get("step")) {
        v.steps = ParseSteps(*vs, s->currency_, where + ": ");
      } else {
        Problem(line, where + " has no [[variant.step]] tables");
      }
      s->variants_.push_back(std::move(v));
      variant_lines_.push_back(line);
    }
    if (share_sum != 100) {
      Problem(LineOf(*variants), "variant shares add up to " + std::to_string(share_sum) +
                                     " %, they must add up to 100 %");
    }
  }

  std::vector<Step> ParseSteps(const toml::node& node, domain::Currency currency,
                               const std::string& prefix) {
    std::vector<Step> steps;
    const toml::array* list = node.as_array();
    if (list == nullptr || !list->is_array_of_tables()) {
      Problem(LineOf(node), prefix + "steps must be written as [[step]] tables");
      return steps;
    }
    std::set<std::string> ids;
    for (const toml::node& entry : *list) {
      const toml::table& t = *entry.as_table();
      Step step;
      step.line = LineOf(t);
      CheckKeys(t, {"id", "action", "template", "wait_days", "when", "on_no_result"},
                prefix + "[[step]]");
      if (auto id = String(t, "id", step.line, true, prefix + "step")) {
        step.id = *id;
        if (!ids.insert(*id).second) {
          Problem(step.line, prefix + "step id " + Quote(*id) + " is used twice");
        }
      }
      const std::string where = prefix + "step " + Quote(step.id);
      bool action_ok = false;
      if (auto action = String(t, "action", step.line, true, where)) {
        if (auto kind = ParseActionKind(*action)) {
          step.action = *kind;
          action_ok = true;
        } else {
          std::string list_text;
          for (auto name : kActionNames)
            list_text += (list_text.empty() ? "" : ", ") + std::string(name);
          Problem(LineOf(*t.get("action")),
                  where + ": unknown action " + Quote(*action) + " (known: " + list_text + ")");
        }
      }
      const bool needs_template =
          action_ok && (step.action == ActionKind::kLetter || step.action == ActionKind::kEmail ||
                        step.action == ActionKind::kSms);
      if (auto tmpl = String(t, "template", step.line, needs_template, where)) {
        step.template_name = *tmpl;
        if (tmpl->empty()) {
          Problem(KeyLine(t, "template", step.line), where + ": 'template' must not be empty");
        }
      }
      if (auto wait = Integer(t, "wait_days", step.line, true, where, 0, 3650)) {
        step.wait_days = static_cast<std::int32_t>(*wait);
      }
      if (action_ok) step.when.requires_channels = DefaultChannelsFor(step.action);
      if (const toml::node* when = t.get("when")) {
        if (const toml::table* wt = when->as_table()) {
          ParseConditions(*wt, currency, where, &step.when);
        } else {
          Problem(LineOf(*when), where + ": 'when' must be a table");
        }
      }
      if (auto rule = String(t, "on_no_result", step.line, false, where)) {
        if (*rule == "next") {
          step.on_no_result = NoResult::kNext;
        } else if (*rule == "stop") {
          step.on_no_result = NoResult::kStop;
        } else if (StartsWith(*rule, "goto:") && rule->size() > 5) {
          step.on_no_result = NoResult::kGoto;
          gotos_.push_back(PendingGoto{static_cast<int>(variant_lines_.size()),
                                       static_cast<int>(steps.size()), rule->substr(5),
                                       LineOf(*t.get("on_no_result"))});
        } else {
          Problem(LineOf(*t.get("on_no_result")),
                  where + ": on_no_result must be \"next\", \"stop\" or \"goto:<step id>\", not " +
                      Quote(*rule));
        }
      }
      steps.push_back(std::move(step));
    }
    return steps;
  }

  void ParseConditions(const toml::table& t, domain::Currency currency, const std::string& where,
                       StepConditions* when) {
    const std::string w = where + " when";
    CheckKeys(t,
              {"customer_kind", "countries", "min_balance", "max_balance", "min_days_overdue",
               "max_days_overdue", "customer", "requires"},
              where + " [when]");
    const int line = LineOf(t);
    if (auto kind = String(t, "customer_kind", line, false, w)) {
      if (*kind == "consumer") {
        when->customer_kind = domain::CustomerKind::kConsumer;
      } else if (*kind == "business") {
        when->customer_kind = domain::CustomerKind::kBusiness;
      } else {
        Problem(KeyLine(t, "customer_kind", line),
                w + ": customer_kind must be \"consumer\" or \"business\", not " + Quote(*kind));
      }
    }
    if (const toml::node* countries = t.get("countries")) {
      const toml::array* list = countries->as_array();
      if (list == nullptr) {
        Problem(LineOf(*countries), w + ": countries must be a list like [\"DE\", \"AT\"]");
      } else {
        for (const toml::node& c : *list) {
          const CountryCode code = c.is_string() ? PackCountry(c.as_string()->get()) : 0;
          if (code == 0) {
            Problem(LineOf(c), w + ": countries: each entry must be a two-letter ISO 3166 code "
                                   "in capitals, like \"DE\"");
          } else {
            when->countries.push_back(code);
          }
        }
      }
    }
    if (auto min = Amount(t, "min_balance", currency, w)) {
      when->min_balance_minor = min->minor_units();
    }
    if (auto max = Amount(t, "max_balance", currency, w)) {
      when->max_balance_minor = max->minor_units();
    }
    if (when->min_balance_minor && when->max_balance_minor &&
        *when->min_balance_minor > *when->max_balance_minor) {
      Problem(KeyLine(t, "max_balance", line),
              w + ": min_balance is above max_balance, so the step never applies");
    }
    if (auto v = Integer(t, "min_days_overdue", line, false, w, 0, 36500)) {
      when->min_days_overdue = static_cast<std::int32_t>(*v);
    }
    if (auto v = Integer(t, "max_days_overdue", line, false, w, 0, 36500)) {
      when->max_days_overdue = static_cast<std::int32_t>(*v);
    }
    if (when->min_days_overdue && when->max_days_overdue &&
        *when->min_days_overdue > *when->max_days_overdue) {
      Problem(KeyLine(t, "max_days_overdue", line),
              w + ": min_days_overdue is above max_days_overdue, so the step never applies");
    }
    if (auto history = String(t, "customer", line, false, w)) {
      if (*history == "first_case") {
        when->history = CustomerHistory::kFirstCase;
      } else if (*history == "repeat") {
        when->history = CustomerHistory::kRepeat;
      } else if (*history == "any") {
        when->history = CustomerHistory::kAny;
      } else {
        Problem(
            KeyLine(t, "customer", line),
            w + ": customer must be \"first_case\", \"repeat\" or \"any\", not " + Quote(*history));
      }
    }
    if (const toml::node* req = t.get("requires")) {
      const toml::array* list = req->as_array();
      if (list == nullptr) {
        Problem(LineOf(*req), w + ": requires must be a list like [\"email\"]");
      } else {
        ChannelSet set = 0;
        for (const toml::node& c : *list) {
          std::optional<Channel> channel;
          if (c.is_string()) channel = ParseChannel(c.as_string()->get());
          if (!channel) {
            Problem(LineOf(c), w + ": requires: each entry must be \"post\", \"email\", "
                                   "\"mobile\" or \"phone\"");
          } else {
            set = static_cast<ChannelSet>(set | *channel);
          }
        }
        // Stated channels replace the action's default, so a letter may also go to e-mail-only
        // cases when the author says so.
        when->requires_channels = set;
      }
    }
  }

  void ResolveReferences(Strategy* s) {
    for (const PendingGoto& g : gotos_) {
      if (g.variant >= static_cast<int>(s->variants_.size())) continue;
      Variant& v = s->variants_[g.variant];
      const int target = s->FindStep(g.variant, g.target);
      if (target < 0) {
        Problem(g.line, "step " + Quote(v.steps[g.step].id) + ": on_no_result goes to step " +
                            Quote(g.target) + ", which does not exist in variant " + Quote(v.name));
        continue;
      }
      v.steps[g.step].goto_index = target;
      // A jump back repeats steps; every step it repeats must wait at least one day, otherwise a
      // catch-up run would take the loop forever on the same date.
      if (target <= g.step) {
        for (int i = target; i <= g.step; ++i) {
          if (v.steps[i].wait_days < 1) {
            Problem(g.line, "step " + Quote(v.steps[g.step].id) + " goes back to " +
                                Quote(g.target) + ", but step " + Quote(v.steps[i].id) +
                                " in that loop waits 0 days: a loop needs wait_days >= 1 on "
                                "every step it repeats");
            break;
          }
        }
      }
    }
    for (std::size_t vi = 0; vi < s->variants_.size(); ++vi) {
      Variant& v = s->variants_[vi];
      if (v.steps.empty()) continue;
      v.promise_resume_index = ResolveResume(*s, static_cast<int>(vi), s->limits_.promise_resume_at,
                                             "[promises]", promise_resume_line_);
      v.plan_resume_index = ResolveResume(*s, static_cast<int>(vi), s->limits_.plan_resume_at,
                                          "[plans]", plan_resume_line_);
    }
  }

  std::int32_t ResolveResume(const Strategy& s, int variant, const std::string& id,
                             std::string_view where, int line) {
    if (id.empty()) return -1;  // -1: resume at the step after the current one
    const int index = s.FindStep(variant, id);
    if (index < 0) {
      Problem(line, std::string(where) + ": resume_at " + Quote(id) + " is not a step of variant " +
                        Quote(s.variants_[variant].name));
    }
    return index;
  }

  static bool Compatible(const StepConditions& when, domain::CustomerKind kind, bool repeat) {
    if (when.customer_kind && *when.customer_kind != kind) return false;
    if (when.history == CustomerHistory::kFirstCase && repeat) return false;
    if (when.history == CustomerHistory::kRepeat && !repeat) return false;
    return true;
  }

  // Upper bound of the days from hand-over to the end of the pre-court phase for each kind of
  // customer: every step that could apply is assumed to be taken. Steps skipped at run time only
  // shorten the path, because a step's wait counts from the previous action actually taken.
  void CheckPreCourtPhase(const Strategy& s) {
    if (s.pre_court_max_days_ == 0) return;
    for (std::size_t vi = 0; vi < s.variants_.size(); ++vi) {
      const Variant& v = s.variants_[vi];
      for (auto kind : {domain::CustomerKind::kConsumer, domain::CustomerKind::kBusiness}) {
        for (bool repeat : {false, true}) {
          std::int64_t days = 0;
          for (std::size_t i = 0; i < v.steps.size(); ++i) {
            const Step& step = v.steps[i];
            if (!Compatible(step.when, kind, repeat)) continue;
            days += step.wait_days;
            if (step.action == ActionKind::kCourtDunning || IsFinalAction(step.action) ||
                step.on_no_result == NoResult::kStop) {
              break;
            }
            if (step.on_no_result == NoResult::kGoto && step.goto_index >= 0 &&
                step.goto_index <= static_cast<int>(i)) {
              Problem(step.line, "step " + Quote(step.id) +
                                     " loops back before the pre-court phase ends, so its "
                                     "length has no bound (pre_court_max_days = " +
                                     std::to_string(s.pre_court_max_days_) + ")");
              break;
            }
          }
          if (days > s.pre_court_max_days_) {
            Problem(variant_lines_[vi],
                    "variant " + Quote(v.name) + ": for " + (repeat ? "repeat " : "first-case ") +
                        domain::CustomerKindName(kind) +
                        " customers the pre-court phase can last " + std::to_string(days) +
                        " days, more than pre_court_max_days = " +
                        std::to_string(s.pre_court_max_days_));
          }
        }
      }
    }
  }

  struct PendingGoto {
    int variant;
    int step;
    std::string target;
    int line;
  };

  std::string source_;
  std::vector<ConfigProblem>* problems_;
  std::vector<PendingGoto> gotos_;
  std::vector<int> variant_lines_;
  int promise_resume_line_ = 0;
  int plan_resume_line_ = 0;
};

namespace {

std::optional<Strategy> ParseInto(std::string_view text, std::string_view source,
                                  std::vector<ConfigProblem>* problems) {
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& error) {
    // The TOML grammar stops at its first error; nothing after it can be trusted.
    problems->push_back(ConfigProblem{std::string(source),
                                      static_cast<int>(error.source().begin.line),
                                      std::string(error.description())});
    return std::nullopt;
  }
  StrategyParser parser(source, problems);
  Strategy strategy = parser.Parse(root);
  if (!problems->empty()) return std::nullopt;
  return strategy;
}

void SortByLine(std::vector<ConfigProblem>* problems) {
  std::stable_sort(problems->begin(), problems->end(),
                   [](const ConfigProblem& a, const ConfigProblem& b) { return a.line < b.line; });
}

}  // namespace

std::vector<ConfigProblem> CheckStrategy(std::string_view text, std::string_view source) {
  std::vector<ConfigProblem> problems;
  (void)ParseInto(text, source, &problems);
  SortByLine(&problems);
  return problems;
}

Result<Strategy> LoadStrategy(std::string_view text, std::string_view source) {
  std::vector<ConfigProblem> problems;
  std::optional<Strategy> strategy = ParseInto(text, source, &problems);
  if (!problems.empty()) {
    SortByLine(&problems);
    std::string message = std::to_string(problems.size()) + " problem" +
                          (problems.size() == 1 ? "" : "s") + " in strategy:";
    for (const ConfigProblem& p : problems) message += "\n" + p.ToString();
    return InvalidArgument(message);
  }
  return std::move(*strategy);
}

}  // namespace quitt::workflow
