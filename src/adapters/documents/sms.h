#pragma once
// SMS: how long a text is on the wire and how it is sent.
//
// Encoding (3GPP TS 23.038): a text that fits the GSM 7-bit default alphabet plus its
// extension table goes as GSM-7 (extension characters such as € [ ] { } cost two septets, an
// escape and the character); anything else goes as UCS-2 (UTF-16, characters outside the BMP
// cost two units). Segments (3GPP TS 23.040, concatenation header of 6 octets): GSM-7 160
// septets single / 153 per part, UCS-2 70 / 67 units; an escape pair or surrogate pair is never
// split across parts.
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace quitt::adapters::documents {

enum class SmsEncoding { kGsm7, kUcs2 };
const char* SmsEncodingName(SmsEncoding encoding);  // "gsm7" / "ucs2"

struct SmsLength {
  SmsEncoding encoding = SmsEncoding::kGsm7;
  int units = 0;     // septets (GSM-7) or UTF-16 code units (UCS-2)
  int segments = 0;  // 0 for an empty text
};

// Expects UTF-8 (invalid bytes count as UCS-2 replacement characters).
SmsLength MeasureSms(std::string_view utf8);

struct SmsMessage {
  std::string to;         // E.164, "+4915112345678"
  std::string text;       // UTF-8
  std::string reference;  // our message key, echoed by the provider in delivery reports
};

struct SmsReceipt {
  std::string provider_id;
  SmsLength length;
};

// Port for sending SMS. Errors: InvalidArgument (bad number, too long: do not retry),
// Unavailable (try again later), FailedPrecondition (provider refused permanently: bounce).
class SmsGateway {
 public:
  virtual ~SmsGateway() = default;
  virtual Result<SmsReceipt> Send(const SmsMessage& message) = 0;
};

// Checks number and length; shared by every gateway.
Result<SmsLength> CheckSms(const SmsMessage& message, int max_segments);

// Appends one JSON object per message to a file (tests, demo runs).
class FileSmsSink : public SmsGateway {
 public:
  explicit FileSmsSink(std::string path, int max_segments = 3)
      : path_(std::move(path)), max_segments_(max_segments) {}
  Result<SmsReceipt> Send(const SmsMessage& message) override;

 private:
  std::string path_;
  int max_segments_;
  int sent_ = 0;
};

struct HttpSmsConfig {
  std::string url;  // provider endpoint, e.g. "https://sms.example/api/v1/messages"
  std::string username;
  std::string password;  // or API key; sent as HTTP basic auth
  std::string sender_id = "quitt";
  int max_segments = 3;
  long timeout_seconds = 20;
};

// Generic HTTP provider: POSTs JSON {"from","to","text","reference","encoding","segments"} with
// basic auth; a 2xx answer is accepted and its body's "id" (if any) becomes provider_id.
class HttpSmsGateway : public SmsGateway {
 public:
  explicit HttpSmsGateway(HttpSmsConfig config) : config_(std::move(config)) {}
  Result<SmsReceipt> Send(const SmsMessage& message) override;

 private:
  HttpSmsConfig config_;
};

}  // namespace quitt::adapters::documents
