// quitt deliver end to end: demo cases → quitt run → quitt deliver against a real local SMTP
// server (tests/smtp_sink.py, python3-aiosmtpd) and the SMS file sink. Checks the letters with
// pdftotext, the e-mails that arrived, the recorded message_delivery events, that a second
// deliver sends nothing, that a bounce moves to another channel, and that a run killed between
// sending and recording does not send again.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <thread>
#include <utility>

#include "adapters/cli/cli.h"
#include "adapters/documents/testing/smtp_sink.h"
#include "adapters/http/delivery_routes.h"
#include "adapters/storage/sqlite/sqlite_case_store.h"
#include "app/delivery/customer_contact.h"
#include "app/delivery/portal_access.h"
#include "domain/case_event_codec.h"

namespace quitt::adapters::cli {
namespace {

namespace fs = std::filesystem;

const std::string kNow = "2026-03-02T09:30:00Z";  // a Monday, 10:30 in Berlin
const std::string kDay = "2026-03-02";
const std::string kSecret = "deliver-test-secret-0123456789abcdef";

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// A store that lets another writer in just before the first transaction of the code under test
// starts: the interleaving of a pixel and a click arriving together.
class RacingStore : public app::CaseStore {
 public:
  RacingStore(app::CaseStore& inner, std::function<void()> before_first_begin)
      : inner_(inner), before_first_begin_(std::move(before_first_begin)) {}
  Result<std::unique_ptr<app::Transaction>> Begin() override {
    if (before_first_begin_) std::exchange(before_first_begin_, nullptr)();
    return inner_.Begin();
  }
  Status Write(const app::WriteBatch& batch) override { return inner_.Write(batch); }
  Result<std::int64_t> ReserveIds(app::IdKind kind, std::int64_t count) override {
    return inner_.ReserveIds(kind, count);
  }
  Status ReleaseIds(app::IdKind kind, std::int64_t first_unused, std::int64_t end) override {
    return inner_.ReleaseIds(kind, first_unused, end);
  }
  Result<domain::Client> AddClient(const domain::Client& client) override {
    return inner_.AddClient(client);
  }
  Result<std::optional<domain::Client>> FindClientByCode(const std::string& code) override {
    return inner_.FindClientByCode(code);
  }
  Result<std::optional<domain::Client>> FindClient(domain::ClientId id) override {
    return inner_.FindClient(id);
  }
  Result<std::vector<domain::Client>> ListClients() override { return inner_.ListClients(); }
  Result<std::optional<domain::Customer>> FindCustomer(domain::ClientId client,
                                                       domain::CustomerId id) override {
    return inner_.FindCustomer(client, id);
  }
  Result<std::optional<app::CaseSummary>> FindCaseByNumber(const std::string& number) override {
    if (on_find_case) on_find_case();
    return inner_.FindCaseByNumber(number);
  }
  Result<std::optional<app::CaseSummary>> FindCase(domain::ClientId client,
                                                   domain::CaseId id) override {
    return inner_.FindCase(client, id);
  }
  Result<std::vector<app::CaseSummary>> ListCases(const app::CaseFilter& filter) override {
    return inner_.ListCases(filter);
  }
  Result<std::vector<domain::StoredCaseEvent>> LoadHistory(domain::ClientId client,
                                                           domain::CaseId id) override {
    return inner_.LoadHistory(client, id);
  }
  Status ForEachCase(std::optional<domain::ClientId> client,
                     const std::function<Status(const app::CaseSummary&)>& visit) override {
    return inner_.ForEachCase(client, visit);
  }
  Result<app::ImportIndex> LoadImportIndex(domain::ClientId client) override {
    return inner_.LoadImportIndex(client);
  }
  Result<app::ImportIndex> LoadImportIndexFor(
      domain::ClientId client, const std::vector<std::string>& claim_refs,
      const std::vector<std::string>& customer_refs) override {
    return inner_.LoadImportIndexFor(client, claim_refs, customer_refs);
  }
  Result<std::int64_t> CountClaims(domain::ClientId client, std::int64_t up_to) override {
    return inner_.CountClaims(client, up_to);
  }

  std::function<void()> on_find_case;  // runs at every case lookup, before it

