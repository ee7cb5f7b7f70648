#pragma once
// TemplateSet: the message templates, loaded from a folder at runtime so wording can change
// without a rebuild. One file per strategy template name, language and channel:
//
//   <dir>/<country>/<language>/<segment>/<step>.<channel>.mustache
//   e.g. the strategy's "de/b2c/final-notice" in English as a letter:
//        templates/de/en/b2c/final-notice.letter.mustache
//
// The country (first part of the strategy's template name) is the law the wording follows, the
// language the customer's. There is no fallback: a template missing for a language or channel is
// an error (CheckCovers before sending, Render when asked).
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
  std::string template_id;      // "de/en/b2c/final-notice.letter" (path below the folder)
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
  Status Add(std::string_view language, std::string_view template_name,
             app::letters::Channel channel, std::string_view text, const std::string& origin);

  bool Has(std::string_view language, std::string_view template_name,
           app::letters::Channel channel) const;
  // Languages with at least one template, over all countries.
  std::vector<std::string> Languages() const;
  size_t size() const { return templates_.size(); }

  // Every need × language present; FailedPrecondition listing every missing file at once
  // (one per line, with who wants it). Called before anything is sent.
  Status CheckCovers(const std::vector<app::letters::TemplateNeed>& needs,
                     const std::vector<std::string>& languages) const;

  // Renders every part of the template named by the model's template_name in its language on
  // `channel`. NotFound (naming the file) when there is none.
  Result<RenderedMessage> Render(const app::letters::LetterModel& model,
                                 app::letters::Channel channel) const;
  Result<RenderedMessage> Render(const app::letters::TemplateNode& fields,
                                 std::string_view language, std::string_view template_name,
                                 app::letters::Channel channel) const;

 private:
  struct Entry {
    std::string id;
    std::string sha256;
    std::map<std::string, std::string> parts;
  };
  // "de/en/b2c/final-notice.letter"; empty when the name is malformed.
  static std::string Key(std::string_view language, std::string_view template_name,
                         app::letters::Channel channel);
  std::map<std::string, Entry> templates_;
};

// Escapes &, <, >, ', " for Pango markup and HTML alike.
std::string EscapeMarkup(std::string_view text);

}  // namespace quitt::adapters::documents
