// End-to-end tests of the API: a real server on 127.0.0.1 (port 0), spoken to over HTTP, once over
// a temporary SQLite file and once over a fresh schema of a throw-away PostgreSQL cluster (one
// cluster for the whole program, tests/pg/pg_cluster.sh).
#include "adapters/http/api.h"

#include <gtest/gtest.h>

#include <set>

#include "adapters/cli/strategy_files.h"
#include "adapters/http/testing/test_server.h"
#include "adapters/http/webhook_delivery.h"
#include "adapters/storage/postgres/pg_test_schema.h"

namespace quitt::adapters::http {
namespace {

using testing::Reply;
using testing::TestServer;

std::string ClaimJson(const std::string& ref, const std::string& customer,
                      const std::string& amount = "120.50") {
  return nlohmann::json{{"client_reference", ref},
                        {"customer_reference", customer},
                        {"name", "Erika Mustermann"},
                        {"street", "Hauptstr. 1"},
                        {"postcode", "10115"},
                        {"city", "Berlin"},
                        {"invoice_date", "2025-01-02"},
                        {"due_date", "2025-01-16"},
                        {"amount", amount},
                        {"currency", "EUR"}}
      .dump();
}

[[maybe_unused]] ::testing::Environment* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new postgres::ClusterEnvironment);

enum class Backend { kSqlite, kPostgres };

// The daily run as `quitt serve` wires it, with the shipped strategies.
ApiOptions RunOptions() {
  ApiOptions options;
  options.run_day = [](app::CaseStore& store, domain::Date as_of,
                       std::optional<int> partitions) -> Result<app::RunSummary> {
    QUITT_ASSIGN_OR_RETURN(app::StrategyBook book,
                           cli::LoadStrategyBook(QUITT_SOURCE_DIR "/strategies", store));
    app::FixedClock clock(*domain::Timestamp::Parse("2025-03-10T05:00:00Z"));
    app::RunOptions run;
    run.as_of = as_of;
    run.partitions = partitions.value_or(4);
    run.worker = "api-test";
    return app::RunDay(store, clock, book, run);
  };
  return options;
}

std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
}

class ApiTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string location;
    if (GetParam() == Backend::kPostgres) {
      if (postgres::TestCluster() == nullptr) GTEST_SKIP() << "no PostgreSQL installed";
      location = postgres::FreshSchemaUrl();
    }
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (char& c : name) {
      if (c == '/') c = '_';
    }
    holder_ = std::make_unique<TestServer>(name, location, RunOptions());
    acme_ = server_->AddClient("ACME");
    beta_ = server_->AddClient("BETA");
    acme_key_ = server_->AddKey(acme_);
    beta_key_ = server_->AddKey(beta_);
  }

  // Hands over one claim as ACME and returns its case number.
  std::string AcmeCase(const std::string& ref = "INV-1", const std::string& customer = "C-1") {
    Reply reply = server_->Post("/api/v1/claims", acme_key_, ClaimJson(ref, customer));
    EXPECT_EQ(reply.status, 201) << reply.body;
    return reply.json().value("case_number", "");
  }

  std::unique_ptr<TestServer> holder_;
  // Tests read as if the server were a member.
  struct Forward {
    std::unique_ptr<TestServer>& server;
    TestServer* operator->() { return server.get(); }
  } server_{holder_};
  domain::Client acme_, beta_;
  std::string acme_key_, beta_key_;
};

