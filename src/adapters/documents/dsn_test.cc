#include "adapters/documents/dsn.h"

#include <gtest/gtest.h>

namespace quitt::adapters::documents {
namespace {

// Shaped like Postfix's bounce (RFC 3464 with text/rfc822-headers).
constexpr std::string_view kHardBounce =
    "From MAILER-DAEMON Mon Mar  2 10:00:00 2026\n"
    "Return-Path: <>\n"
    "Message-ID: <20260302100000.ABC@mx.example.org>\n"
    "Subject: Undelivered Mail Returned to Sender\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/report; report-type=delivery-status;\n"
    "\tboundary=\"B1\"\n"
    "\n"
    "--B1\n"
    "Content-Type: text/plain; charset=us-ascii\n"
    "\n"
    "I'm sorry to have to inform you that your message could not be delivered.\n"
    "\n"
    "--B1\n"
    "Content-Type: message/delivery-status\n"
    "\n"
    "Reporting-MTA: dns; mx.example.org\n"
    "\n"
    "Final-Recipient: rfc822; gone@example.de\n"
    "Action: failed\n"
    "Status: 5.1.1\n"
    "Diagnostic-Code: smtp; 550 5.1.1 <gone@example.de>: Recipient address rejected:\n"
    "    User unknown\n"
    "\n"
    "--B1\n"
    "Content-Type: text/rfc822-headers\n"
    "\n"
    "From: quitt Inkasso <service@quitt.example>\n"
    "Message-ID: <Q-00000011-7.de-b2c.first_notice_email.2026-03-02.email.1@quitt.example>\n"
    "Subject: Offene Forderung\n"
    "\n"
    "--B1--\n"
    "From MAILER-DAEMON Mon Mar  2 11:00:00 2026\n"
    "Message-ID: <delay@mx.example.org>\n"
    "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B2\"\n"
    "\n"
    "--B2\n"
    "Content-Type: message/delivery-status\n"
    "\n"
    "Final-Recipient: rfc822; slow@example.de\n"
    "Action: delayed\n"
    "Status: 4.4.1\n"
    "\n"
    "--B2\n"
    "Content-Type: message/rfc822\n"
    "\n"
    "Message-ID: <Q-00000012-5.de-b2c.first_notice_email.2026-03-02.email.1@quitt.example>\n"
    "\n"
    "--B2--\n"
    "From someone Mon Mar  2 12:00:00 2026\n"
    "Content-Type: text/plain\n"
    "\n"
    "Just a reply, not a report.\n";

TEST(DsnTest, ReadsHardBouncesAndDelaysFromAnMbox) {
  const DsnFile file = ParseDeliveryStatusNotifications(kHardBounce);
  EXPECT_TRUE(file.skipped.empty());
  const auto* statuses = &file.statuses;
  ASSERT_EQ(statuses->size(), 2u);
  const DeliveryStatus& hard = (*statuses)[0];
  EXPECT_EQ(hard.message_id, "Q-00000011-7.de-b2c.first_notice_email.2026-03-02.email.1");
  EXPECT_EQ(hard.recipient, "gone@example.de");
  EXPECT_EQ(hard.status, "5.1.1");
  EXPECT_TRUE(hard.permanent);
  EXPECT_NE(hard.diagnostic.find("User unknown"), std::string::npos) << hard.diagnostic;
  const DeliveryStatus& delay = (*statuses)[1];
  EXPECT_EQ(delay.message_id, "Q-00000012-5.de-b2c.first_notice_email.2026-03-02.email.1");
  EXPECT_FALSE(delay.permanent);
}

TEST(DsnTest, ASingleMessageWithCrlfWorksToo) {
  std::string eml(kHardBounce.substr(
      kHardBounce.find('\n') + 1,
      kHardBounce.find("From MAILER-DAEMON Mon Mar  2 11") - kHardBounce.find('\n') - 1));
  std::string crlf;
  for (char c : eml) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  const DsnFile file = ParseDeliveryStatusNotifications(crlf);
  const auto* statuses = &file.statuses;
  ASSERT_EQ(statuses->size(), 1u);
  EXPECT_TRUE((*statuses)[0].permanent);
}

TEST(DsnTest, AReportWithoutReturnedMessageIdIsSkippedAndTheRestRead) {
  // Message 2 is shaped like an Exchange NDR that returns no headers of the original.
  const std::string no_id =
      "From MAILER-DAEMON Mon Mar  2 10:30:00 2026\n"
      "Content-Type: multipart/report; report-type=delivery-status; boundary=x\n\n--x\n"
      "Content-Type: message/delivery-status\n\nAction: failed\nStatus: 5.0.0\n\n--x--\n";
  const std::string_view first = kHardBounce.substr(0, kHardBounce.find("From MAILER-DAEMON", 1));
  const std::string mbox =
      std::string(first) + no_id + std::string(kHardBounce.substr(first.size()));
  const DsnFile file = ParseDeliveryStatusNotifications(mbox);
  EXPECT_EQ(file.messages, 4);
  EXPECT_EQ(file.reports, 2);
  ASSERT_EQ(file.statuses.size(), 2u);
  EXPECT_TRUE(file.statuses[0].permanent);
  ASSERT_EQ(file.skipped.size(), 1u);
  EXPECT_EQ(file.skipped[0].position, 2);
  EXPECT_NE(file.skipped[0].reason.find("no returned Message-ID"), std::string::npos);
}

TEST(DsnTest, AContentTypeInsideTheReturnedHeadersDoesNotEndThePart) {
  const DsnFile file = ParseDeliveryStatusNotifications(
      "Content-Type: multipart/report; report-type=delivery-status; boundary=\"x\"\n\n--x\n"
      "Content-Type: message/delivery-status\n\nFinal-Recipient: rfc822; a@example.de\n"
      "Action: failed\nStatus: 5.1.1\n\n--x\nContent-Type: text/rfc822-headers\n\n"
      "From: service@quitt.example\nContent-Type: multipart/alternative; boundary=\"y\"\n"
      "Message-ID: <Q-00000011-7.k.email.1@quitt.example>\n\n--x--\n");
  EXPECT_TRUE(file.skipped.empty()) << file.skipped[0].reason;
  ASSERT_EQ(file.statuses.size(), 1u);
  EXPECT_EQ(file.statuses[0].message_id, "Q-00000011-7.k.email.1");
}

}  // namespace
}  // namespace quitt::adapters::documents
