// quitt deliver: sends what the daily run put in the outbox (issue 6). Letters become one PDF each
// plus a print batch in --out, e-mails go over SMTP, SMS to a file sink or an HTTP gateway; every
// attempt is recorded as message_delivery case events (app/delivery/deliver.h decides).
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "adapters/cli/command_context.h"
#include "adapters/cli/strategy_files.h"
#include "adapters/documents/dsn.h"
#include "adapters/documents/email.h"
#include "adapters/documents/pdf_letter.h"
#include "adapters/documents/sms.h"
#include "adapters/documents/template_store.h"
#include "app/delivery/customer_contact.h"
#include "app/delivery/deliver.h"
#include "app/delivery/portal_access.h"
#include "app/letters/template_needs.h"
#include "domain/jurisdiction/de/germany.h"

namespace quitt::adapters::cli {

namespace {

// The use case names fields as the API does ("not_before: ..."); here they are options.
Status WithOptionName(const Status& status) {
  const std::string& message = status.message();
  const size_t colon = message.find(':');
  std::string field = message.substr(0, colon);
  if (colon == std::string::npos ||
      field.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") != std::string::npos) {
    return status;
  }
  std::replace(field.begin(), field.end(), '_', '-');
  std::string rest = message.substr(colon);
  for (size_t at; (at = rest.find("not_before")) != std::string::npos;) {
    rest.replace(at, 10, "--not-before");
  }
  return Status(status.code(), "--" + field + rest);
}

namespace fs = std::filesystem;
namespace docs = adapters::documents;
using app::letters::Channel;

struct DeliverCliOptions {
  std::string as_of, out_dir, smtp_url, from, smtp_user, smtp_password,
      smtp_tls = "required", ca_file, sms_file, sms_url, sms_user, sms_password, templates,
      portal_url, tracking_url, strategies;
  std::vector<std::string> client_addresses;
  int deadline_days = 14, limit = 0;
  bool allow_provisional = false, no_attachment = false;
};

std::string Env(const char* name, const std::string& fallback = "") {
  const char* value = std::getenv(name);
  return value == nullptr || *value == 0 ? fallback : std::string(value);
}

// "ACME=Acme Energie GmbH; Hauptstraße 1; 10115 Berlin"
Result<std::pair<std::string, app::letters::LetterAddress>> ParseClientAddress(
    const std::string& text) {
  const auto eq = text.find('=');
  std::vector<std::string> parts;
  if (eq != std::string::npos) {
    std::string rest = text.substr(eq + 1);
    for (std::size_t start = 0;;) {
      const auto semi = rest.find(';', start);
      std::string part = rest.substr(start, semi == std::string::npos ? semi : semi - start);
      while (!part.empty() && part.front() == ' ') part.erase(part.begin());
      parts.push_back(part);
      if (semi == std::string::npos) break;
      start = semi + 1;
    }
  }
  if (eq == std::string::npos || parts.size() != 3 || parts[2].find(' ') == std::string::npos) {
    return InvalidArgument("--client-address '" + text +
                           "': expected CODE=Name; Street 1; 12345 City");
  }
  const auto space = parts[2].find(' ');
  app::letters::LetterAddress address{parts[0], parts[1], parts[2].substr(0, space),
                                      parts[2].substr(space + 1), "DE"};
  return std::make_pair(text.substr(0, eq), address);
}

// The sender block of every letter: the agency, from the environment. The supervisory authority
// defaults to the Bundesamt für Justiz, the central supervisor of registered collection services
// since the 2025 RDG amendment (§ 19 RDG); a deployment may set its own.
Result<app::letters::LetterSender> SenderFromEnvironment() {
  app::letters::LetterSender s;
  s.address = {Env("QUITT_AGENCY_NAME"), Env("QUITT_AGENCY_STREET"), Env("QUITT_AGENCY_POSTCODE"),
               Env("QUITT_AGENCY_CITY"), "DE"};
  s.email = Env("QUITT_AGENCY_EMAIL");
  s.phone = Env("QUITT_AGENCY_PHONE");
  s.website = Env("QUITT_AGENCY_WEBSITE");
  s.authority_name = Env("QUITT_AUTHORITY_NAME", "Bundesamt für Justiz");
  s.authority_address = Env("QUITT_AUTHORITY_ADDRESS", "Adenauerallee 99–103, 53113 Bonn");
  s.authority_contact = Env("QUITT_AUTHORITY_CONTACT", "www.bundesjustizamt.de");
  for (auto [value, name] : {std::pair{&s.address.name, "QUITT_AGENCY_NAME"},
                             {&s.address.street, "QUITT_AGENCY_STREET"},
                             {&s.address.postcode, "QUITT_AGENCY_POSTCODE"},
                             {&s.address.city, "QUITT_AGENCY_CITY"},
                             {&s.email, "QUITT_AGENCY_EMAIL"}}) {
    if (value->empty()) {
      return InvalidArgument(std::string("the sender of the letters is not set: $") + name);
    }
  }
  return s;
}

// The customer's local time for quiet hours: the process's time zone (TZ), as main's `today`.
app::letters::LocalDateTime LocalNow(domain::Timestamp now) {
  const std::time_t seconds = static_cast<std::time_t>(now.unix_micros() / 1000000);
  std::tm local{};
  localtime_r(&seconds, &local);
  char day[16];
  std::strftime(day, sizeof day, "%Y-%m-%d", &local);
  return {*domain::Date::Parse(day), local.tm_hour * 60 + local.tm_min};
}

Status WriteFileAtomically(const fs::path& path, const std::string& bytes) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) return Unavailable("cannot write " + tmp.string());
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return Unavailable("cannot rename " + tmp.string() + ": " + ec.message());
  return OkStatus();
}