 private:
  app::CaseStore& inner_;
  std::function<void()> before_first_begin_;
};

using documents::testing::SmtpSink;

// The local part of a sent e-mail's Message-ID (quitt writes <CASE.STEP.email.N@host>).
std::string MessageIdOf(const std::string& mail) {
  const auto at = mail.find("Message-ID: <") + 13;
  return mail.substr(at, mail.find('@', at) - at);
}

// The tracking token quitt puts into the links of the message `message_id`.
std::string TokenOf(const std::string& message_id) {
  return app::delivery::TrackingToken(kSecret, message_id.substr(0, message_id.find('.')),
                                      message_id);
}

// An RFC 3464 delivery-status notification in mbox form, returning `message_id` when it is not
// empty (a notification without the returned headers otherwise).
std::string BounceNotification(const std::string& time, char boundary, const std::string& recipient,
                               const std::string& diagnostic, const std::string& message_id) {
  const std::string b(1, boundary);
  std::string text = "From MAILER-DAEMON Mon Mar  2 " + time +
                     " 2026\nContent-Type: multipart/report; report-type=delivery-status; "
                     "boundary=" +
                     b + "\n\n--" + b + "\nContent-Type: message/delivery-status\n\n" +
                     "Final-Recipient: rfc822; " + recipient + "\nAction: failed\nStatus: 5.1.1\n" +
                     diagnostic + "\n";
  if (!message_id.empty()) {
    text += "--" + b + "\nContent-Type: text/rfc822-headers\n\nMessage-ID: <" + message_id +
            "@quitt.example>\n\n";
  }
  return text + "--" + b + "--\n";
}

std::string PdfText(const fs::path& pdf) {
  const fs::path txt = pdf.string() + ".txt";
  const std::string command = "pdftotext -layout '" + pdf.string() + "' '" + txt.string() + "'";
  if (std::system(command.c_str()) != 0) return "";
  return ReadFile(txt);
}

struct Outcome {
  int code = 0;
  std::string out, err;
};

class DeliverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::current_path() / "deliver_artefacts" /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    setenv("QUITT_AGENCY_NAME", "quitt Inkasso GmbH", 1);
    setenv("QUITT_AGENCY_STREET", "Friedrichstraße 100", 1);
    setenv("QUITT_AGENCY_POSTCODE", "10117", 1);
    setenv("QUITT_AGENCY_CITY", "Berlin", 1);
    setenv("QUITT_AGENCY_EMAIL", "service@quitt.example", 1);
    setenv("QUITT_AGENCY_PHONE", "+49 30 1234567", 1);
    setenv("QUITT_TRUST_IBAN", "DE89370400440532013000", 1);
    setenv("QUITT_TRUST_BIC", "COBADEFFXXX", 1);
    setenv("QUITT_TRUST_NAME", "quitt Inkasso GmbH Treuhandkonto", 1);
    setenv("QUITT_PORTAL_URL", "https://portal.quitt.example/c", 1);
    setenv("QUITT_TEMPLATES", (fs::path(QUITT_SOURCE_DIR) / "templates").c_str(), 1);
    setenv("QUITT_STRATEGIES", (fs::path(QUITT_SOURCE_DIR) / "strategies").c_str(), 1);
    setenv("QUITT_PORTAL_SECRET", kSecret.c_str(), 1);
    ASSERT_EQ(Run({"demo", "--cases", "12", "--seed", "7"}).code, 0);
    Outcome run = Run({"run", "--as-of", kDay, "--strategies",
                       (fs::path(QUITT_SOURCE_DIR) / "strategies").string()});
    ASSERT_EQ(run.code, 0) << run.out << run.err;
  }

  // The other tests of this program expect none of the settings made here (a scenario checks that
  // a missing trust account is reported, for one).
  void TearDown() override {
    for (const char* name :
         {"QUITT_AGENCY_NAME", "QUITT_AGENCY_STREET", "QUITT_AGENCY_POSTCODE", "QUITT_AGENCY_CITY",
          "QUITT_AGENCY_EMAIL", "QUITT_AGENCY_PHONE", "QUITT_TRUST_IBAN", "QUITT_TRUST_BIC",
          "QUITT_TRUST_NAME", "QUITT_PORTAL_URL", "QUITT_TEMPLATES", "QUITT_STRATEGIES",
          "QUITT_PORTAL_SECRET"}) {
      unsetenv(name);
    }
  }

