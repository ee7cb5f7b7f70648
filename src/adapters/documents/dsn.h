#pragma once
// Bounces that arrive later by mail: RFC 3464 delivery status notifications (multipart/report;
// report-type=delivery-status), read from an mbox file or a single message (.eml). Each
// notification names the bounced message by the Message-ID in its returned headers
// (text/rfc822-headers or message/rfc822 part) and says per recipient what happened
// (Action: failed|delayed|delivered|relayed|expanded, Status: class.subject.detail, RFC 3463).
// Only permanent failures (Action failed, Status 5.x.x) count as bounces; delays are ignored.
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace quitt::adapters::documents {

struct DeliveryStatus {
  std::string message_id;  // local part of the returned Message-ID ("Q-...email.1")
  std::string recipient;   // Final-Recipient without the "rfc822;" type
  std::string action;      // "failed", "delayed", ...
  std::string status;      // "5.1.1"
  std::string diagnostic;  // Diagnostic-Code without the type
  bool permanent = false;  // action failed and status class 5
};

// A notification that could not be used, by its position in the file (1 = first message).
struct SkippedMessage {
  int position = 0;
  std::string reason;  // "no returned Message-ID (text/rfc822-headers or message/rfc822)"
};

struct DsnFile {
  int messages = 0;  // messages in the file
  int reports = 0;   // of them delivery status notifications that could be read
  std::vector<DeliveryStatus> statuses;
  std::vector<SkippedMessage> skipped;  // e.g. Exchange NDRs that return no Message-ID
};

// Every notification in `text` (mbox with "From " separators, or one message). Messages that
// are not delivery status notifications are passed over; a notification that cannot be used (no
// returned Message-ID, no boundary) is listed in `skipped` and the rest are read: one odd
// message must not hold up the bounces of a whole mailbox.
DsnFile ParseDeliveryStatusNotifications(std::string_view text);

}  // namespace quitt::adapters::documents