// The channel adapters behind app::delivery::MessageSender.
class ChannelSender : public app::delivery::MessageSender {
 public:
  ChannelSender(docs::TemplateSet templates, fs::path out_dir, domain::Date as_of,
                app::Clock& clock)
      : templates_(std::move(templates)),
        out_dir_(std::move(out_dir)),
        as_of_(as_of),
        clock_(clock) {}

  void UseSmtp(docs::SmtpConfig config, std::string from_name, std::string from_address,
               bool attach) {
    smtp_.emplace(std::move(config));
    from_name_ = std::move(from_name);
    from_address_ = std::move(from_address);
    attach_pdf_ = attach;
  }
  void UseSms(std::unique_ptr<docs::SmsGateway> gateway) { sms_ = std::move(gateway); }

  bool HasWording(const std::string& language, const std::string& template_name,
                  Channel channel) const override {
    return templates_.Has(language, template_name, channel);
  }

  Result<app::delivery::SendResult> Send(const app::letters::LetterModel& model, Channel channel,
                                         const std::string& message_id) override {
    // The step's own wording or nothing: a missing template fails this message (the templates
    // were checked against the strategies before the run, so this means a customer language
    // without templates).
    const app::letters::LetterModel* chosen = &model;
    QUITT_ASSIGN_OR_RETURN(docs::RenderedMessage rendered, templates_.Render(*chosen, channel));
    app::delivery::SendResult result{"", rendered.template_id, rendered.template_sha256};
    switch (channel) {
      case Channel::kLetter: {
        QUITT_ASSIGN_OR_RETURN(std::string pdf, renderer_.RenderPdf(*chosen, rendered));
        const fs::path file = out_dir_ / (message_id + ".pdf");
        QUITT_RETURN_IF_ERROR(WriteFileAtomically(file, pdf));
        QUITT_RETURN_IF_ERROR(AddToBatch(*chosen, rendered));
        result.detail = "written " + file.filename().string() + ", print batch " +
                        batch_path_.filename().string();
        break;
      }
      case Channel::kEmail: {
        if (!smtp_) return Unavailable("no SMTP server given (--smtp)");
        docs::EmailMessage mail;
        mail.from_name = model.sender.address.name;
        mail.from_address = from_address_;
        mail.to_name = model.customer.name;
        mail.to_address = model.customer_email;
        mail.subject = rendered.Part("subject");
        mail.text = rendered.Part("text");
        mail.html = rendered.Part("html");
        mail.message_key = message_id;
        mail.date = clock_.Now();
        if (attach_pdf_ &&
            templates_.Has(chosen->language, chosen->template_name, Channel::kLetter)) {
          // The letter of the same step (letters print the portal link, not the tracking link).
          QUITT_ASSIGN_OR_RETURN(docs::RenderedMessage letter,
                                 templates_.Render(*chosen, Channel::kLetter));
          QUITT_ASSIGN_OR_RETURN(std::string pdf, renderer_.RenderPdf(*chosen, letter));
          mail.attachment =
              docs::EmailAttachment{model.case_number->ToString() + ".pdf", "application/pdf", pdf};
        }
        QUITT_RETURN_IF_ERROR(smtp_->Send(mail));
        CrashAfterEmailIfAsked();
        result.detail = "accepted by " +
                        model.customer_email.substr(model.customer_email.find('@') + 1) + " relay";
        break;
      }
      case Channel::kSms: {
        if (!sms_) return Unavailable("no SMS gateway given (--sms-file or --sms-url)");
        QUITT_ASSIGN_OR_RETURN(
            docs::SmsReceipt receipt,
            sms_->Send(docs::SmsMessage{model.customer_phone, rendered.Part("text"), message_id}));
        result.detail =
            fmt::format("{} {} segment(s){}", docs::SmsEncodingName(receipt.length.encoding),
                        receipt.length.segments,
                        receipt.provider_id.empty() ? "" : ", id " + receipt.provider_id);
        break;
      }
    }
    return result;
  }