  Outcome Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", (dir_ / "quitt.db").string(), "--now", kNow});
    std::ostringstream out, err;
    app::FixedClock clock(*domain::Timestamp::Parse(kNow));
    CliEnvironment env{out, err, clock, *domain::Date::Parse(kDay)};
    const int code = RunCli(args, env);
    return {code, out.str(), err.str()};
  }

  std::vector<std::string> DeliverArgs(const SmtpSink& smtp, const std::string& day = kDay) {
    return {"deliver",
            "--as-of",
            day,
            "--out",
            (dir_ / "out").string(),
            "--smtp",
            smtp.url(),
            "--from",
            "service@quitt.example",
            "--smtp-tls",
            "none",
            "--sms-file",
            (dir_ / "sms.jsonl").string(),
            "--client-address",
            "DEMO=Demo Versand GmbH; Hafenstraße 5; 20457 Hamburg"};
  }

  // message_delivery events of every case: (message key, state) in order.
  // Runs `quitt deliver` and returns the tracking token of the first e-mail it sent (empty, and
  // the test failed, when none went out).
  std::string DeliverAndTrackFirstEmail(const SmtpSink& smtp) {
    EXPECT_EQ(Run(DeliverArgs(smtp)).code, 0);
    const auto mails = smtp.Messages();
    if (mails.empty()) {
      ADD_FAILURE() << "quitt deliver sent no e-mail";
      return "";
    }
    return TokenOf(MessageIdOf(mails[0]));
  }

  std::vector<std::pair<std::string, std::string>> DeliveryEvents() {
    app::FixedClock clock(*domain::Timestamp::Parse(kNow));
    auto store = sqlite::SqliteCaseStore::Open((dir_ / "quitt.db").string(), clock);
    EXPECT_TRUE(store.ok());
    std::vector<std::pair<std::string, std::string>> events;
    Status status = (*store)->ForEachCase(std::nullopt, [&](const app::CaseSummary& summary) {
      auto history = (*store)->LoadHistory(summary.client, summary.id);
      QUITT_RETURN_IF_ERROR(history.status());
      for (const auto& stored : *history) {
        if (stored.type != "message_delivery") continue;
        auto payload =
            domain::PayloadFromJson(stored.type, stored.schema_version, stored.payload_json);
        QUITT_RETURN_IF_ERROR(payload.status());
        const auto& d = std::get<domain::MessageDelivery>(*payload);
        events.emplace_back(d.message_key + " " + d.channel, d.state);
      }
      return OkStatus();
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
    return events;
  }

  std::vector<std::string> CaseNumbers() {
    app::FixedClock clock(*domain::Timestamp::Parse(kNow));
    auto store = sqlite::SqliteCaseStore::Open((dir_ / "quitt.db").string(), clock);
    std::vector<std::string> numbers;
    EXPECT_TRUE((*store)
                    ->ForEachCase(std::nullopt,
                                  [&](const app::CaseSummary& summary) {
                                    numbers.push_back(summary.case_number);
                                    return OkStatus();
                                  })
                    .ok());
    return numbers;
  }

  int CountLines(const fs::path& file) {
    std::ifstream in(file);
    int n = 0;
    for (std::string line; std::getline(in, line);) n += line.empty() ? 0 : 1;
    return n;
  }

  fs::path dir_;
};

TEST_F(DeliverTest, LettersEmailsAndSmsGoOutOnceAndAreRecorded) {
  SmtpSink smtp(dir_ / "smtp");
  Outcome first = Run(DeliverArgs(smtp));
  ASSERT_EQ(first.code, 0) << first.out << first.err;

  // Letters: one PDF each, plus the print batch; the text is the letter.
  int letters = 0;
  for (const auto& entry : fs::directory_iterator(dir_ / "out")) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".pdf" || name.rfind("print-", 0) == 0) continue;
    ++letters;
    const std::string text = PdfText(entry.path());
    EXPECT_NE(text.find(name.substr(0, 12)), std::string::npos) << name;  // the case number
    EXPECT_NE(text.find("RF"), std::string::npos) << name;
    EXPECT_EQ(text.find("Schuldner"), std::string::npos) << name;
  }
  EXPECT_GT(letters, 0);
  EXPECT_TRUE(fs::exists(dir_ / "out" / ("print-" + kDay + "-1.pdf")));
  const std::string batch = PdfText(dir_ / "out" / ("print-" + kDay + "-1.pdf"));
  EXPECT_FALSE(batch.empty());

  // E-mails arrived at the SMTP server, with the letter attached.
  const auto mails = smtp.Messages();
  EXPECT_GT(mails.size(), 0u);
  for (const std::string& mail : mails) {
    EXPECT_NE(mail.find("Message-ID: <Q-"), std::string::npos);
    EXPECT_NE(mail.find("application/pdf"), std::string::npos);
  }

  // Every message is recorded: queued then sent, nothing else.
  auto events = DeliveryEvents();
  std::map<std::string, std::vector<std::string>> by_key;
  for (const auto& [key, state] : events) by_key[key].push_back(state);
  int sent_letters = 0, sent_emails = 0, sent_sms = 0;
  for (const auto& [key, states] : by_key) {
    EXPECT_EQ(states, (std::vector<std::string>{"queued", "sent"})) << key;
    if (key.ends_with(" letter")) ++sent_letters;
    if (key.ends_with(" email")) ++sent_emails;
    if (key.ends_with(" sms")) ++sent_sms;
  }
  EXPECT_EQ(sent_letters, letters);
  EXPECT_EQ(sent_emails, static_cast<int>(mails.size()));
  EXPECT_NE(first.out.find("sent: " + std::to_string(by_key.size())), std::string::npos)
      << first.out;

  // A second deliver sends nothing and records nothing.
  Outcome second = Run(DeliverArgs(smtp));
  ASSERT_EQ(second.code, 0) << second.out << second.err;
  EXPECT_NE(second.out.find("sent: 0 "), std::string::npos) << second.out;
  EXPECT_EQ(smtp.Messages().size(), mails.size());
  EXPECT_EQ(DeliveryEvents().size(), events.size());
  EXPECT_EQ(sent_sms, 0);  // the strategies send SMS with the second reminder

  // Two weeks later: second reminders by letter and SMS (to mobile numbers only).
  const std::string later = "2026-03-16";
  Outcome run = Run({"run", "--as-of", later, "--strategies",
                     (fs::path(QUITT_SOURCE_DIR) / "strategies").string()});
  ASSERT_EQ(run.code, 0) << run.out << run.err;
  Outcome third = Run(DeliverArgs(smtp, later));
  ASSERT_EQ(third.code, 0) << third.out << third.err;
  int sms_sent = 0;
  for (const auto& [key, state] : DeliveryEvents()) {
    if (key.ends_with(" sms") && state == "sent") ++sms_sent;
  }
  EXPECT_GT(sms_sent, 0) << third.out;
  EXPECT_EQ(CountLines(dir_ / "sms.jsonl"), sms_sent);
  const std::string sms = ReadFile(dir_ / "sms.jsonl");
  EXPECT_NE(sms.find("\"to\":\"+49"), std::string::npos) << sms;
  EXPECT_TRUE(fs::exists(dir_ / "out" / ("print-" + later + "-1.pdf")));
}

