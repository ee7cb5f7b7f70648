#include "common/text.h"

#include <gtest/gtest.h>

#include <string>

namespace quitt {
namespace {

TEST(Trim, RemovesAsciiWhitespaceAtBothEnds) {
  EXPECT_EQ(Trim("  a b \t\r\n"), "a b");
  EXPECT_EQ(Trim("\f\va"), "a");
  EXPECT_EQ(Trim("a"), "a");
  EXPECT_EQ(Trim(""), "");
  EXPECT_EQ(Trim(" \t\r\n\f\v"), "");
  EXPECT_EQ(Trim("\xC2\xA0x"), "\xC2\xA0x");  // a no-break space is not ASCII whitespace
}

TEST(Split, KeepsEmptyParts) {
  EXPECT_EQ(Split("a.b.c", '.').size(), 3u);
  EXPECT_EQ(Split("a..c", '.')[1], "");
  EXPECT_EQ(Split("", '.').size(), 1u);
}

// The check skips ASCII eight bytes at a time: every position of a multi-byte sequence relative
// to those words, and broken sequences after long ASCII runs, must be judged as byte by byte.
TEST(IsValidUtf8, AcceptsAndRefusesSequencesAtEveryOffset) {
  const std::string valid[] = {"\xC3\xA4", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\xEF\xBF\xBF"};
  const std::string invalid[] = {"\xC3",              // cut short
                                 "\xC0\xAF",          // overlong
                                 "\xE0\x80\xAF",      // overlong
                                 "\xED\xA0\x80",      // a surrogate
                                 "\xF4\x90\x80\x80",  // beyond U+10FFFF
                                 "\x80",              // a continuation byte alone
                                 "\xC3\x28",          // not followed by a continuation byte
                                 "\xFF"};
  for (std::size_t before = 0; before <= 17; ++before) {
    for (std::size_t after = 0; after <= 9; ++after) {
      const std::string head(before, 'a');
      const std::string tail(after, 'z');
      for (const auto& sequence : valid) {
        EXPECT_TRUE(IsValidUtf8(head + sequence + tail)) << before << "+" << after;
      }
      for (const auto& sequence : invalid) {
        // A sequence cut short at the very end stays invalid; in the middle the tail's first
        // byte would complete nothing either.
        EXPECT_FALSE(IsValidUtf8(head + sequence + tail)) << before << "+" << after;
      }
    }
  }
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8(std::string(1000, 'x')));
  EXPECT_FALSE(IsValidUtf8(std::string(1000, 'x') + "\xC3"));
}

}  // namespace
}  // namespace quitt