  Status Finish() {
    if (batch_) return batch_->Finish();
    return OkStatus();
  }
  const fs::path& batch_path() const { return batch_path_; }
  int batch_letters() const { return batch_ ? batch_->letters() : 0; }

 private:
  // The test hook behind QUITT_DELIVER_CRASH_AFTER_EMAILS=K: abort (no cleanup, like kill -9)
  // right after the K-th e-mail left and before its outcome is recorded. For crash tests only.
  void CrashAfterEmailIfAsked() {
    ++emails_sent_;
    const char* after = std::getenv("QUITT_DELIVER_CRASH_AFTER_EMAILS");
    if (after != nullptr && *after != 0 && emails_sent_ >= std::atoi(after)) std::abort();
  }

  // One print batch per invocation, never overwriting an earlier one of the same date.
  Status AddToBatch(const app::letters::LetterModel& model, const docs::RenderedMessage& letter) {
    if (!batch_) {
      for (int n = 1;; ++n) {
        batch_path_ = out_dir_ / fmt::format("print-{}-{}.pdf", as_of_.ToString(), n);
        if (!fs::exists(batch_path_)) break;
      }
      QUITT_ASSIGN_OR_RETURN(batch_, docs::PdfBatch::Create(batch_path_.string()));
    }
    return batch_->Add(renderer_, model, letter);
  }

  docs::TemplateSet templates_;
  fs::path out_dir_;
  domain::Date as_of_;
  app::Clock& clock_;
  docs::PdfRenderer renderer_;
  std::unique_ptr<docs::PdfBatch> batch_;
  fs::path batch_path_;
  std::optional<docs::SmtpSender> smtp_;
  std::string from_name_, from_address_;
  bool attach_pdf_ = true;
  int emails_sent_ = 0;
  std::unique_ptr<docs::SmsGateway> sms_;
};