TEST_F(DeliverTest, ABouncedEmailIsFollowedByAnotherChannel) {
  // Consumers' demo addresses are @example.de: the server refuses them permanently.
  SmtpSink smtp(dir_ / "smtp", {"--reject", "example.de"});
  Outcome first = Run(DeliverArgs(smtp));
  ASSERT_EQ(first.code, 0) << first.out << first.err;
  auto events = DeliveryEvents();
  int bounced = 0, switched = 0;
  for (std::size_t i = 0; i + 2 < events.size(); ++i) {
    if (events[i].second != "bounced") continue;
    ++bounced;
    const std::string key = events[i].first.substr(0, events[i].first.rfind(' '));
    // The next attempt of the same message on another channel, in the same run.
    EXPECT_EQ(events[i + 1].first.substr(0, events[i + 1].first.rfind(' ')), key);
    EXPECT_FALSE(events[i + 1].first.ends_with(" email"));
    EXPECT_EQ(events[i + 2].second, "sent");
    ++switched;
  }
  EXPECT_GT(bounced, 0) << first.out;
  EXPECT_EQ(switched, bounced);
  EXPECT_NE(first.out.find("bounced: " + std::to_string(bounced)), std::string::npos) << first.out;
}

TEST_F(DeliverTest, ARunKilledAfterSendingDoesNotSendAgain) {
  SmtpSink smtp(dir_ / "smtp");
  // The child aborts (no cleanup, like kill -9) right after the first e-mail left, before its
  // outcome is recorded.
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    setenv("QUITT_DELIVER_CRASH_AFTER_EMAILS", "1", 1);
    Run(DeliverArgs(smtp));
    _exit(0);
  }
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the crash hook did not fire";
  ASSERT_EQ(smtp.Messages().size(), 1u);

  Outcome rerun = Run(DeliverArgs(smtp));
  EXPECT_EQ(rerun.code, 1) << rerun.out << rerun.err;  // the interrupted e-mail is a problem
  EXPECT_NE(rerun.err.find("not sent again"), std::string::npos) << rerun.err;
  // Every other e-mail went out once, the interrupted one not a second time.
  const auto mails = smtp.Messages();
  std::map<std::string, int> ids;
  for (const std::string& mail : mails) {
    const auto at = mail.find("Message-ID: <");
    ASSERT_NE(at, std::string::npos);
    ++ids[mail.substr(at, mail.find('>', at) - at)];
  }
  for (const auto& [id, count] : ids) EXPECT_EQ(count, 1) << id;
  int failed = 0;
  for (const auto& [key, state] : DeliveryEvents()) failed += state == "failed" ? 1 : 0;
  EXPECT_EQ(failed, 1);
}