TEST_P(ApiTest, HealthAndMetricsNeedNoKey) {
  Reply health = testing::Call(server_->port(), "GET", "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.json()["status"], "ok");
  Reply metrics = testing::Call(server_->port(), "GET", "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("quitt_http_requests_total{method=\"GET\",route=\"/healthz\","
                              "status=\"200\"} 1"),
            std::string::npos)
      << metrics.body;
}

TEST_P(ApiTest, ApiNeedsAKnownKey) {
  EXPECT_EQ(testing::Call(server_->port(), "GET", "/api/v1/cases").status, 401);
  EXPECT_EQ(server_->Get("/api/v1/cases", "qk_1_" + std::string(64, 'a')).status, 401);
  EXPECT_EQ(server_->Get("/api/v1/cases", "nonsense").status, 401);
}

TEST_P(ApiTest, ClaimBecomesACaseWithDetailHistoryAndMoneyAsString) {
  const std::string number = AcmeCase();
  ASSERT_FALSE(number.empty());
  Reply detail = server_->Get("/api/v1/cases/" + number, acme_key_);
  ASSERT_EQ(detail.status, 200) << detail.body;
  auto j = detail.json();
  EXPECT_EQ(j["case_number"], number);
  EXPECT_EQ(j["principal"]["amount"], "120.50");
  EXPECT_EQ(j["principal"]["currency"], "EUR");
  EXPECT_EQ(j["claims"][0]["client_reference"], "INV-1");
  Reply history = server_->Get("/api/v1/cases/" + number + "/history", acme_key_);
  ASSERT_EQ(history.status, 200);
  EXPECT_EQ(history.json()["events"].size(), 2u);  // case_opened, claim_added
  Reply claim = server_->Get("/api/v1/claims/INV-1", acme_key_);
  ASSERT_EQ(claim.status, 200) << claim.body;
  EXPECT_EQ(claim.json()["case_number"], number);
}

TEST_P(ApiTest, NotesRecallAndDirectPaymentsAppendEvents) {
  const std::string number = AcmeCase();
  Reply note = server_->Post("/api/v1/cases/" + number + "/notes", acme_key_,
                             R"({"text":"customer called"})");
  EXPECT_EQ(note.status, 201) << note.body;
  Reply payment = server_->Post("/api/v1/cases/" + number + "/direct-payments", acme_key_,
                                R"({"amount":"20.00","currency":"EUR","paid_on":"2025-03-01"})");
  EXPECT_EQ(payment.status, 201) << payment.body;
  Reply wrong_currency =
      server_->Post("/api/v1/cases/" + number + "/direct-payments", acme_key_,
                    R"({"amount":"20.00","currency":"USD","paid_on":"2025-03-01"})");
  EXPECT_EQ(wrong_currency.status, 422);
  EXPECT_EQ(wrong_currency.json()["field"], "currency");
  Reply recall = server_->Post("/api/v1/cases/" + number + "/recall", acme_key_,
                               R"({"remark":"settled with us"})");
  EXPECT_EQ(recall.status, 200) << recall.body;
  EXPECT_EQ(recall.json()["status"], "closed");
  Reply again = server_->Post("/api/v1/cases/" + number + "/recall", acme_key_, "{}");
  EXPECT_EQ(again.status, 409);
  auto history = server_->Get("/api/v1/cases/" + number + "/history", acme_key_).json();
  ASSERT_EQ(history["events"].size(), 5u);
  EXPECT_EQ(history["events"][3]["payload"]["text"],
            "Direct payment reported by the client: 20.00 EUR paid on 2025-03-01");
  EXPECT_EQ(history["events"][4]["type"], "case_closed");
  EXPECT_EQ(history["events"][4]["actor"].get<std::string>().rfind("key:", 0), 0u);
}

TEST_P(ApiTest, BulkHandOverIsAllOrNothingAndNamesTheField) {
  std::string bad =
      R"({"claims":[)" + ClaimJson("B-1", "C-1") + "," + ClaimJson("B-2", "C-2", "12,3x") + "]}";
  Reply rejected = server_->Post("/api/v1/claims/bulk", acme_key_, bad);
  EXPECT_EQ(rejected.status, 422) << rejected.body;
  EXPECT_EQ(rejected.json()["field"], "claims[1].amount");
  EXPECT_EQ(server_->Get("/api/v1/cases", acme_key_).json()["cases"].size(), 0u);
  std::string good =
      R"({"claims":[)" + ClaimJson("B-1", "C-1") + "," + ClaimJson("B-2", "C-2") + "]}";
  Reply accepted = server_->Post("/api/v1/claims/bulk", acme_key_, good);
  EXPECT_EQ(accepted.status, 201) << accepted.body;
  EXPECT_EQ(accepted.json()["imported"], 2);
  EXPECT_EQ(accepted.json()["cases_opened"], 2);
  Reply repeat = server_->Post("/api/v1/claims/bulk", acme_key_, good);
  EXPECT_EQ(repeat.status, 200);
  EXPECT_EQ(repeat.json()["unchanged"], 2);
}

TEST_P(ApiTest, IdempotencyKeyReplaysTheFirstResponse) {
  auto key = std::vector<std::pair<std::string, std::string>>{{"Idempotency-Key", "k-1"}};
  Reply first = server_->Post("/api/v1/claims", acme_key_, ClaimJson("I-1", "C-1"), key);
  ASSERT_EQ(first.status, 201);
  Reply second = server_->Post("/api/v1/claims", acme_key_, ClaimJson("I-1", "C-1"), key);
  EXPECT_EQ(second.status, 201);
  EXPECT_EQ(second.body, first.body);
  EXPECT_EQ(second.headers["idempotent-replayed"], "true");
  Reply other = server_->Post("/api/v1/claims", acme_key_, ClaimJson("I-2", "C-1"), key);
  EXPECT_EQ(other.status, 422);
  // Keys are per client: BETA may use the same key text for its own request.
  Reply beta = server_->Post("/api/v1/claims", beta_key_, ClaimJson("I-1", "C-1"), key);
  EXPECT_EQ(beta.status, 201);
}

TEST_P(ApiTest, CaseListFiltersAndPagesWithACursor) {
  for (int i = 0; i < 5; ++i) {
    AcmeCase("P-" + std::to_string(i), "C-" + std::to_string(i));
  }
  Reply page1 = server_->Get("/api/v1/cases?limit=2", acme_key_);
  ASSERT_EQ(page1.status, 200);
  auto j1 = page1.json();
  ASSERT_EQ(j1["cases"].size(), 2u);
  ASSERT_TRUE(j1["next_cursor"].is_string());
  Reply page2 = server_->Get("/api/v1/cases?limit=2&cursor=" + j1["next_cursor"].get<std::string>(),
                             acme_key_);
  auto j2 = page2.json();
  ASSERT_EQ(j2["cases"].size(), 2u);
  EXPECT_NE(j2["cases"][0]["case_number"], j1["cases"][0]["case_number"]);
  EXPECT_EQ(server_->Get("/api/v1/cases?status=closed", acme_key_).json()["cases"].size(), 0u);
  EXPECT_EQ(server_->Get("/api/v1/cases?min_amount=1000.00", acme_key_).json()["cases"].size(), 0u);
  Reply bad = server_->Get("/api/v1/cases?limit=9999", acme_key_);
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.json()["field"], "limit");
  EXPECT_EQ(server_->Get("/api/v1/cases?colour=red", acme_key_).status, 422);
}