// Every template the strategies of the folder name (every *.toml below it, per-client folders
// included), for TemplateSet::CheckCovers.
Result<std::vector<app::letters::TemplateNeed>> TemplateNeedsOfFolder(const std::string& folder) {
  std::vector<app::letters::TemplateNeed> needs;
  std::error_code ec;
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(folder, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".toml") {
      files.push_back(entry.path());
    }
  }
  if (ec) return Unavailable("strategies '" + folder + "': " + ec.message());
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    QUITT_ASSIGN_OR_RETURN(workflow::Strategy strategy,
                           workflow::LoadStrategy(text.str(), file.string()));
    for (auto& need : app::letters::TemplatesNeeded(strategy)) needs.push_back(std::move(need));
  }
  return needs;
}

Result<docs::TemplateSet> LoadCheckedTemplates(const std::string& templates_flag,
                                               const std::string& strategies_flag) {
  const fs::path template_dir = !templates_flag.empty()
                                    ? fs::path(templates_flag)
                                    : fs::path(Env("QUITT_TEMPLATES", "templates"));
  auto templates = docs::TemplateSet::Load(template_dir);
  if (!templates) return templates.error().WithContext("templates");
  QUITT_ASSIGN_OR_RETURN(auto needs, TemplateNeedsOfFolder(StrategyFolder(strategies_flag)));
  QUITT_RETURN_IF_ERROR(templates->CheckCovers(needs, templates->Languages()));
  return templates;
}

