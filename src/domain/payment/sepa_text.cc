#include "domain/payment/sepa_text.h"

#include "common/text.h"

namespace quitt::domain::payment {

bool IsSepaIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("/-?:().,'+ ").find(c) != std::string_view::npos;
}

Result<std::string> SepaText(const std::string& field, std::string_view value,
                             std::size_t max_chars) {
  std::string out;
  std::size_t chars = 0;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    ++chars;
    if (c < 0x80) {
      if (IsSepaIdChar(static_cast<char>(c)) || c == '&') {
        out.push_back(static_cast<char>(c));
        continue;
      }
      return InvalidArgument(field + " '" + std::string(value) + "' contains '" +
                             std::string(1, static_cast<char>(c)) +
                             "', outside the SEPA character set");
    }
    if (c == 0xC3 && i + 1 < value.size()) {
      const auto next = static_cast<unsigned char>(value[i + 1]);
      ++i;
      switch (next) {
        case 0x84:
        case 0x96:
        case 0x9C:
        case 0xA4:
        case 0xB6:
        case 0xBC:
        case 0x9F:
          out.push_back(static_cast<char>(c));  // Ä Ö Ü ä ö ü ß stay
          out.push_back(static_cast<char>(next));
          continue;
        case 0xA0:
        case 0xA1:
        case 0xA2:
        case 0xA3:
        case 0xA5: out.push_back('a'); continue;
        case 0x80:
        case 0x81:
        case 0x82:
        case 0x83:
        case 0x85: out.push_back('A'); continue;
        case 0xA8:
        case 0xA9:
        case 0xAA:
        case 0xAB: out.push_back('e'); continue;
        case 0x88:
        case 0x89:
        case 0x8A:
        case 0x8B: out.push_back('E'); continue;
        case 0xAC:
        case 0xAD:
        case 0xAE:
        case 0xAF: out.push_back('i'); continue;
        case 0xB2:
        case 0xB3:
        case 0xB4:
        case 0xB5:
        case 0xB8: out.push_back('o'); continue;
        case 0xB9:
        case 0xBA:
        case 0xBB: out.push_back('u'); continue;
        case 0xA7: out.push_back('c'); continue;
        case 0x87: out.push_back('C'); continue;
        case 0xB1: out.push_back('n'); continue;
        default: break;
      }
    }
    return InvalidArgument(field + " '" + std::string(value) +
                           "' contains a character outside the SEPA character set");
  }
  if (Trim(out).empty()) return InvalidArgument(field + " is empty");
  if (chars > max_chars) {
    return InvalidArgument(field + " has " + std::to_string(chars) + " characters, at most " +
                           std::to_string(max_chars));
  }
  return out;
}

}  // namespace quitt::domain::payment