// Every route that names something, called by BETA with ACME's ids: 404 every time, and ACME's
// data stays as it was.
TEST_P(ApiTest, AnotherClientsIdsAreNotFoundOnEveryRoute) {
  const std::string number = AcmeCase();
  auto hook = server_->Post("/api/v1/webhooks", acme_key_, R"({"url":"http://127.0.0.1:9/x"})");
  ASSERT_EQ(hook.status, 201);
  const std::string hook_id = std::to_string(hook.json()["id"].get<int>());
  const std::string before = server_->Get("/api/v1/cases/" + number + "/history", acme_key_).body;
  struct Probe {
    std::string method, target, body;
  };
  const std::vector<Probe> probes = {
      {"GET", "/api/v1/clients/ACME", ""},
      {"GET", "/api/v1/cases?client=ACME", ""},
      {"GET", "/api/v1/cases/" + number, ""},
      {"GET", "/api/v1/cases/" + number + "/history", ""},
      {"POST", "/api/v1/cases/" + number + "/notes", R"({"text":"x"})"},
      {"POST", "/api/v1/cases/" + number + "/recall", "{}"},
      {"POST", "/api/v1/cases/" + number + "/direct-payments",
       R"({"amount":"1.00","currency":"EUR","paid_on":"2025-03-01"})"},
      {"POST", "/api/v1/claims?client=ACME", ClaimJson("X-1", "C-9")},
      {"POST", "/api/v1/claims/bulk?client=ACME",
       R"({"claims":[)" + ClaimJson("X-2", "C-9") + "]}"},
      {"GET", "/api/v1/claims/INV-1", ""},
      {"POST", "/api/v1/claims/INV-1/recall", "{}"},
      {"GET", "/api/v1/webhooks?client=ACME", ""},
      {"POST", "/api/v1/webhooks?client=ACME", R"({"url":"http://127.0.0.1:9/y"})"},
      {"DELETE", "/api/v1/webhooks/" + hook_id, ""},
      {"GET", "/api/v1/audit?client=ACME", ""},
      {"PATCH", "/api/v1/cases/" + number + "/contact-preferences",
       R"({"opt_out":["sms"],"source":"x"})"},
  };
  std::set<std::string> covered;
  for (const auto& probe : probes) {
    Reply reply = testing::Call(server_->port(), probe.method, probe.target, probe.body,
                                {{"Authorization", "Bearer " + beta_key_}});
    EXPECT_EQ(reply.status, 404) << probe.method << " " << probe.target << ": " << reply.body;
    HttpRequest request;
    request.method = probe.method;
    request.target = probe.target;
    covered.insert(probe.method + " " + Api::RouteOf(request));
  }
  // Every route with an id or a client in it is probed.
  for (const auto& route : Api::Routes()) {
    // Tracking tokens (/t/{token}) are public and name no client: not probed.
    if (route.pattern.find('{') != std::string::npos && route.pattern != "/api/v1/clients" &&
        route.pattern.rfind("/t/", 0) != 0) {
      EXPECT_TRUE(covered.count(route.method + " " + route.pattern)) << route.pattern;
    }
  }
  EXPECT_EQ(server_->Get("/api/v1/cases/" + number + "/history", acme_key_).body, before);
  EXPECT_EQ(server_->Get("/api/v1/webhooks", acme_key_).json()["webhooks"].size(), 1u);
  EXPECT_EQ(server_->Get("/api/v1/cases", beta_key_).json()["cases"].size(), 0u);
}

TEST_P(ApiTest, OpenApiDocumentListsEveryRouteAndEveryDocumentedRouteAnswers) {
  Reply doc = testing::Call(server_->port(), "GET", "/api/v1/openapi.json");
  ASSERT_EQ(doc.status, 200);
  auto j = doc.json();
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j["openapi"], "3.1.0");
  std::set<std::string> documented;
  for (const auto& [path, ops] : j["paths"].items()) {
    for (const auto& [method, op] : ops.items()) {
      std::string upper = method;
      for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      documented.insert(upper + " " + path);
    }
  }
  std::set<std::string> routed;
  for (const auto& route : Api::Routes()) routed.insert(route.method + " " + route.pattern);
  EXPECT_EQ(documented, routed);
  server_->AddUser("root", app::auth::Role::kAdmin);
  const std::string number = AcmeCase();
  for (const auto& entry : documented) {
    const std::string method = entry.substr(0, entry.find(' '));
    std::string target = entry.substr(entry.find(' ') + 1);
    auto replace = [&](const std::string& name, const std::string& value) {
      auto at = target.find(name);
      if (at != std::string::npos) target.replace(at, name.size(), value);
    };
    replace("{case_number}", number);
    replace("{client_code}", "ACME");
    replace("{client_reference}", "INV-1");
    replace("{webhook_id}", "999");
    Reply reply = testing::Call(server_->port(), method, target, method == "GET" ? "" : "{}",
                                {{"Authorization", "Bearer " + acme_key_}});
    auto problem = reply.json();
    EXPECT_NE(reply.status, 405) << entry;
    EXPECT_FALSE(problem.is_object() &&
                 problem.value("type", "").find("no-such-route") != std::string::npos)
        << entry;
  }
}

TEST_P(ApiTest, HostileInputGets4xxAndChangesNothing) {
  const std::string number = AcmeCase();
  const std::string before = server_->Get("/api/v1/cases/" + number + "/history", acme_key_).body;
  const std::string notes = "/api/v1/cases/" + number + "/notes";
  // Oversized body (limit 256 KiB in the test server).
  Reply big =
      server_->Post(notes, acme_key_, "{\"text\":\"" + std::string(300 * 1024, 'a') + "\"}");
  EXPECT_EQ(big.status, 413);
  // Bad JSON, wrong types, unknown fields, deep nesting.
  Reply bad_json = server_->Post(notes, acme_key_, "{\"text\": ");
  EXPECT_EQ(bad_json.status, 400);
  EXPECT_EQ(bad_json.headers["content-type"], "application/problem+json");
  EXPECT_EQ(server_->Post(notes, acme_key_, R"({"text": 12})").json()["field"], "text");
  EXPECT_EQ(server_->Post(notes, acme_key_, R"({"txt": "a"})").status, 422);
  EXPECT_EQ(server_->Post(notes, acme_key_, std::string(100, '[') + std::string(100, ']')).status,
            400);
  EXPECT_EQ(server_->Post(notes, acme_key_, "[]").status, 400);
  Reply number_amount =
      server_->Post("/api/v1/claims", acme_key_, R"({"client_reference":"Z","amount":12.5})");
  EXPECT_EQ(number_amount.status, 422);
  EXPECT_EQ(number_amount.json()["field"], "amount");
  // Wrong content type.
  EXPECT_EQ(
      testing::Call(server_->port(), "POST", notes, R"({"text":"x"})",
                    {{"Authorization", "Bearer " + acme_key_}, {"Content-Type", "text/plain"}})
          .status,
      415);
  // SQL metacharacters are data, never SQL.
  Reply sql = server_->Get("/api/v1/cases?name=%27%3B%20DROP%20TABLE%20cases%3B--", acme_key_);
  EXPECT_EQ(sql.status, 200);
  EXPECT_EQ(sql.json()["cases"].size(), 0u);
  EXPECT_EQ(server_->Get("/api/v1/claims/%27%20OR%201%3D1--", acme_key_).status, 404);
  // Path tricks.
  EXPECT_EQ(server_->Get("/api/v1/cases/..%2F..%2Fetc%2Fpasswd", acme_key_).status, 404);
  EXPECT_EQ(server_->Get("/api/v1/cases/%2e%2e", acme_key_).status, 404);
  EXPECT_EQ(server_->Get("/api/v1/cases/%zz", acme_key_).status, 404);
  EXPECT_EQ(server_->Get("/api/v1/../healthz", acme_key_).status, 404);
  EXPECT_EQ(server_->Get("/api/v1/cases/" + number + "%00", acme_key_).status, 404);
  EXPECT_EQ(testing::Call(server_->port(), "PUT", "/api/v1/cases").status, 405);
  // Nothing changed.
  EXPECT_EQ(server_->Get("/api/v1/cases/" + number + "/history", acme_key_).body, before);
  EXPECT_EQ(server_->Get("/healthz", acme_key_).status, 200);  // server still up
}

TEST_P(ApiTest, LoginSessionNeedsCsrfForWritesAndIsRateLimited) {
  server_->AddUser("anna", app::auth::Role::kAgent);
  const std::string number = AcmeCase();
  Reply login = testing::Call(server_->port(), "POST", "/api/v1/session",
                              R"({"username":"anna","password":"correct horse battery"})");
  ASSERT_EQ(login.status, 200) << login.body;
  const std::string cookie_header = login.headers["set-cookie"];
  ASSERT_EQ(cookie_header.rfind("quitt_session=", 0), 0u);
  EXPECT_NE(cookie_header.find("HttpOnly"), std::string::npos);
  const std::string cookie = cookie_header.substr(0, cookie_header.find(';'));
  const std::string csrf = login.json()["csrf_token"];
  // Staff see every client's cases.
  Reply read =
      testing::Call(server_->port(), "GET", "/api/v1/cases/" + number, "", {{"Cookie", cookie}});
  EXPECT_EQ(read.status, 200);
  const std::string notes = "/api/v1/cases/" + number + "/notes";
  EXPECT_EQ(
      testing::Call(server_->port(), "POST", notes, R"({"text":"x"})", {{"Cookie", cookie}}).status,
      403);
  EXPECT_EQ(testing::Call(server_->port(), "POST", notes, R"({"text":"x"})",
                          {{"Cookie", cookie}, {"X-CSRF-Token", csrf}})
                .status,
            201);
  // Agents may not create clients.
  EXPECT_EQ(
      testing::Call(server_->port(), "POST", "/api/v1/clients", R"({"code":"NEW","name":"New"})",
                    {{"Cookie", cookie}, {"X-CSRF-Token", csrf}})
          .status,
      403);
  // Sessions expire.
  server_->clock().Advance(9 * 3600);
  EXPECT_EQ(testing::Call(server_->port(), "GET", "/api/v1/cases", "", {{"Cookie", cookie}}).status,
            401);
  // Five wrong passwords lock the name out, also for the right password.
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(testing::Call(server_->port(), "POST", "/api/v1/session",
                            R"({"username":"anna","password":"wrong password"})")
                  .status,
              401);
  }
  EXPECT_EQ(testing::Call(server_->port(), "POST", "/api/v1/session",
                          R"({"username":"anna","password":"correct horse battery"})")
                .status,
            429);
}