int RunDeliver(CommandContext& context, const DeliverCliOptions& o) {
  auto as_of = o.as_of.empty() ? Result<domain::Date>(context.today())
                               : domain::Date::ParseFlexible(o.as_of);
  if (!as_of) return context.Fail(as_of.error().WithContext("--as-of"));
  // Every template the strategies need, in every language, before anything is sent.
  auto templates = LoadCheckedTemplates(o.templates, o.strategies);
  if (!templates) return context.Fail(templates.error());
  auto sender_block = SenderFromEnvironment();
  if (!sender_block) return context.Fail(sender_block.error());

  app::delivery::DeliverOptions options;
  options.as_of = *as_of;
  options.now_local = LocalNow(context.clock().Now());
  options.letter.sender = *sender_block;
  options.letter.trust_account = {Env("QUITT_TRUST_NAME", sender_block->address.name),
                                  Env("QUITT_TRUST_IBAN"), Env("QUITT_TRUST_BIC")};
  if (options.letter.trust_account.iban.empty()) {
    return context.Fail(InvalidArgument(
        "the trust account for the transfer and the QR code is not set: $QUITT_TRUST_IBAN"));
  }
  options.letter.portal_url = !o.portal_url.empty() ? o.portal_url : Env("QUITT_PORTAL_URL");
  options.letter.portal_secret = Env("QUITT_PORTAL_SECRET");
  if (Status secret = app::delivery::CheckPortalSecret(options.letter.portal_secret);
      !secret.ok()) {
    return context.Fail(secret.WithContext("$QUITT_PORTAL_SECRET (portal PIN and tracking links)"));
  }
  options.letter.tracking_url =
      !o.tracking_url.empty() ? o.tracking_url : Env("QUITT_TRACKING_URL");
  options.letter.deadline_days = o.deadline_days;
  options.letter.allow_provisional_base_rate = o.allow_provisional;
  options.max_messages = o.limit;
  for (const std::string& text : o.client_addresses) {
    auto parsed = ParseClientAddress(text);
    if (!parsed) return context.Fail(parsed.error());
    options.letter.client_addresses[parsed->first] = parsed->second;
  }

  std::error_code ec;
  fs::create_directories(o.out_dir, ec);
  if (ec) return context.Fail(Unavailable("--out " + o.out_dir + ": " + ec.message()));
  ChannelSender sender(std::move(*templates), o.out_dir, *as_of, context.clock());
  if (!o.smtp_url.empty()) {
    if (o.from.empty()) return context.Fail(InvalidArgument("--smtp needs --from ADDRESS"));
    docs::SmtpConfig config;
    config.url = o.smtp_url;
    config.username = !o.smtp_user.empty() ? o.smtp_user : Env("QUITT_SMTP_USER");
    config.password = !o.smtp_password.empty() ? o.smtp_password : Env("QUITT_SMTP_PASSWORD");
    config.ca_file = o.ca_file;
    if (o.smtp_tls == "none") {
      config.tls = docs::SmtpConfig::Tls::kNone;
    } else if (o.smtp_tls == "if-offered") {
      config.tls = docs::SmtpConfig::Tls::kStartTlsIfOffered;
    } else if (o.smtp_tls != "required") {
      return context.Fail(InvalidArgument("--smtp-tls must be required, if-offered or none"));
    }
    sender.UseSmtp(config, sender_block->address.name, o.from, !o.no_attachment);
  }
  if (!o.sms_file.empty() && !o.sms_url.empty()) {
    return context.Fail(InvalidArgument("give either --sms-file or --sms-url"));
  }
  if (!o.sms_file.empty()) sender.UseSms(std::make_unique<docs::FileSmsSink>(o.sms_file));
  if (!o.sms_url.empty()) {
    docs::HttpSmsConfig config;
    config.url = o.sms_url;
    config.username = !o.sms_user.empty() ? o.sms_user : Env("QUITT_SMS_USER");
    config.password = !o.sms_password.empty() ? o.sms_password : Env("QUITT_SMS_PASSWORD");
    sender.UseSms(std::make_unique<docs::HttpSmsGateway>(config));
  }

  static const domain::de::Germany kGermany;
  auto report = app::delivery::Deliver(context.store(), context.clock(), kGermany, sender, options);
  Status finished = sender.Finish();
  if (!report) return context.Fail(report.error());
  if (!finished.ok()) return context.Fail(finished);
  std::ostream& out = context.out();
  out << fmt::format("messages due by {}: {}\n", as_of->ToString(), report->seen);
  out << fmt::format("sent: {} (letters {}, e-mails {}, SMS {})\n", report->sent, report->letters,
                     report->emails, report->sms);
  out << fmt::format("already delivered: {}, waiting (quiet hours, retry): {}\n", report->done,
                     report->waiting);
  out << fmt::format("bounced: {}, failed: {}\n", report->bounced, report->failed);
  if (report->other > 0) out << fmt::format("other actions (not messages): {}\n", report->other);
  if (sender.batch_letters() > 0) {
    out << fmt::format("print batch: {} ({} letters)\n", sender.batch_path().string(),
                       sender.batch_letters());
  }
  for (const std::string& problem : report->problems) context.err() << problem << "\n";
  return report->failed > 0 ? kExitProblems : kExitOk;
}

}  // namespace