TEST_F(DeliverTest, AnOptedOutChannelIsNeverUsed) {
  // Every customer opts out of e-mail: the e-mail steps go by letter, nothing reaches SMTP.
  for (const std::string& number : CaseNumbers()) {
    Outcome set = Run({"case", "contact", number, "--opt-out", "email", "--prefer", "letter",
                       "--not-before", "09:00", "--source", "phone call, agent test"});
    ASSERT_EQ(set.code, 0) << set.out << set.err;
    EXPECT_NE(set.out.find("opted out: email; preferred: letter; window: 09:00--"),
              std::string::npos)
        << set.out;
  }
  Outcome bad =
      Run({"case", "contact", CaseNumbers().front(), "--opt-out", "fax", "--source", "x"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("unknown channel 'fax'"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("--opt-out:"), std::string::npos) << bad.err;  // the CLI's option

  SmtpSink smtp(dir_ / "smtp");
  Outcome first = Run(DeliverArgs(smtp));
  ASSERT_EQ(first.code, 0) << first.out << first.err;
  EXPECT_TRUE(smtp.Messages().empty());
  int email_messages = 0;
  for (const auto& [key, state] : DeliveryEvents()) {
    EXPECT_FALSE(key.ends_with(" email")) << key << " " << state;
    if (key.find("_email/") != std::string::npos && state == "sent") ++email_messages;
  }
  EXPECT_GT(email_messages, 0);  // the e-mail steps went out, by letter
}

TEST_F(DeliverTest, ALateBounceFromAMailServerMovesTheMessageToALetter) {
  SmtpSink smtp(dir_ / "smtp");
  ASSERT_EQ(Run(DeliverArgs(smtp)).code, 0);
  const auto mails = smtp.Messages();
  ASSERT_FALSE(mails.empty());
  const std::string message_id = MessageIdOf(mails[0]);
  const fs::path dsn = dir_ / "bounces.mbox";
  std::ofstream(dsn) << BounceNotification("12:00:00", 'b', "x@example.de",
                                           "Diagnostic-Code: smtp; 550 5.1.1 user unknown\n",
                                           message_id);
  Outcome bounced = Run({"bounces", dsn.string()});
  ASSERT_EQ(bounced.code, 0) << bounced.out << bounced.err;
  EXPECT_NE(bounced.out.find("bounces recorded: 1,"), std::string::npos) << bounced.out;
  Outcome again = Run({"bounces", dsn.string()});
  EXPECT_NE(again.out.find("already recorded: 1,"), std::string::npos) << again.out;

  Outcome next = Run(DeliverArgs(smtp));
  ASSERT_EQ(next.code, 0) << next.out << next.err;
  std::vector<std::string> states;
  const std::string key_prefix = message_id.substr(0, message_id.find(".email."));
  for (const auto& [key, state] : DeliveryEvents()) {
    std::string dotted = key.substr(0, key.rfind(' '));
    std::replace(dotted.begin(), dotted.end(), '/', '.');
    if (dotted == key_prefix) states.push_back(key.substr(key.rfind(' ') + 1) + ":" + state);
  }
  EXPECT_EQ(states, (std::vector<std::string>{"email:queued", "email:sent", "email:bounced",
                                              "letter:queued", "letter:sent"}));
  EXPECT_EQ(smtp.Messages().size(), mails.size());  // no second e-mail
}

TEST_F(DeliverTest, PinOnEveryLetterAndTrackingLinksRecordOpenedOnce) {
  SmtpSink smtp(dir_ / "smtp");
  std::vector<std::string> args = DeliverArgs(smtp);
  args.insert(args.end(), {"--tracking-url", "https://portal.quitt.example/t"});
  ASSERT_EQ(Run(args).code, 0);
  app::FixedClock clock(*domain::Timestamp::Parse(kNow));
  auto store = sqlite::SqliteCaseStore::Open((dir_ / "quitt.db").string(), clock);
  ASSERT_TRUE(store.ok());

  // Every letter prints the case's 8-digit PIN; the portal accepts it, limits wrong guesses.
  app::delivery::PinVerifier verifier(**store, clock, kSecret, 3);
  using Pin = app::delivery::PinVerifier::Outcome;
  int letters = 0;
  for (const auto& entry : fs::directory_iterator(dir_ / "out")) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".pdf" || name.rfind("print-", 0) == 0) continue;
    ++letters;
    std::smatch match;
    const std::string text = PdfText(entry.path());
    ASSERT_TRUE(std::regex_search(text, match, std::regex("PIN ([0-9]{8})"))) << name;
    EXPECT_EQ(*verifier.Verify(name.substr(0, 12), match[1]), Pin::kOk) << name;
  }
  ASSERT_GT(letters, 0);
  const std::string number = CaseNumbers().front();
  EXPECT_EQ(*verifier.Verify(number, "00000000"), Pin::kWrong);
  EXPECT_EQ(*verifier.Verify(number, "00000001"), Pin::kWrong);
  EXPECT_EQ(*verifier.Verify(number, "00000002"), Pin::kLocked);
  EXPECT_EQ(*verifier.Verify("Q-99999999-9", "00000000"), Pin::kWrong);  // same as wrong

  // The e-mail links through its token; following it records `opened` once.
  const auto mails = smtp.Messages();
  ASSERT_FALSE(mails.empty());
  std::string mail = std::regex_replace(mails[0], std::regex("=\r?\n"), "");
  const std::string message_id = MessageIdOf(mail);
  const std::string token = TokenOf(message_id);
  EXPECT_NE(mail.find("https://portal.quitt.example/t/" + token), std::string::npos) << mail;
  using app::delivery::Recorded;
  EXPECT_EQ(*app::delivery::RecordMessageOpened(**store, clock, kSecret, token),
            Recorded::kRecorded);
  EXPECT_EQ(*app::delivery::RecordMessageOpened(**store, clock, kSecret, token),
            Recorded::kAlreadyRecorded);
  std::string forged = token;
  forged.back() = forged.back() == 'a' ? 'b' : 'a';
  EXPECT_EQ(app::delivery::RecordMessageOpened(**store, clock, kSecret, forged).error().code(),
            StatusCode::kNotFound);
  int opened = 0;
  for (const auto& [key, state] : DeliveryEvents()) opened += state == "opened" ? 1 : 0;
  EXPECT_EQ(opened, 1);
}

