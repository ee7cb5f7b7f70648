#pragma once
// Small text helpers shared by every layer: trimming, case folding of ASCII, UTF-8 checks.
#include <string>
#include <string_view>
#include <vector>

namespace quitt {

std::string_view Trim(std::string_view text);
std::string ToLowerAscii(std::string_view text);
std::string ToUpperAscii(std::string_view text);
bool StartsWith(std::string_view text, std::string_view prefix);
std::vector<std::string_view> Split(std::string_view text, char separator);
// True when `text` is well-formed UTF-8 (no overlongs, no surrogates).
bool IsValidUtf8(std::string_view text);
// Windows-1252 (a superset of ISO 8859-1 used by German Excel exports) to UTF-8.
std::string Windows1252ToUtf8(std::string_view text);

}  // namespace quitt