TEST_P(ApiTest, EveryWriteIsAudited) {
  const std::string number = AcmeCase();
  (void)server_->Post("/api/v1/cases/" + number + "/notes", acme_key_, R"({"text":"hello"})");
  (void)server_->Post("/api/v1/cases/" + number + "/notes", acme_key_, R"({"text":5})");
  Reply audit = server_->Get("/api/v1/audit", acme_key_);
  ASSERT_EQ(audit.status, 200);
  auto entries = audit.json()["entries"];
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0]["action"], "POST /api/v1/claims");
  EXPECT_EQ(entries[1]["action"], "POST /api/v1/cases/{case_number}/notes");
  EXPECT_EQ(entries[1]["target"], number);
  EXPECT_EQ(entries[1]["status"], 201);
  EXPECT_EQ(entries[2]["status"], 422);
  EXPECT_EQ(entries[2]["actor"].get<std::string>().rfind("key:", 0), 0u);
  EXPECT_EQ(server_->Get("/api/v1/audit", beta_key_).json()["entries"].size(), 0u);
}

TEST_P(ApiTest, WebhooksAreSignedOrderedRetriedAndSurviveARestartOfTheWorker) {
  testing::Receiver receiver(/*fail_first=*/1);
  Reply hook =
      server_->Post("/api/v1/webhooks", acme_key_, nlohmann::json{{"url", receiver.url()}}.dump());
  ASSERT_EQ(hook.status, 201);
  const std::string secret = hook.json()["secret"];
  const std::string number = AcmeCase();  // 2 events
  (void)server_->Post("/api/v1/cases/" + number + "/notes", acme_key_, R"({"text":"n"})");
  (void)server_->Post("/api/v1/claims", beta_key_, ClaimJson("B-1", "C-1"));  // not ACME's
  {
    WebhookDelivery worker(server_->pool(), server_->clock());
    auto first = worker.RunOnce();
    ASSERT_TRUE(first.ok());
    EXPECT_EQ(*first, 0);  // the receiver failed the head of the queue; the rest waits
    EXPECT_EQ(*server_->auth_store().PendingDeliveries(acme_.id.value()), 3);
  }
  server_->clock().Advance(1);                                // first backoff is 1 s
  WebhookDelivery worker(server_->pool(), server_->clock());  // a new worker: state is in the db
  auto second = worker.RunOnce();
  ASSERT_TRUE(second.ok()) << second.error().ToString();
  EXPECT_EQ(*second, 3);
  auto deliveries = receiver.deliveries();
  ASSERT_EQ(deliveries.size(), 3u);
  for (std::size_t i = 0; i < deliveries.size(); ++i) {
    auto doc = nlohmann::json::parse(deliveries[i].body);
    EXPECT_EQ(doc["seq"], static_cast<int>(i) + 1);
    EXPECT_EQ(doc["case_number"], number);
    EXPECT_EQ(doc["client"], "ACME");
    const std::string& sig = deliveries[i].signature;
    const auto comma = sig.find(',');
    const std::int64_t t = std::stoll(sig.substr(2, comma - 2));
    EXPECT_EQ(sig.substr(comma + 4), WebhookSignature(secret, t, deliveries[i].body));
    EXPECT_NE(sig.substr(comma + 4), WebhookSignature("other", t, deliveries[i].body));
  }
  EXPECT_EQ(receiver.attempts(), 4);
  EXPECT_EQ(*server_->auth_store().PendingDeliveries(std::nullopt), 0);
}