TEST_F(DeliverTest, TemplatesCheckNamesEveryMissingTemplate) {
  Outcome ok = Run({"templates", "check"});
  EXPECT_EQ(ok.code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("languages de, en"), std::string::npos) << ok.out;
  const fs::path copy = dir_ / "templates";
  fs::copy(fs::path(QUITT_SOURCE_DIR) / "templates", copy, fs::copy_options::recursive);
  fs::remove(copy / "de" / "en" / "b2b" / "final-notice.letter.mustache");
  Outcome missing = Run({"templates", "check", "--templates", copy.string()});
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("de/en/b2b/final-notice.letter.mustache"), std::string::npos)
      << missing.err;
  // deliver refuses to start with the same message, before anything is sent.
  SmtpSink smtp(dir_ / "smtp");
  std::vector<std::string> args = DeliverArgs(smtp);
  args.insert(args.end(), {"--templates", copy.string()});
  Outcome deliver = Run(args);
  EXPECT_EQ(deliver.code, 2);
  EXPECT_TRUE(smtp.Messages().empty());
  EXPECT_TRUE(DeliveryEvents().empty());
}

TEST_F(DeliverTest, HttpRoutesRecordOpenedDeliveredAndContactPreferences) {
  SmtpSink smtp(dir_ / "smtp");
  std::vector<std::string> args = DeliverArgs(smtp, "2026-03-16");
  ASSERT_EQ(Run({"run", "--as-of", "2026-03-16", "--strategies",
                 (fs::path(QUITT_SOURCE_DIR) / "strategies").string()})
                .code,
            0);
  ASSERT_EQ(Run(args).code, 0);
  app::FixedClock clock(*domain::Timestamp::Parse(kNow));
  auto store = sqlite::SqliteCaseStore::Open((dir_ / "quitt.db").string(), clock);
  ASSERT_TRUE(store.ok());
  http::DeliveryRouteOptions options{kSecret, "https://portal.quitt.example/", "sms-secret"};

  // Tracking: the same answer for a real and a forged token; only the real one records.
  const auto mails = smtp.Messages();
  ASSERT_FALSE(mails.empty());
  const std::string token = TokenOf(MessageIdOf(mails[0]));
  const http::HttpResponse real = http::HandleTracking(**store, clock, options, token);
  const http::HttpResponse forged = http::HandleTracking(**store, clock, options, token + "x");
  EXPECT_EQ(real.status, 302);
  EXPECT_EQ(real.status, forged.status);
  EXPECT_EQ(real.body, forged.body);
  const http::HttpResponse pixel = http::HandleTracking(**store, clock, options, token + ".gif");
  EXPECT_EQ(pixel.content_type, "image/gif");
  int opened = 0;
  for (const auto& [key, state] : DeliveryEvents()) opened += state == "opened" ? 1 : 0;
  EXPECT_EQ(opened, 1);  // link and pixel of one message: one event

  // SMS delivery report: authenticated by the shared secret, recorded once.
  std::string sms_id;
  for (const std::string& line : [&] {
         std::vector<std::string> lines;
         std::ifstream in(dir_ / "sms.jsonl");
         for (std::string l; std::getline(in, l);) lines.push_back(l);
         return lines;
       }()) {
    const auto ref = line.find("\"reference\":\"");
    if (ref != std::string::npos) {
      sms_id = line.substr(ref + 13, line.find('"', ref + 13) - ref - 13);
      break;
    }
  }
  ASSERT_FALSE(sms_id.empty()) << ReadFile(dir_ / "sms.jsonl");
  http::HttpRequest report;
  report.method = "POST";
  report.body = R"({"reports":[{"reference":")" + sms_id +
                R"(","status":"delivered"},{"reference":"Q-1.x.sms.1","status":"delivered"}]})";
  EXPECT_EQ(http::HandleSmsDeliveryReports(**store, clock, options, report).status, 401);
  report.authorization = "Bearer sms-secret";
  http::HttpResponse first = http::HandleSmsDeliveryReports(**store, clock, options, report);
  EXPECT_EQ(first.body, R"({"already_recorded":0,"recorded":1,"unknown":1})") << first.body;
  http::HttpResponse second = http::HandleSmsDeliveryReports(**store, clock, options, report);
  EXPECT_EQ(second.body, R"({"already_recorded":1,"recorded":0,"unknown":1})") << second.body;

  // Contact preferences through the API handler.
  const std::string number = CaseNumbers().front();
  http::HttpResponse prefs = http::HandleContactPreferences(
      **store, clock, number, R"({"opt_out":["sms"],"not_after":"18:00","source":"portal"})",
      "user:agent", *domain::Date::Parse(kDay));
  EXPECT_EQ(prefs.status, 200) << prefs.body;
  EXPECT_NE(prefs.body.find(R"("opted_out":["sms"])"), std::string::npos) << prefs.body;
  EXPECT_EQ(
      http::HandleContactPreferences(**store, clock, number, R"({"opt_out":["fax"],"source":"x"})",
                                     "user:agent", *domain::Date::Parse(kDay))
          .status,
      422);  // InvalidArgument, by the API's status table
  // Errors name the API's fields (snake_case, as in openapi.json), not the CLI's options.
  const http::HttpResponse bad_channel =
      http::HandleContactPreferences(**store, clock, number, R"({"opt_out":["fax"],"source":"x"})",
                                     "user:agent", *domain::Date::Parse(kDay));
  EXPECT_NE(bad_channel.body.find(R"("field":"opt_out")"), std::string::npos) << bad_channel.body;
  const http::HttpResponse bad_window = http::HandleContactPreferences(
      **store, clock, number, R"({"not_before":"19:00","not_after":"18:00","source":"x"})",
      "user:agent", *domain::Date::Parse(kDay));
  EXPECT_EQ(bad_window.status, 422);
  EXPECT_NE(bad_window.body.find(R"("field":"not_after")"), std::string::npos) << bad_window.body;
  EXPECT_EQ(bad_window.body.find("not-"), std::string::npos) << bad_window.body;

  // A malformed SMS report names its element.
  report.body = R"({"reports":[{"reference":"a","status":"delivered"},)"
                R"({"reference":"b","status":"read"}]})";
  const http::HttpResponse bad_report =
      http::HandleSmsDeliveryReports(**store, clock, options, report);
  EXPECT_EQ(bad_report.status, 400);
  EXPECT_NE(bad_report.body.find(R"("field":"reports[1].status")"), std::string::npos)
      << bad_report.body;
  report.body = R"({"reports":[{"reference":"a","status":"delivered"},{"status":"failed"}]})";
  EXPECT_NE(http::HandleSmsDeliveryReports(**store, clock, options, report)
                .body.find(R"("field":"reports[1].reference")"),
            std::string::npos);
}

