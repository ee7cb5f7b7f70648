#include "adapters/documents/sms.h"

#include <curl/curl.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <vector>

namespace quitt::adapters::documents {
namespace {

// GSM 03.38 default alphabet as Unicode code points (ESC at 0x1B is not a character).
constexpr char32_t kGsmBasic[] = {
    U'@', U'£', U'$', U'¥', U'è', U'é', U'ù', U'ì', U'ò',  U'Ç', U'\n', U'Ø', U'ø', U'\r', U'Å',
    U'å', U'Δ', U'_', U'Φ', U'Γ', U'Λ', U'Ω', U'Π', U'Ψ',  U'Σ', U'Θ',  U'Ξ', U'Æ', U'æ',  U'ß',
    U'É', U' ', U'!', U'"', U'#', U'¤', U'%', U'&', U'\'', U'(', U')',  U'*', U'+', U',',  U'-',
    U'.', U'/', U'0', U'1', U'2', U'3', U'4', U'5', U'6',  U'7', U'8',  U'9', U':', U';',  U'<',
    U'=', U'>', U'?', U'¡', U'A', U'B', U'C', U'D', U'E',  U'F', U'G',  U'H', U'I', U'J',  U'K',
    U'L', U'M', U'N', U'O', U'P', U'Q', U'R', U'S', U'T',  U'U', U'V',  U'W', U'X', U'Y',  U'Z',
    U'Ä', U'Ö', U'Ñ', U'Ü', U'§', U'¿', U'a', U'b', U'c',  U'd', U'e',  U'f', U'g', U'h',  U'i',
    U'j', U'k', U'l', U'm', U'n', U'o', U'p', U'q', U'r',  U's', U't',  U'u', U'v', U'w',  U'x',
    U'y', U'z', U'ä', U'ö', U'ñ', U'ü', U'à'};
// Extension table, reached by ESC: two septets each.
constexpr char32_t kGsmExtension[] = {U'\f', U'^', U'{', U'}', U'\\', U'[', U'~', U']', U'|', U'€'};

bool In(const char32_t* begin, const char32_t* end, char32_t c) {
  for (const char32_t* p = begin; p != end; ++p) {
    if (*p == c) return true;
  }
  return false;
}

std::vector<char32_t> DecodeUtf8(std::string_view text) {
  std::vector<char32_t> out;
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char lead = static_cast<unsigned char>(text[i]);
    int extra = lead < 0x80           ? 0
                : (lead >> 5) == 0x6  ? 1
                : (lead >> 4) == 0xE  ? 2
                : (lead >> 3) == 0x1E ? 3
                                      : -1;
    if (extra < 0 || i + extra >= text.size() + (extra == 0 ? 1 : 0)) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    char32_t c = extra == 0 ? lead : (lead & (0x3F >> extra));
    bool ok = true;
    for (int k = 1; k <= extra; ++k) {
      const unsigned char next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) ok = false;
      c = (c << 6) | (next & 0x3F);
    }
    if (!ok) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    out.push_back(c);
    i += extra + 1;
  }
  return out;
}

// Counts parts greedily, never splitting an item of `width` units.
int CountSegments(const std::vector<int>& widths, int single, int per_part) {
  int total = 0;
  for (int w : widths) total += w;
  if (total == 0) return 0;
  if (total <= single) return 1;
  int parts = 1;
  int used = 0;
  for (int w : widths) {
    if (used + w > per_part) {
      ++parts;
      used = 0;
    }
    used += w;
  }
  return parts;
}

size_t CollectBody(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

}  // namespace

const char* SmsEncodingName(SmsEncoding encoding) {
  return encoding == SmsEncoding::kGsm7 ? "gsm7" : "ucs2";
}