TEST_P(ApiTest, AdminRunsTheDailyRunOnceAndOthersMayNot) {
  const std::string number = AcmeCase();
  const auto admin = server_->AdminSession();
  auto run = [&](const std::string& body) {
    return testing::Call(server_->port(), "POST", "/api/v1/runs", body, admin);
  };
  EXPECT_EQ(server_->Post("/api/v1/runs", acme_key_, "{}").status, 403);
  Reply bad_date = run(R"({"as_of":"2025-13-01"})");
  EXPECT_EQ(bad_date.status, 422) << bad_date.body;
  EXPECT_EQ(bad_date.json()["field"], "as_of");
  Reply bad_count = run(R"({"as_of":"2025-03-10","partitions":0})");
  EXPECT_EQ(bad_count.json()["field"], "partitions") << bad_count.body;

  Reply first = run(R"({"as_of":"2025-03-10","partitions":2})");
  ASSERT_EQ(first.status, 200) << first.body;
  auto j = first.json();
  EXPECT_EQ(j["as_of"], "2025-03-10");
  EXPECT_EQ(j["partitions_per_client"], 2);
  EXPECT_EQ(j["cases_seen"], 1);
  EXPECT_EQ(j["partitions_claimed"], 2);  // ACME's two; BETA has no case to plan
  EXPECT_TRUE(j["run"]["complete"].get<bool>());
  EXPECT_EQ(j["run"]["partitions"]["done"], 2);
  EXPECT_EQ(j["run"]["actions"], j["outbox"]);
  const std::string history = server_->Get("/api/v1/cases/" + number + "/history", acme_key_).body;
  // Asking again for the finished date records nothing.
  Reply again = run(R"({"as_of":"2025-03-10"})");
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json()["cases_seen"], 0);
  EXPECT_EQ(again.json()["events"], 0);
  EXPECT_EQ(again.json()["partitions_claimed"], 0);
  EXPECT_EQ(server_->Get("/api/v1/cases/" + number + "/history", acme_key_).body, history);
  // The run is audited like every write.
  auto entries =
      testing::Call(server_->port(), "GET", "/api/v1/audit", "", admin).json()["entries"];
  ASSERT_FALSE(entries.empty());
  EXPECT_EQ(entries.back()["action"], "POST /api/v1/runs");
  EXPECT_EQ(entries.back()["target"], "run 2025-03-10");
}