TEST_F(DeliverTest, UnconfiguredTrackingAnswersTheSameForEveryTokenAndRecordsNothing) {
  SmtpSink smtp(dir_ / "smtp");
  const std::string token = DeliverAndTrackFirstEmail(smtp);
  ASSERT_FALSE(token.empty());
  app::FixedClock clock(*domain::Timestamp::Parse(kNow));
  auto store = sqlite::SqliteCaseStore::Open((dir_ / "quitt.db").string(), clock);
  ASSERT_TRUE(store.ok());
  for (const http::DeliveryRouteOptions& options :
       {http::DeliveryRouteOptions{kSecret, "", "sms-secret"},
        http::DeliveryRouteOptions{"", "https://portal.quitt.example/", "sms-secret"}}) {
    const http::HttpResponse real = http::HandleTracking(**store, clock, options, token);
    const http::HttpResponse forged = http::HandleTracking(**store, clock, options, token + "x");
    const http::HttpResponse pixel = http::HandleTracking(**store, clock, options, token + ".gif");
    EXPECT_EQ(real.status, 404);
    for (const http::HttpResponse* other : {&forged, &pixel}) {
      EXPECT_EQ(other->status, real.status);
      EXPECT_EQ(other->body, real.body);
      EXPECT_EQ(other->headers, real.headers);
    }
  }
  for (const auto& [key, state] : DeliveryEvents()) EXPECT_NE(state, "opened") << key;
}

