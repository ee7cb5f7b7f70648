#pragma once
// TemplateSet: the message templates, loaded from a folder at runtime so wording can change
// without a rebuild. One file per step, channel and language:
//
//   <dir>/<language>/<step>.<channel>.mustache      e.g. templates/de/reminder_1.letter.mustache
//
// A file holds named parts, each introduced by a line "--- <part> ---":
//   letter: subject, info, body, footer, page     e.g. page = "Seite {page} von {pages}"
//   email:  subject, text, html
//   sms:    text
// Parts are Mustache (kainjow). Every tag is checked against LetterFieldSchema() when the set is
// loaded: a misspelt or unknown field, a list used as text, a missing or unknown part is an error
// naming file and line, so a bad template stops the run instead of printing a blank.
// Values are escaped for where they land: HTML in html parts, Pango markup in letter parts
// (so templates may use <b>…</b>), nothing in text, subject and SMS parts.
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "app/letters/letter_model.h"
#include "common/status.h"

namespace quitt::adapters::documents {

struct RenderedMessage {
  std::map<std::string, std::string> parts;
  std::string template_id;      // "de/reminder_1.letter"
  std::string template_sha256;  // hash of the template file, for the case event
  const std::string& Part(const std::string& name) const;  // empty string when absent
};

// Checks one template part against the schema; `origin` prefixes messages ("file.mustache:12").
Status ValidateTemplate(std::string_view text, const app::letters::FieldSpec& schema,
                        const std::string& origin, int first_line = 1);

// The part names each channel requires.
const std::vector<std::string>& RequiredParts(app::letters::Channel channel);

class TemplateSet {
 public:
  // Loads and validates every *.mustache file below `dir`. Fails on the first bad file.
  static Result<TemplateSet> Load(const std::filesystem::path& dir);
  // Parses and validates one file's text (used by Load and by tests).
  Status Add(std::string_view language, app::letters::LetterStep step,
             app::letters::Channel channel, std::string_view text, const std::string& origin);

  bool Has(std::string_view language, app::letters::LetterStep step,
           app::letters::Channel channel) const;
  std::vector<std::string> Languages() const;
  size_t size() const { return templates_.size(); }

  // Renders every part of the template for the model's step and language on `channel`.
  Result<RenderedMessage> Render(const app::letters::LetterModel& model,
                                 app::letters::Channel channel) const;
  Result<RenderedMessage> Render(const app::letters::TemplateNode& fields,
                                 std::string_view language, app::letters::LetterStep step,
                                 app::letters::Channel channel) const;

 private:
  struct Entry {
    std::string id;
    std::string sha256;
    std::map<std::string, std::string> parts;
  };
  static std::string Key(std::string_view language, app::letters::LetterStep step,
                         app::letters::Channel channel);
  std::map<std::string, Entry> templates_;
};

// Escapes &, <, >, ', " for Pango markup and HTML alike.
std::string EscapeMarkup(std::string_view text);

}  // namespace quitt::adapters::documents
