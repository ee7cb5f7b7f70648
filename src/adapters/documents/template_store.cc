#include "adapters/documents/template_store.h"

#include <algorithm>
#include <fstream>
#include <kainjow/mustache.hpp>
#include <sstream>

#include "common/sha256.h"

namespace quitt::adapters::documents {
namespace {

using app::letters::Channel;
using app::letters::FieldSpec;
using app::letters::TemplateNode;
using Kind = TemplateNode::Kind;
namespace mustache = kainjow::mustache;

std::string_view TrimView(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

const char* KindName(Kind kind) {
  switch (kind) {
    case Kind::kText: return "text";
    case Kind::kFlag: return "flag";
    case Kind::kList: return "list";
    case Kind::kObject: return "object";
  }
  return "?";
}

struct Scope {
  std::string name;       // section name that opened it ("" for the root)
  const FieldSpec* spec;  // nullptr: a flag or inverted section, which adds no names
};

// Resolves a dotted name the way Mustache does: the first segment from the innermost scope
// outward, the rest inside the object found.
const FieldSpec* Resolve(const std::vector<Scope>& scopes, std::string_view name) {
  const size_t dot = name.find('.');
  const std::string_view head = name.substr(0, dot);
  const FieldSpec* found = nullptr;
  for (auto it = scopes.rbegin(); it != scopes.rend() && !found; ++it) {
    if (it->spec) found = it->spec->Find(head);
  }
  if (!found || dot == std::string_view::npos) return found;
  std::string_view rest = name.substr(dot + 1);
  while (found) {
    const size_t next = rest.find('.');
    const FieldSpec* child =
        found->kind == Kind::kObject ? found->Find(rest.substr(0, next)) : nullptr;
    found = child;
    if (next == std::string_view::npos) break;
    rest = rest.substr(next + 1);
  }
  return found;
}

mustache::data ToData(const TemplateNode& node) {
  switch (node.kind) {
    case Kind::kText: return mustache::data(node.text);
    case Kind::kFlag: return mustache::data(node.flag);
    case Kind::kList: {
      mustache::data list(mustache::data::type::list);
      for (const TemplateNode& item : node.items) list.push_back(ToData(item));
      return list;
    }
    case Kind::kObject: {
      mustache::data object(mustache::data::type::object);
      for (const auto& [name, value] : node.fields) object.set(name, ToData(value));
      return object;
    }
  }
  return mustache::data();
}

enum class Escape { kNone, kMarkup };

Escape EscapeFor(Channel channel, const std::string& part) {
  if (part == "html") return Escape::kMarkup;
  if (channel == Channel::kLetter && part != "subject") return Escape::kMarkup;
  return Escape::kNone;
}

// Splits "--- name ---" sections; returns part → (text, first line number).
Status SplitParts(std::string_view text, const std::string& origin,
                  std::map<std::string, std::pair<std::string, int>>& parts) {
  std::string current;
  int line_number = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(pos, end - pos);
    ++line_number;
    const std::string_view trimmed = TrimView(line);
    if (trimmed.size() > 8 && trimmed.substr(0, 4) == "--- " &&
        trimmed.substr(trimmed.size() - 4) == " ---") {
      current = std::string(TrimView(trimmed.substr(4, trimmed.size() - 8)));
      if (parts.count(current)) {
        return InvalidArgument(origin + ":" + std::to_string(line_number) + ": part '" + current +
                               "' appears twice");
      }
      parts[current] = {"", line_number + 1};
    } else if (current.empty()) {
      if (!trimmed.empty()) {
        return InvalidArgument(origin + ":" + std::to_string(line_number) +
                               ": text before the first '--- part ---' line");
      }
    } else {
      std::string& body = parts[current].first;
      body.append(line);
      if (end < text.size()) body.push_back('\n');
    }
    if (end == text.size()) break;
    pos = end + 1;
  }
  // A part's last newline separates it from the next marker; it is not content.
  for (auto& [name, part] : parts) {
    while (!part.first.empty() && (part.first.back() == '\n' || part.first.back() == '\r')) {
      part.first.pop_back();
    }
  }
  return OkStatus();
}

}  // namespace

const std::string& RenderedMessage::Part(const std::string& name) const {
  static const std::string* const kEmpty = new std::string();
  auto it = parts.find(name);
  return it == parts.end() ? *kEmpty : it->second;
}

std::string EscapeMarkup(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

Status ValidateTemplate(std::string_view text, const FieldSpec& schema, const std::string& origin,
                        int first_line) {
  std::vector<Scope> scopes = {{"", &schema}};
  size_t pos = 0;
  auto where = [&](size_t at) {
    const int line =
        first_line + static_cast<int>(std::count(text.begin(), text.begin() + at, '\n'));
    return origin + ":" + std::to_string(line) + ": ";
  };
  while ((pos = text.find("{{", pos)) != std::string_view::npos) {
    const bool triple = text.substr(pos, 3) == "{{{";
    const std::string_view close = triple ? "}}}" : "}}";
    const size_t open_len = triple ? 3 : 2;
    const size_t end = text.find(close, pos + open_len);
    if (end == std::string_view::npos) return InvalidArgument(where(pos) + "unclosed tag");
    std::string_view tag = TrimView(text.substr(pos + open_len, end - pos - open_len));
    const size_t tag_at = pos;
    pos = end + close.size();
    char sigil = triple ? '&' : (tag.empty() ? ' ' : tag.front());
    if (!triple && (sigil == '#' || sigil == '^' || sigil == '/' || sigil == '!' || sigil == '>' ||
                    sigil == '&' || sigil == '=')) {
      tag = TrimView(tag.substr(1));
    } else if (!triple) {
      sigil = ' ';
    }
    if (sigil == '!') continue;
    if (sigil == '>' || sigil == '=') {
      return InvalidArgument(where(tag_at) + "partials and delimiter changes are not supported");
    }
    const std::string name(tag);
    if (name.empty()) return InvalidArgument(where(tag_at) + "empty tag");
    if (sigil == '/') {
      if (scopes.size() == 1 || scopes.back().name != name) {
        return InvalidArgument(where(tag_at) + "closing '" + name + "' does not match '" +
                               scopes.back().name + "'");
      }
      scopes.pop_back();
      continue;
    }
    if (name == ".") {
      return InvalidArgument(where(tag_at) + "'{{.}}' is not supported; name the field");
    }
    const FieldSpec* spec = Resolve(scopes, name);
    if (!spec) {
      return InvalidArgument(where(tag_at) + "unknown field '" + name +
                             "' (not in the letter model)");
    }
    if (sigil == ' ' || sigil == '&') {
      if (spec->kind != Kind::kText) {
        return InvalidArgument(where(tag_at) + "field '" + name + "' is a " + KindName(spec->kind) +
                               ", not text");
      }
      continue;
    }
    // Sections: lists and objects open a scope; flags only test. A text field as a section
    // would be "true" even when empty, so the has_... flags are the way to test presence.
    if (spec->kind == Kind::kText) {
      return InvalidArgument(where(tag_at) + "field '" + name +
                             "' is text; test presence with a has_... flag");
    }
    if (sigil == '#' && (spec->kind == Kind::kList || spec->kind == Kind::kObject)) {
      scopes.push_back({name, spec});
    } else {
      scopes.push_back({name, nullptr});
    }
  }
  if (scopes.size() > 1) {
    return InvalidArgument(origin + ": section '" + scopes.back().name + "' is never closed");
  }
  return OkStatus();
}

const std::vector<std::string>& RequiredParts(Channel channel) {
  static const auto* const kLetter =
      new std::vector<std::string>{"subject", "info", "body", "footer", "page"};
  static const auto* const kEmail = new std::vector<std::string>{"subject", "text", "html"};
  static const auto* const kSms = new std::vector<std::string>{"text"};
  switch (channel) {
    case Channel::kLetter: return *kLetter;
    case Channel::kEmail: return *kEmail;
    case Channel::kSms: return *kSms;
  }
  return *kSms;
}

std::string TemplateSet::Key(std::string_view language, std::string_view template_name,
                             Channel channel) {
  auto split = app::letters::SplitTemplateName(template_name);
  if (!split.ok()) return "";
  return split->first + "/" + std::string(language) + "/" + split->second + "." +
         app::letters::ChannelName(channel);
}

Status TemplateSet::Add(std::string_view language, std::string_view template_name, Channel channel,
                        std::string_view text, const std::string& origin) {
  if (auto split = app::letters::SplitTemplateName(template_name); !split.ok()) {
    return split.error().WithContext(origin);
  }
  const bool language_ok = language.size() == 2 && language[0] >= 'a' && language[0] <= 'z' &&
                           language[1] >= 'a' && language[1] <= 'z';
  if (!language_ok) {
    return InvalidArgument(origin + ": language '" + std::string(language) +
                           "' is not an ISO 639-1 code (two lowercase letters)");
  }
  std::map<std::string, std::pair<std::string, int>> parts;
  QUITT_RETURN_IF_ERROR(SplitParts(text, origin, parts));
  const std::vector<std::string>& required = RequiredParts(channel);
  for (const std::string& name : required) {
    if (!parts.count(name)) {
      return InvalidArgument(origin + ": missing part '--- " + name + " ---'");
    }
  }
  Entry entry;
  entry.id = Key(language, template_name, channel);
  entry.sha256 = ToHex(Sha256Of(text));
  for (const auto& [name, part] : parts) {
    if (std::find(required.begin(), required.end(), name) == required.end()) {
      return InvalidArgument(origin + ":" + std::to_string(part.second - 1) + ": unknown part '" +
                             name + "' for channel " + app::letters::ChannelName(channel));
    }
    QUITT_RETURN_IF_ERROR(
        ValidateTemplate(part.first, app::letters::LetterFieldSchema(), origin, part.second));
    mustache::mustache compiled(part.first);
    if (!compiled.is_valid()) {
      return InvalidArgument(origin + ": part '" + name + "': " + compiled.error_message());
    }
    entry.parts[name] = part.first;
  }
  templates_[entry.id] = std::move(entry);
  return OkStatus();
}

Result<TemplateSet> TemplateSet::Load(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return NotFound("template folder '" + dir.string() + "' does not exist");
  }
  TemplateSet set;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".mustache")
      files.push_back(entry.path());
  }
  if (ec) return Unavailable("cannot list '" + dir.string() + "': " + ec.message());
  std::sort(files.begin(), files.end());
  for (const std::filesystem::path& file : files) {
    const std::string origin = file.string();
    // <country>/<language>/<segment...>/<step>.<channel>.mustache
    std::vector<std::string> parts;
    for (const auto& component : std::filesystem::relative(file, dir)) {
      parts.push_back(component.string());
    }
    const std::string stem = file.stem().string();  // final-notice.letter
    const size_t dot = stem.rfind('.');
    const auto channel =
        dot == std::string::npos ? std::nullopt : app::letters::ParseChannel(stem.substr(dot + 1));
    if (parts.size() < 4 || !channel) {
      return InvalidArgument(origin +
                             ": path must be <country>/<language>/<segment>/<step>.<channel>"
                             ".mustache (channel letter, email or sms), e.g. "
                             "de/en/b2c/final-notice.letter.mustache");
    }
    std::string template_name = parts[0];
    for (size_t i = 2; i + 1 < parts.size(); ++i) template_name += "/" + parts[i];
    template_name += "/" + stem.substr(0, dot);
    const std::string& language = parts[1];
    std::ifstream in(file, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    if (!in && !in.eof()) return Unavailable(origin + ": cannot read");
    QUITT_RETURN_IF_ERROR(set.Add(language, template_name, *channel, buffer.str(), origin));
  }
  if (set.templates_.empty()) return NotFound("no *.mustache templates in '" + dir.string() + "'");
  return set;
}

