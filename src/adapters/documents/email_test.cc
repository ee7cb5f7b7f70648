#include "adapters/documents/email.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "adapters/documents/pdf_letter.h"
#include "adapters/documents/template_store.h"
#include "adapters/documents/testing/smtp_sink.h"
#include "app/letters/delivery.h"
#include "app/letters/letter_fixtures.h"

namespace quitt::adapters::documents {
namespace {

namespace fs = std::filesystem;

using testing::SmtpSink;

SmtpConfig Config(const std::string& url, SmtpConfig::Tls tls, const std::string& ca_file = "") {
  SmtpConfig config;
  config.url = url;
  config.tls = tls;
  config.ca_file = ca_file;
  config.timeout_seconds = 10;
  return config;
}

EmailMessage SampleEmail(bool with_pdf) {
  const app::letters::LetterModel model = app::letters::SampleConsumerFirstReminder("de");
  Result<TemplateSet> set = TemplateSet::Load(std::string(QUITT_SOURCE_DIR) + "/templates");
  EXPECT_TRUE(set.ok());
  Result<RenderedMessage> rendered = set->Render(model, app::letters::Channel::kEmail);
  EXPECT_TRUE(rendered.ok());
  EmailMessage m;
  m.from_name = model.sender.address.name;
  m.from_address = "service@quitt.example";
  m.to_name = model.customer.name;
  m.to_address = model.customer_email;
  m.subject = rendered->Part("subject");
  m.text = rendered->Part("text");
  m.html = rendered->Part("html");
  m.message_key = app::letters::MessageKey(model, app::letters::Channel::kEmail, 1);
  m.date = domain::Timestamp::Parse("2026-07-01T07:30:00Z").value();
  if (with_pdf) {
    Result<RenderedMessage> letter = set->Render(model, app::letters::Channel::kLetter);
    PdfRenderer renderer;
    m.attachment = EmailAttachment{model.case_number->ToString() + ".pdf", "application/pdf",
                                   renderer.RenderPdf(model, *letter).value()};
  }
  return m;
}

// Parses a message with Python's email package (an independent MIME reader) and prints
// subject, recipient, the decoded text part and the attachment's name and size.
std::string ParseWithPython(const std::string& raw) {
  const fs::path file = fs::current_path() / "smtp_artefacts" / "parse.eml";
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << raw;
  const std::string script =
      "import email,email.policy,sys\n"
      "m=email.message_from_binary_file(open(sys.argv[1],'rb'),policy=email.policy.default)\n"
      "print('SUBJECT:'+m['subject'])\nprint('TO:'+m['to'])\n"
      "print('TEXT:'+m.get_body(('plain',)).get_content())\n"
      "print('HTML:'+str('Jetzt' in m.get_body(('html',)).get_content()))\n"
      "for a in m.iter_attachments(): print('ATTACHMENT:%s:%d:%s' % (a.get_filename(), "
      "len(a.get_content()), a.get_content()[:5]))\n";
  const fs::path py = file.parent_path() / "parse.py";
  std::ofstream(py) << script;
  std::string out;
  FILE* pipe =
      popen(("/usr/bin/python3 '" + py.string() + "' '" + file.string() + "'").c_str(), "r");
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  pclose(pipe);
  return out;
}

TEST(EmailTest, HeaderWordsEncodeUmlauts) {
  EXPECT_EQ(EncodeHeaderText("plain"), "plain");
  EXPECT_EQ(EncodeHeaderText("Jürgen"), "=?UTF-8?B?SsO8cmdlbg==?=");
  // Long text splits into several words, none longer than 75 characters, no split UTF-8 char.
  const std::string encoded = EncodeHeaderText(std::string(30, 'x') + "ääääääääääääääääääää");
  for (const auto& word : {encoded.substr(0, encoded.find("\r\n"))}) EXPECT_LE(word.size(), 75u);
  EXPECT_NE(encoded.find("\r\n =?UTF-8?B?"), std::string::npos);
}

TEST(EmailTest, QuotedPrintableAndBase64) {
  EXPECT_EQ(QuotedPrintable("Grüße = 1 \nok"), "Gr=C3=BC=C3=9Fe =3D 1=20\r\nok");
  EXPECT_EQ(Base64("Man"), "TWFu");
  EXPECT_EQ(Base64("Ma"), "TWE=");
  EXPECT_EQ(Base64("M"), "TQ==");
  EXPECT_EQ(Rfc5322Date(domain::Timestamp::Parse("2026-07-01T07:30:05Z").value()),
            "Wed, 01 Jul 2026 07:30:05 +0000");
}

TEST(EmailTest, MimeMessageIsReproducible) {
  EXPECT_EQ(BuildMimeMessage(SampleEmail(false)), BuildMimeMessage(SampleEmail(false)));
}

TEST(EmailTest, ArrivesAtLocalSmtpServerWithHeadersUmlautsAndAttachment) {
  SmtpSink sink;
  SmtpSender sender(Config(sink.url(), SmtpConfig::Tls::kStartTlsIfOffered));
  const EmailMessage message = SampleEmail(true);
  const Status status = sender.Send(message);
  ASSERT_TRUE(status.ok()) << status.ToString();
  ASSERT_TRUE(sink.Has(1));
  const std::string raw = sink.Message(1);
  EXPECT_NE(raw.find("Subject: =?UTF-8?B?"), std::string::npos);
  EXPECT_NE(raw.find("To: =?UTF-8?B?SsO8cmdlbiBNw7xsbGVy?= <juergen.mueller@example.org>"),
            std::string::npos);
  EXPECT_NE(raw.find("Message-ID: <Q-00012345-"), std::string::npos);
  EXPECT_NE(raw.find("Date: Wed, 01 Jul 2026 07:30:00 +0000"), std::string::npos);
  EXPECT_NE(raw.find("Content-Type: multipart/mixed"), std::string::npos);
  const std::string parsed = ParseWithPython(raw);
  EXPECT_NE(parsed.find("SUBJECT:Offene Forderung der Stadtwerke Beispielstadt GmbH: 421,41 €"),
            std::string::npos)
      << parsed;
  EXPECT_NE(parsed.find("TO:Jürgen Müller <juergen.mueller@example.org>"), std::string::npos)
      << parsed;
  EXPECT_NE(parsed.find("TEXT:Guten Tag Jürgen Müller,"), std::string::npos) << parsed;
  EXPECT_NE(parsed.find("HTML:True"), std::string::npos) << parsed;
  EXPECT_NE(parsed.find("ATTACHMENT:Q-00012345-9.pdf:" +
                        std::to_string(message.attachment->data.size()) + ":b'%PDF-'"),
            std::string::npos)
      << parsed;
}

TEST(EmailTest, StartTlsRequiredIsUsed) {
  const fs::path dir = fs::current_path() / "smtp_artefacts";
  fs::create_directories(dir);
  const std::string cert = (dir / "cert.pem").string();
  const std::string key = (dir / "key.pem").string();
  ASSERT_EQ(std::system(("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 "
                         "-addext subjectAltName=IP:127.0.0.1 -keyout '" +
                         key + "' -out '" + cert + "' 2>/dev/null")
                            .c_str()),
            0);
  SmtpSink sink({}, {"--tls", cert, key});
  SmtpSender sender(Config(sink.url(), SmtpConfig::Tls::kStartTlsRequired, cert));
  const Status status = sender.Send(SampleEmail(false));
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_TRUE(sink.Has(1));
  // Without STARTTLS the server refuses MAIL: the sender must not fall back to plain text.
  SmtpSender plain(Config(sink.url(), SmtpConfig::Tls::kNone));
  EXPECT_FALSE(plain.Send(SampleEmail(false)).ok());
}

TEST(EmailTest, PermanentRefusalIsABounceAndUnreachableIsTemporary) {
  SmtpSink sink({}, {"--reject", "example.org"});
  SmtpSender sender(Config(sink.url(), SmtpConfig::Tls::kNone));
  const Status refused = sender.Send(SampleEmail(false));
  EXPECT_EQ(refused.code(), StatusCode::kFailedPrecondition) << refused.ToString();
  SmtpSender nowhere(Config("smtp://127.0.0.1:" + std::to_string(testing::FreeLoopbackPort()),
                            SmtpConfig::Tls::kNone));
  EXPECT_EQ(nowhere.Send(SampleEmail(false)).code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace quitt::adapters::documents
