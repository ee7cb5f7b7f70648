#pragma once
// E-mail to customers: a MIME message (multipart/alternative text + HTML, optionally inside
// multipart/mixed with the letter PDF attached) sent over SMTP by libcurl, with STARTTLS.
// Non-ASCII header text is RFC 2047 encoded-words (UTF-8, base64); bodies are UTF-8
// quoted-printable (RFC 2045), lines CRLF. The Message-ID is derived from the message key
// (app/letters/delivery.h), so a resend after a crash carries the same id.
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "domain/date.h"

namespace quitt::adapters::documents {

struct EmailAttachment {
  std::string filename;      // "Q-00012345-9.pdf"
  std::string content_type;  // "application/pdf"
  std::string data;
};

struct EmailMessage {
  std::string from_name;
  std::string from_address;
  std::string to_name;
  std::string to_address;
  std::string subject;
  std::string text;
  std::string html;
  std::optional<EmailAttachment> attachment;
  std::string message_key;  // Message-ID local part
  domain::Timestamp date = domain::Timestamp::FromUnixMicros(0);
};

// "=?UTF-8?B?...?=" words when `text` is not plain ASCII, else `text` itself.
std::string EncodeHeaderText(std::string_view text);
std::string QuotedPrintable(std::string_view text);
std::string Base64(std::string_view data);
// "Wed, 01 Jul 2026 09:00:00 +0000"
std::string Rfc5322Date(domain::Timestamp time);
// The full message, CRLF line ends. Boundaries derive from the message key, so output is
// reproducible.
std::string BuildMimeMessage(const EmailMessage& message);

struct SmtpConfig {
  std::string url;  // "smtp://mail.example:587" (STARTTLS) or "smtps://...:465" (implicit TLS)
  std::string username;
  std::string password;
  enum class Tls { kNone, kStartTlsIfOffered, kStartTlsRequired };
  Tls tls = Tls::kStartTlsRequired;
  std::string ca_file;  // extra CA bundle (a test server's self-signed certificate)
  bool verify_peer = true;
  long timeout_seconds = 30;
};

// Sends over SMTP. Errors: Unavailable for temporary failures (connection, 4xx: retry later),
// FailedPrecondition for permanent refusals (5xx: record "bounced", switch channel).
class SmtpSender {
 public:
  explicit SmtpSender(SmtpConfig config) : config_(std::move(config)) {}
  Status Send(const EmailMessage& message) const;

 private:
  SmtpConfig config_;
};

}  // namespace quitt::adapters::documents
