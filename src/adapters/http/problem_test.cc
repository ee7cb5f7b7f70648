#include "adapters/http/problem.h"

#include <gtest/gtest.h>

namespace quitt::adapters::http {
namespace {

TEST(ProblemTest, OneTableMapsEveryStatusCode) {
  EXPECT_EQ(HttpStatusFor(StatusCode::kInvalidArgument), 422);
  EXPECT_EQ(HttpStatusFor(StatusCode::kNotFound), 404);
  EXPECT_EQ(HttpStatusFor(StatusCode::kAlreadyExists), 409);
  EXPECT_EQ(HttpStatusFor(StatusCode::kFailedPrecondition), 409);
  EXPECT_EQ(HttpStatusFor(StatusCode::kAborted), 409);
  EXPECT_EQ(HttpStatusFor(StatusCode::kUnavailable), 503);
  EXPECT_EQ(HttpStatusFor(StatusCode::kDataLoss), 500);
  EXPECT_EQ(HttpStatusFor(StatusCode::kInternal), 500);
}

TEST(ProblemTest, NamesTheFieldAndHidesInternalDetails) {
  HttpResponse invalid = ProblemFromStatus(InvalidArgument("due_date: is before the invoice date"));
  EXPECT_EQ(invalid.status, 422);
  EXPECT_EQ(invalid.content_type, "application/problem+json");
  auto j = nlohmann::json::parse(invalid.body);
  EXPECT_EQ(j["field"], "due_date");
  EXPECT_EQ(j["type"], "https://quitt.dev/problems/invalid-field");
  EXPECT_EQ(j["status"], 422);
  HttpResponse internal = ProblemFromStatus(Internal("sqlite: disk I/O error at /var/x"));
  EXPECT_EQ(internal.body.find("/var/x"), std::string::npos);
  HttpResponse sentence = ProblemFromStatus(NotFound("case 'Q-1' does not exist: gone"));
  EXPECT_FALSE(nlohmann::json::parse(sentence.body).contains("field"));
}

}  // namespace
}  // namespace quitt::adapters::http