TEST(ApiWithoutRuns, TheRunRouteAnswers503) {
  TestServer server("no_runs");
  Reply reply = testing::Call(server.port(), "POST", "/api/v1/runs", "{}", server.AdminSession());
  EXPECT_EQ(reply.status, 503) << reply.body;
}

TEST_P(ApiTest, AdminCreatesClientsAndSeesThemAll) {
  const auto headers = server_->AdminSession();
  Reply created = testing::Call(server_->port(), "POST", "/api/v1/clients",
                                R"({"code":"GAMMA","name":"Gamma AG","country":"AT"})", headers);
  EXPECT_EQ(created.status, 201) << created.body;
  Reply dup = testing::Call(server_->port(), "POST", "/api/v1/clients",
                            R"({"code":"GAMMA","name":"Gamma AG"})", headers);
  EXPECT_EQ(dup.status, 409);
  EXPECT_EQ(dup.json()["field"], "code");
  Reply list = testing::Call(server_->port(), "GET", "/api/v1/clients", "", headers);
  EXPECT_EQ(list.json()["clients"].size(), 3u);
  EXPECT_EQ(server_->Get("/api/v1/clients", acme_key_).json()["clients"].size(), 1u);
  // Staff hand over claims for a named client only.
  Reply no_client =
      testing::Call(server_->port(), "POST", "/api/v1/claims", ClaimJson("A", "B"), headers);
  EXPECT_EQ(no_client.status, 422);
  EXPECT_EQ(no_client.json()["field"], "client");
}

INSTANTIATE_TEST_SUITE_P(Stores, ApiTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendName);

}  // namespace
}  // namespace quitt::adapters::http
