#include "adapters/documents/dsn.h"

#include <algorithm>
#include <cctype>

namespace quitt::adapters::documents {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

// Lines with CR removed and folded header lines (starting with space or tab) joined.
std::vector<std::string> UnfoldedLines(std::string_view text) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string line(text.substr(pos, end - pos));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!lines.empty() && !line.empty() && (line[0] == ' ' || line[0] == '\t') &&
        !lines.back().empty()) {
      lines.back() += " " + std::string(Trim(line));
    } else {
      lines.push_back(std::move(line));
    }
    if (end == text.size()) break;
    pos = end + 1;
  }
  return lines;
}

// "Name: value" → value when the line's field name equals `name` (case-insensitive).
bool FieldValue(const std::string& line, std::string_view name, std::string& value) {
  if (line.size() <= name.size() || line[name.size()] != ':') return false;
  if (Lower(line.substr(0, name.size())) != Lower(name)) return false;
  value = std::string(Trim(std::string_view(line).substr(name.size() + 1)));
  return true;
}

// "rfc822; someone@example.org" → "someone@example.org"
std::string AfterType(const std::string& value) {
  const size_t semi = value.find(';');
  return semi == std::string::npos ? value : std::string(Trim(value.substr(semi + 1)));
}

// The boundary parameter of a Content-Type value ("multipart/report; boundary=\"B1\"").
std::string BoundaryOf(const std::string& content_type) {
  const std::string lower = Lower(content_type);
  size_t at = lower.find("boundary=");
  if (at == std::string::npos) return "";
  std::string value = content_type.substr(at + 9);
  if (!value.empty() && value.front() == '"') {
    value.erase(value.begin());
    return value.substr(0, value.find('"'));
  }
  return std::string(Trim(value.substr(0, value.find(';'))));
}

// The statuses of one message (none, with `is_report` false, for a message that is not a delivery
// status notification); an error for a notification without a returned Message-ID.
Result<std::vector<DeliveryStatus>> ParseOne(std::string_view message, bool& is_report) {
  std::vector<DeliveryStatus> out;
  const std::vector<std::string> lines = UnfoldedLines(message);
  // The top-level header ends at the first empty line; the DSN is below it.
  size_t i = 0;
  is_report = false;
  std::string boundary;
  for (; i < lines.size() && !lines[i].empty(); ++i) {
    std::string value;
    if (FieldValue(lines[i], "Content-Type", value)) {
      const std::string lower = Lower(value);
      is_report = lower.find("multipart/report") != std::string::npos &&
                  lower.find("delivery-status") != std::string::npos;
      boundary = BoundaryOf(value);
    }
  }
  if (!is_report) return out;
  if (boundary.empty()) return InvalidArgument("multipart/report without a boundary parameter");
  const std::string part_start = "--" + boundary;
  bool in_part_header = false, in_status = false, in_returned = false;
  std::string returned_id;
  DeliveryStatus current;
  auto flush = [&] {
    if (!current.action.empty()) out.push_back(current);
    current = DeliveryStatus{};
  };
  for (; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    std::string value;
    // Only a boundary line starts a part, and only the header block after it says what the part
    // is: the returned headers carry Content-Type lines of their own.
    if (line.rfind(part_start, 0) == 0 &&
        Trim(line.substr(part_start.size())).find_first_not_of('-') == std::string_view::npos) {
      flush();
      in_part_header = true;
      in_status = in_returned = false;
      continue;
    }
    if (in_part_header) {
      if (line.empty()) {
        in_part_header = false;
      } else if (FieldValue(line, "Content-Type", value)) {
        const std::string lower = Lower(value);
        in_status = lower.find("message/delivery-status") != std::string::npos;
        in_returned = lower.find("rfc822") != std::string::npos;
      }
      continue;
    }
    if (in_status) {
      if (line.empty()) {
        flush();  // per-recipient field groups are separated by empty lines
      } else if (FieldValue(line, "Final-Recipient", value)) {
        current.recipient = AfterType(value);
      } else if (FieldValue(line, "Action", value)) {
        current.action = Lower(value);
      } else if (FieldValue(line, "Status", value)) {
        current.status = value.substr(0, value.find(' '));
      } else if (FieldValue(line, "Diagnostic-Code", value)) {
        current.diagnostic = AfterType(value);
      }
    } else if (in_returned && returned_id.empty() && FieldValue(line, "Message-ID", value)) {
      std::string id = value;
      if (!id.empty() && id.front() == '<') id.erase(id.begin());
      id = id.substr(0, id.find_first_of("@>"));
      returned_id = id;
    }
  }
  flush();
  if (returned_id.empty()) {
    return InvalidArgument("no returned Message-ID (text/rfc822-headers or message/rfc822)");
  }
  for (DeliveryStatus& status : out) {
    status.message_id = returned_id;
    status.permanent =
        status.action == "failed" && !status.status.empty() && status.status[0] == '5';
  }
  return out;
}

}  // namespace

DsnFile ParseDeliveryStatusNotifications(std::string_view text) {
  // mbox: messages start with "From " at the beginning of a line.
  std::vector<std::string_view> messages;
  if (text.substr(0, 5) == "From ") {
    size_t start = 0;
    while (start < text.size()) {
      size_t next = text.find("\nFrom ", start);
      const size_t end = next == std::string_view::npos ? text.size() : next + 1;
      std::string_view message = text.substr(start, end - start);
      message.remove_prefix(std::min(message.size(), message.find('\n') + 1));  // "From " line
      messages.push_back(message);
      start = end;
    }
  } else {
    messages.push_back(text);
  }
  DsnFile file;
  file.messages = static_cast<int>(messages.size());
  int index = 0;
  for (std::string_view message : messages) {
    ++index;
    bool is_report = false;
    auto one = ParseOne(message, is_report);
    if (!one.ok()) {
      file.skipped.push_back({index, one.error().message()});
      continue;
    }
    if (is_report) ++file.reports;
    file.statuses.insert(file.statuses.end(), one->begin(), one->end());
  }
  return file;
}

}  // namespace quitt::adapters::documents
