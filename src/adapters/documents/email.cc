#include "adapters/documents/email.h"

#include <curl/curl.h>

#include <array>
#include <cstring>

#include "common/sha256.h"

namespace quitt::adapters::documents {
namespace {

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

bool IsAscii(std::string_view text) {
  for (unsigned char c : text) {
    if (c >= 0x80 || c == '\r' || c == '\n') return false;
  }
  return true;
}

// Base64 with CRLF every 76 characters, as MIME bodies want.
std::string Base64Lines(std::string_view data) {
  const std::string flat = Base64(data);
  std::string out;
  for (size_t i = 0; i < flat.size(); i += 76) out += flat.substr(i, 76) + "\r\n";
  return out;
}

// Length of the UTF-8 sequence starting with `lead`.
size_t Utf8Length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 1;
}

std::string Address(const std::string& name, const std::string& address) {
  if (name.empty()) return "<" + address + ">";
  return EncodeHeaderText(name) + " <" + address + ">";
}

struct Upload {
  const std::string* data;
  size_t offset = 0;
};

size_t ReadUpload(char* buffer, size_t size, size_t count, void* user) {
  Upload* upload = static_cast<Upload*>(user);
  const size_t room = size * count;
  const size_t left = upload->data->size() - upload->offset;
  const size_t n = left < room ? left : room;
  std::memcpy(buffer, upload->data->data() + upload->offset, n);
  upload->offset += n;
  return n;
}

}  // namespace

std::string Base64(std::string_view data) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(data[i]) << 16) |
                       (static_cast<unsigned char>(data[i + 1]) << 8) |
                       static_cast<unsigned char>(data[i + 2]);
    out += kBase64[(v >> 18) & 63];
    out += kBase64[(v >> 12) & 63];
    out += kBase64[(v >> 6) & 63];
    out += kBase64[v & 63];
  }
  if (i < data.size()) {
    unsigned v = static_cast<unsigned char>(data[i]) << 16;
    if (i + 1 < data.size()) v |= static_cast<unsigned char>(data[i + 1]) << 8;
    out += kBase64[(v >> 18) & 63];
    out += kBase64[(v >> 12) & 63];
    out += i + 1 < data.size() ? kBase64[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string EncodeHeaderText(std::string_view text) {
  if (IsAscii(text)) return std::string(text);
  // Encoded-words are at most 75 characters (RFC 2047 section 2); split between whole UTF-8
  // characters so no word carries half a character. 45 bytes → 60 base64 chars + 12 framing.
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = pos;
    while (end < text.size()) {
      const size_t len = Utf8Length(static_cast<unsigned char>(text[end]));
      if (end + len - pos > 45) break;
      end += len;
    }
    if (end == pos) end = pos + 1;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64(text.substr(pos, end - pos)) + "?=";
    pos = end;
  }
  return out;
}

std::string QuotedPrintable(std::string_view text) {
  static const char* const kHex = "0123456789ABCDEF";
  std::string out;
  size_t line = 0;
  auto emit = [&](const std::string& piece) {
    if (line + piece.size() > 75) {
      out += "=\r\n";
      line = 0;
    }
    out += piece;
    line += piece.size();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      out += "\r\n";
      line = 0;
      continue;
    }
    if (c == '\r') continue;
    const bool at_line_end = i + 1 == text.size() || text[i + 1] == '\n' || text[i + 1] == '\r';
    if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !at_line_end)) {
      emit(std::string(1, static_cast<char>(c)));
    } else {
      emit(std::string{'=', kHex[c >> 4], kHex[c & 15]});
    }
  }
  return out;
}

std::string Rfc5322Date(domain::Timestamp time) {
  static constexpr std::array<const char*, 7> kDays = {"Mon", "Tue", "Wed", "Thu",
                                                       "Fri", "Sat", "Sun"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const domain::Date day = time.UtcDate();
  std::int64_t seconds =
      time.unix_micros() / 1000000 - static_cast<std::int64_t>(day.days_since_epoch()) * 86400;
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%s, %02d %s %04d %02d:%02d:%02d +0000",
                kDays[day.iso_weekday() - 1], day.day(), kMonths[day.month() - 1], day.year(),
                static_cast<int>(seconds / 3600), static_cast<int>(seconds / 60 % 60),
                static_cast<int>(seconds % 60));
  return buffer;
}