SmsLength MeasureSms(std::string_view utf8) {
  const std::vector<char32_t> chars = DecodeUtf8(utf8);
  std::vector<int> gsm_widths;
  bool gsm = true;
  for (char32_t c : chars) {
    if (In(std::begin(kGsmBasic), std::end(kGsmBasic), c)) {
      gsm_widths.push_back(1);
    } else if (In(std::begin(kGsmExtension), std::end(kGsmExtension), c)) {
      gsm_widths.push_back(2);
    } else {
      gsm = false;
      break;
    }
  }
  SmsLength length;
  std::vector<int> widths;
  if (gsm) {
    widths = std::move(gsm_widths);
    length.encoding = SmsEncoding::kGsm7;
  } else {
    for (char32_t c : chars) widths.push_back(c > 0xFFFF ? 2 : 1);
    length.encoding = SmsEncoding::kUcs2;
  }
  for (int w : widths) length.units += w;
  length.segments = gsm ? CountSegments(widths, 160, 153) : CountSegments(widths, 70, 67);
  return length;
}

Result<SmsLength> CheckSms(const SmsMessage& message, int max_segments) {
  const std::string& to = message.to;
  bool number_ok = to.size() >= 8 && to.size() <= 16 && to[0] == '+' && to[1] != '0';
  for (size_t i = 1; i < to.size() && number_ok; ++i) number_ok = to[i] >= '0' && to[i] <= '9';
  if (!number_ok) return InvalidArgument("sms: field 'to' is not an E.164 number: '" + to + "'");
  const SmsLength length = MeasureSms(message.text);
  if (length.segments == 0) return InvalidArgument("sms: field 'text' is empty");
  if (length.segments > max_segments) {
    return InvalidArgument("sms: text needs " + std::to_string(length.segments) + " parts (" +
                           SmsEncodingName(length.encoding) + ", " + std::to_string(length.units) +
                           " units); at most " + std::to_string(max_segments) + " allowed");
  }
  return length;
}

Result<SmsReceipt> FileSmsSink::Send(const SmsMessage& message) {
  QUITT_ASSIGN_OR_RETURN(const SmsLength length, CheckSms(message, max_segments_));
  nlohmann::json line = {{"to", message.to},
                         {"text", message.text},
                         {"reference", message.reference},
                         {"encoding", SmsEncodingName(length.encoding)},
                         {"units", length.units},
                         {"segments", length.segments}};
  std::ofstream out(path_, std::ios::app | std::ios::binary);
  out << line.dump() << '\n';
  out.flush();
  if (!out) return Unavailable("sms sink: cannot write '" + path_ + "'");
  return SmsReceipt{"file-" + std::to_string(++sent_), length};
}

Result<SmsReceipt> HttpSmsGateway::Send(const SmsMessage& message) {
  QUITT_ASSIGN_OR_RETURN(const SmsLength length, CheckSms(message, config_.max_segments));
  const std::string body = nlohmann::json{
      {"from", config_.sender_id},
      {"to", message.to},
      {"text", message.text},
      {"reference", message.reference},
      {"encoding", SmsEncodingName(length.encoding)},
      {"segments",
       length.segments}}.dump();
  CURL* curl = curl_easy_init();
  if (!curl) return Internal("curl_easy_init failed");
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  std::string response;
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, config_.url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, CollectBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, config_.timeout_seconds);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  if (!config_.username.empty()) {
    curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(curl, CURLOPT_USERNAME, config_.username.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, config_.password.c_str());
  }
  const CURLcode code = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (code != CURLE_OK) {
    return Unavailable("sms " + config_.url + ": " + (error[0] ? error : curl_easy_strerror(code)));
  }
  if (status >= 500 || status == 429) {
    return Unavailable("sms " + config_.url + ": HTTP " + std::to_string(status));
  }
  if (status < 200 || status >= 300) {
    return FailedPrecondition("sms " + config_.url + ": HTTP " + std::to_string(status) + ": " +
                              response.substr(0, 200));
  }
  SmsReceipt receipt{"", length};
  const nlohmann::json parsed = nlohmann::json::parse(response, nullptr, false);
  if (parsed.is_object() && parsed.contains("id")) {
    receipt.provider_id =
        parsed["id"].is_string() ? parsed["id"].get<std::string>() : parsed["id"].dump();
  }
  return receipt;
}

}  // namespace quitt::adapters::documents