void RegisterDeliverCommands(CLI::App& app, CommandContext& context) {
  auto& o = context.Own<DeliverCliOptions>();
  CLI::App* deliver = app.add_subcommand(
      "deliver", "Send the outbox: letters as PDF, e-mails over SMTP, SMS; record every attempt");
  deliver->add_option("--as-of", o.as_of, "Letter date; messages due up to it (default: today)");
  deliver->add_option("--out", o.out_dir, "Folder for the letter PDFs and the print batch")
      ->required();
  deliver->add_option("--smtp", o.smtp_url, "SMTP server, e.g. smtp://mail.example:587");
  deliver->add_option("--from", o.from, "Sender address of the e-mails");
  deliver->add_option("--smtp-user", o.smtp_user, "SMTP user ($QUITT_SMTP_USER)");
  deliver->add_option("--smtp-password", o.smtp_password, "SMTP password ($QUITT_SMTP_PASSWORD)");
  deliver->add_option("--smtp-tls", o.smtp_tls, "STARTTLS: required (default), if-offered, none");
  deliver->add_option("--ca-file", o.ca_file, "Extra CA bundle for the SMTP server");
  deliver->add_flag("--no-attachment", o.no_attachment, "Do not attach the letter PDF to e-mails");
  deliver->add_option("--sms-file", o.sms_file, "Append SMS as JSON lines to this file");
  deliver->add_option("--sms-url", o.sms_url, "HTTP SMS gateway endpoint");
  deliver->add_option("--sms-user", o.sms_user, "SMS gateway user ($QUITT_SMS_USER)");
  deliver->add_option("--sms-password", o.sms_password, "SMS gateway key ($QUITT_SMS_PASSWORD)");
  deliver->add_option("--templates", o.templates,
                      "Template folder ($QUITT_TEMPLATES, ./templates)");
  deliver->add_option("--portal-url", o.portal_url, "Customer portal base URL ($QUITT_PORTAL_URL)");
  deliver->add_option("--tracking-url", o.tracking_url,
                      "Base of e-mail/SMS tracking links, e.g. https://portal.example/t "
                      "($QUITT_TRACKING_URL)");
  deliver->add_option("--strategies", o.strategies,
                      "Strategy folder whose templates must all exist ($QUITT_STRATEGIES)");
  deliver->add_option("--client-address", o.client_addresses,
                      "Client address for § 13a RDG: CODE=Name; Street 1; 12345 City");
  deliver->add_option("--deadline-days", o.deadline_days, "Payment deadline after the letter date");
  deliver->add_option("--limit", o.limit, "At most this many messages");
  deliver->add_flag("--allow-provisional-base-rate", o.allow_provisional,
                    "Interest after the published base-rate table uses the last known rate");
  deliver->callback(context.Run([&context, &o] { return RunDeliver(context, o); }));

  // quitt templates check: every template of every strategy in every language (no database).
  CLI::App* templates = app.add_subcommand("templates", "Message templates");
  templates->require_subcommand(1);
  CLI::App* check = templates->add_subcommand(
      "check", "Check that every template the strategies name exists in every language");
  check->add_option("--templates", o.templates, "Template folder ($QUITT_TEMPLATES, ./templates)");
  check->add_option("--strategies", o.strategies, "Strategy folder ($QUITT_STRATEGIES)");
  check->callback([&context, &o] {
    auto loaded = LoadCheckedTemplates(o.templates, o.strategies);
    if (!loaded) {
      context.set_exit_code(context.Fail(loaded.error()));
      return;
    }
    std::string languages;
    for (const std::string& l : loaded->Languages())
      languages += (languages.empty() ? "" : ", ") + l;
    context.out() << fmt::format("templates: ok, {} files, languages {}\n", loaded->size(),
                                 languages);
  });

  // quitt bounces FILE...: mail servers' delivery status notifications (mbox or .eml).
  auto& bounce_files = context.Own<std::vector<std::string>>();
  CLI::App* bounces = app.add_subcommand(
      "bounces", "Record hard bounces from delivery status notifications (RFC 3464, mbox/.eml)");
  bounces->add_option("files", bounce_files, "mbox or .eml files")->required();
  bounces->callback(context.Run([&context, &bounce_files] {
    int recorded = 0, known = 0, ignored = 0, unknown = 0, skipped = 0;
    for (const std::string& file : bounce_files) {
      std::ifstream in(file, std::ios::binary);
      if (!in) return context.Fail(NotFound("cannot read " + file));
      std::stringstream text;
      text << in.rdbuf();
      const docs::DsnFile parsed = docs::ParseDeliveryStatusNotifications(text.str());
      for (const docs::SkippedMessage& message : parsed.skipped) {
        ++skipped;
        context.err() << fmt::format("message {} of {}: {}, skipped\n", message.position,
                                     std::filesystem::path(file).filename().string(),
                                     message.reason);
      }
      for (const docs::DeliveryStatus& status : parsed.statuses) {
        if (!status.permanent) {
          ++ignored;
          continue;
        }
        auto result = app::delivery::RecordMessageBounced(
            context.store(), context.clock(), status.message_id,
            fmt::format("DSN {} {}: {}", status.status, status.recipient, status.diagnostic));
        if (!result.ok() && result.error().code() == StatusCode::kNotFound) {
          ++unknown;
          context.err() << status.message_id << ": no such e-mail sent\n";
          continue;
        }
        if (!result.ok()) return context.Fail(result.error());
        ++(*result == app::delivery::Recorded::kRecorded ? recorded : known);
      }
    }
    context.out() << fmt::format(
        "bounces recorded: {}, already recorded: {}, not permanent: {}, unknown messages: {}, "
        "skipped notifications: {}\n",
        recorded, known, ignored, unknown, skipped);
    return unknown > 0 || skipped > 0 ? kExitProblems : kExitOk;
  }));

  // quitt case contact CASE: the customer's contact preferences and opt-outs.
  struct ContactCli {
    std::string case_number, not_before, not_after, on, source;
    std::string actor = "user:" + std::string(std::getenv("USER") ? std::getenv("USER") : "cli");
    app::delivery::ContactPreferencesInput input;
  };
  auto& c = context.Own<ContactCli>();
  CLI::App* contact = app.get_subcommand("case")->add_subcommand(
      "contact", "Record the customer's contact preferences and opt-outs for a case");
  contact->add_option("case", c.case_number, "Case number")->required();
  contact->add_option("--opt-out", c.input.opt_out, "Never use: letter, email, sms, phone");
  contact->add_option("--opt-in", c.input.opt_in, "Allow again a channel opted out before");
  contact->add_option("--prefer", c.input.prefer, "Preferred channels in order");
  contact->add_option("--not-before", c.not_before, "No e-mail/SMS before HH:MM local time");
  contact->add_option("--not-after", c.not_after, "No e-mail/SMS from HH:MM local time");
  contact->add_option("--source", c.source, "Who asked, how (e.g. \"phone call, agent anna\")")
      ->required();
  contact->add_option("--on", c.on, "Date the customer asked (default: today)");
  contact->add_option("--actor", c.actor, "Who records it")->capture_default_str();
  contact->callback(context.Run([&context, &c] {
    app::delivery::ContactPreferencesInput input = c.input;
    for (const auto& [text, target] :
         {std::pair{&c.not_before, &input.earliest_minute}, {&c.not_after, &input.latest_minute}}) {
      if (text->empty()) continue;
      if (*text == "none") {
        *target = -1;
        continue;
      }
      auto minute = app::delivery::ParseMinuteOfDay(*text);
      if (!minute) return context.Fail(minute.error());
      *target = *minute;
    }
    input.source = c.source;
    auto on =
        c.on.empty() ? Result<domain::Date>(context.today()) : domain::Date::ParseFlexible(c.on);
    if (!on) return context.Fail(on.error().WithContext("--on"));
    input.on = *on;
    auto changed = app::delivery::SetContactPreferences(context.store(), context.clock(),
                                                        c.case_number, input, c.actor);
    if (!changed) return context.Fail(WithOptionName(changed.error()));
    context.out() << fmt::format(
        "{}: opted out: {}; preferred: {}; window: {}-{}\n", c.case_number,
        changed->opted_out.empty() ? "-" : changed->opted_out,
        changed->preferred.empty() ? "-" : changed->preferred,
        changed->earliest_minute < 0 ? std::string("-")
                                     : fmt::format("{:02}:{:02}", changed->earliest_minute / 60,
                                                   changed->earliest_minute % 60),
        changed->latest_minute < 0
            ? std::string("-")
            : fmt::format("{:02}:{:02}", changed->latest_minute / 60, changed->latest_minute % 60));
    return kExitOk;
  }));
}

}  // namespace quitt::adapters::cli