std::string BuildMimeMessage(const EmailMessage& m) {
  const std::string seed = ToHex(Sha256Of(m.message_key + m.subject)).substr(0, 24);
  const std::string alt = "quitt-alt-" + seed;
  const std::string mixed = "quitt-mix-" + seed;
  const std::string domain = m.from_address.substr(m.from_address.find('@') + 1);
  std::string out;
  out += "From: " + Address(m.from_name, m.from_address) + "\r\n";
  out += "To: " + Address(m.to_name, m.to_address) + "\r\n";
  out += "Subject: " + EncodeHeaderText(m.subject) + "\r\n";
  out += "Date: " + Rfc5322Date(m.date) + "\r\n";
  out += "Message-ID: <" + m.message_key + "@" + domain + ">\r\n";
  out += "MIME-Version: 1.0\r\n";
  std::string alternative;
  alternative += "--" + alt +
                 "\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                 "Content-Transfer-Encoding: quoted-printable\r\n\r\n" +
                 QuotedPrintable(m.text) + "\r\n";
  alternative += "--" + alt +
                 "\r\nContent-Type: text/html; charset=UTF-8\r\n"
                 "Content-Transfer-Encoding: quoted-printable\r\n\r\n" +
                 QuotedPrintable(m.html) + "\r\n";
  alternative += "--" + alt + "--\r\n";
  if (!m.attachment) {
    out += "Content-Type: multipart/alternative; boundary=\"" + alt + "\"\r\n\r\n" + alternative;
    return out;
  }
  out += "Content-Type: multipart/mixed; boundary=\"" + mixed + "\"\r\n\r\n";
  out += "--" + mixed + "\r\nContent-Type: multipart/alternative; boundary=\"" + alt +
         "\"\r\n\r\n" + alternative;
  out += "--" + mixed + "\r\nContent-Type: " + m.attachment->content_type + "; name=\"" +
         m.attachment->filename +
         "\"\r\nContent-Transfer-Encoding: base64\r\n"
         "Content-Disposition: attachment; filename=\"" +
         m.attachment->filename + "\"\r\n\r\n" + Base64Lines(m.attachment->data);
  out += "--" + mixed + "--\r\n";
  return out;
}

Status SmtpSender::Send(const EmailMessage& message) const {
  const std::string payload = BuildMimeMessage(message);
  CURL* curl = curl_easy_init();
  if (!curl) return Internal("curl_easy_init failed");
  Upload upload{&payload};
  curl_slist* recipients = curl_slist_append(nullptr, ("<" + message.to_address + ">").c_str());
  const std::string from = "<" + message.from_address + ">";
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, config_.url.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadUpload);
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, config_.timeout_seconds);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  switch (config_.tls) {
    case SmtpConfig::Tls::kNone:
      curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_NONE));
      break;
    case SmtpConfig::Tls::kStartTlsIfOffered:
      curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
      break;
    case SmtpConfig::Tls::kStartTlsRequired:
      curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
      break;
  }
  if (!config_.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, config_.ca_file.c_str());
  if (!config_.verify_peer) {
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (!config_.username.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, config_.username.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, config_.password.c_str());
  }
  const CURLcode code = curl_easy_perform(curl);
  long response = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response);
  curl_slist_free_all(recipients);
  curl_easy_cleanup(curl);
  if (code == CURLE_OK) return OkStatus();
  const std::string detail = "smtp " + config_.url + " to " + message.to_address + ": " +
                             (error[0] ? error : curl_easy_strerror(code)) + " (reply " +
                             std::to_string(response) + ")";
  if (response >= 500) return FailedPrecondition(detail);
  return Unavailable(detail);
}

}  // namespace quitt::adapters::documents