bool TemplateSet::Has(std::string_view language, std::string_view template_name,
                      Channel channel) const {
  return templates_.count(Key(language, template_name, channel)) > 0;
}

std::vector<std::string> TemplateSet::Languages() const {
  std::vector<std::string> out;
  for (const auto& [key, entry] : templates_) {
    const size_t first = key.find('/');
    std::string language = key.substr(first + 1, key.find('/', first + 1) - first - 1);
    if (std::find(out.begin(), out.end(), language) == out.end()) out.push_back(language);
  }
  std::sort(out.begin(), out.end());
  return out;
}

Status TemplateSet::CheckCovers(const std::vector<app::letters::TemplateNeed>& needs,
                                const std::vector<std::string>& languages) const {
  std::string missing;
  int count = 0;
  for (const app::letters::TemplateNeed& need : needs) {
    auto split = app::letters::SplitTemplateName(need.template_name);
    if (!split.ok()) {
      missing += "\n  " + need.wanted_by + ": " + split.error().message();
      ++count;
      continue;
    }
    for (const std::string& language : languages) {
      if (Has(language, need.template_name, need.channel)) continue;
      missing += "\n  " + Key(language, need.template_name, need.channel) + ".mustache (" +
                 need.wanted_by + ")";
      ++count;
    }
  }
  if (count == 0) return OkStatus();
  return FailedPrecondition(std::to_string(count) + " template(s) missing:" + missing);
}