TEST_F(DeliverTest, ConcurrentTrackingHitsRecordOpenedOnce) {
  SmtpSink smtp(dir_ / "smtp");
  const std::string token = DeliverAndTrackFirstEmail(smtp);
  ASSERT_FALSE(token.empty());
  app::FixedClock clock(*domain::Timestamp::Parse(kNow));
  auto store = sqlite::SqliteCaseStore::Open((dir_ / "quitt.db").string(), clock);
  auto other = sqlite::SqliteCaseStore::Open((dir_ / "quitt.db").string(), clock);
  ASSERT_TRUE(store.ok() && other.ok());
  using app::delivery::Recorded;
  std::optional<Result<Recorded>> pixel;
  RacingStore racing(
      **store, [&] { pixel = app::delivery::RecordMessageOpened(**other, clock, kSecret, token); });
  auto click = app::delivery::RecordMessageOpened(racing, clock, kSecret, token);
  ASSERT_TRUE(pixel && pixel->ok() && click.ok()) << click.error().ToString();
  EXPECT_EQ(**pixel, Recorded::kRecorded);
  EXPECT_EQ(*click, Recorded::kAlreadyRecorded);
  int opened = 0;
  for (const auto& [key, state] : DeliveryEvents()) opened += state == "opened" ? 1 : 0;
  EXPECT_EQ(opened, 1);
}

TEST_F(DeliverTest, BouncesSkipANotificationWithoutMessageIdAndRecordTheRest) {
  SmtpSink smtp(dir_ / "smtp");
  ASSERT_EQ(Run(DeliverArgs(smtp)).code, 0);
  const auto mails = smtp.Messages();
  ASSERT_FALSE(mails.empty());
  const std::string message_id = MessageIdOf(mails[0]);
  const fs::path dsn = dir_ / "returned.mbox";
  std::ofstream(dsn) << BounceNotification("11:00:00", 'n', "y@example.de", "", "")
                     << BounceNotification("12:00:00", 'b', "x@example.de", "", message_id);
  Outcome bounced = Run({"bounces", dsn.string()});
  EXPECT_EQ(bounced.code, 1) << bounced.out << bounced.err;
  EXPECT_NE(bounced.out.find("bounces recorded: 1,"), std::string::npos) << bounced.out;
  EXPECT_NE(bounced.out.find("skipped notifications: 1"), std::string::npos) << bounced.out;
  EXPECT_NE(bounced.err.find("message 1 of returned.mbox: no returned Message-ID"),
            std::string::npos)
      << bounced.err;
}

TEST_F(DeliverTest, ParallelPinAttemptsCannotTryMoreThanTheLimit) {
  app::FixedClock clock(*domain::Timestamp::Parse(kNow));
  auto store = sqlite::SqliteCaseStore::Open((dir_ / "quitt.db").string(), clock);
  ASSERT_TRUE(store.ok());
  const std::string number = CaseNumbers().front();
  RacingStore racing(**store, nullptr);
  app::delivery::PinVerifier verifier(racing, clock, kSecret, 3);
  using Pin = app::delivery::PinVerifier::Outcome;
  // Ten requests that all start before any has finished: each one's case lookup starts the next.
  int lookups = 0;
  std::vector<Pin> outcomes;
  racing.on_find_case = [&] {
    if (++lookups >= 10) return;
    outcomes.push_back(*verifier.Verify(number, "0000000" + std::to_string(lookups)));
  };
  outcomes.push_back(*verifier.Verify(number, "00000000"));
  racing.on_find_case = nullptr;
  EXPECT_EQ(lookups, 3);  // only three PINs were compared
  EXPECT_EQ(std::count(outcomes.begin(), outcomes.end(), Pin::kLocked), 2) << outcomes.size();
  EXPECT_EQ(*verifier.Verify(number, "00000009"), Pin::kLocked);
}

TEST_F(DeliverTest, PinAttemptsTrackOnlyWellFormedCaseNumbersAndABoundedNumberOfThem) {
  app::FixedClock clock(*domain::Timestamp::Parse(kNow));
  auto store = sqlite::SqliteCaseStore::Open((dir_ / "quitt.db").string(), clock);
  ASSERT_TRUE(store.ok());
  app::delivery::PinVerifier verifier(**store, clock, kSecret, 3, 60, 60, /*max_tracked=*/2);
  using Pin = app::delivery::PinVerifier::Outcome;
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(*verifier.Verify("x" + std::to_string(i), "00000000"), Pin::kWrong);
  }
  EXPECT_EQ(verifier.Tracked(), 0u);
  const std::vector<std::string> numbers = CaseNumbers();
  ASSERT_GE(numbers.size(), 3u);
  EXPECT_EQ(*verifier.Verify(numbers[0], "00000000"), Pin::kWrong);
  EXPECT_EQ(*verifier.Verify(numbers[1], "00000000"), Pin::kWrong);
  EXPECT_EQ(*verifier.Verify(numbers[2], "00000000"), Pin::kLocked);  // full: fail closed
  EXPECT_EQ(verifier.Tracked(), 2u);
  clock.Advance(61);  // the first two have expired and make room
  EXPECT_EQ(*verifier.Verify(numbers[2], "00000000"), Pin::kWrong);
  EXPECT_EQ(verifier.Tracked(), 1u);
}

}  // namespace
}  // namespace quitt::adapters::cli