Result<RenderedMessage> TemplateSet::Render(const app::letters::LetterModel& model,
                                            Channel channel) const {
  return Render(app::letters::TemplateFields(model), model.language, model.template_name, channel);
}

Result<RenderedMessage> TemplateSet::Render(const TemplateNode& fields, std::string_view language,
                                            std::string_view template_name, Channel channel) const {
  QUITT_RETURN_IF_ERROR(app::letters::SplitTemplateName(template_name).status());
  const std::string key = Key(language, template_name, channel);
  auto it = templates_.find(key);
  if (it == templates_.end()) {
    return NotFound("no template '" + key + ".mustache' (" + std::string(template_name) + " in " +
                    std::string(language) + " as " + app::letters::ChannelName(channel) + ")");
  }
  const mustache::data data = ToData(fields);
  RenderedMessage out;
  out.template_id = it->second.id;
  out.template_sha256 = it->second.sha256;
  for (const auto& [name, text] : it->second.parts) {
    mustache::mustache compiled(text);
    if (EscapeFor(channel, name) == Escape::kNone) {
      compiled.set_custom_escape([](const std::string& s) { return s; });
    } else {
      compiled.set_custom_escape([](const std::string& s) { return EscapeMarkup(s); });
    }
    std::string rendered = compiled.render(data);
    if (!compiled.is_valid()) {
      return Internal(it->second.id + ": part '" + name + "': " + compiled.error_message());
    }
    out.parts[name] = std::move(rendered);
  }
  return out;
}

}  // namespace quitt::adapters::documents
