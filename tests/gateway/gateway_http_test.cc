// The gateway's HTTP/JSON port: a get, a list with paging, a create with a
// bad field (400, nothing written), a custom verb, a stream as JSON lines,
// the statuses of grpc-gateway's table, 429 with Retry-After, size limits,
// and the OpenAPI document.
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "tests/gateway/gateway_test_base.h"

namespace lianxin::testing {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using ::testing::HasSubstr;

struct Answer {
  int status = 0;
  std::string body;
  std::string retry_after, request_id, content_type;
};

class GatewayHttpTest : public GatewayTest {
 protected:
  // One request on a connection of its own.
  Answer Call(http::verb verb, const std::string& target, const std::string& session, const std::string& body = "",
              std::vector<std::pair<std::string, std::string>> headers = {}) {
    net::io_context ioc;
    net::ip::tcp::resolver resolver(ioc);
    beast::tcp_stream stream(ioc);
    stream.connect(resolver.resolve("127.0.0.1", absl::StrCat(gateway_->ReadyField("http_port"))));
    http::request<http::string_body> req(verb, target, 11);
    req.set(http::field::host, "127.0.0.1");
    if (!session.empty()) req.set(http::field::authorization, "Bearer " + session);
    for (const auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    req.prepare_payload();
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    beast::error_code ec;
    http::read(stream, buffer, parser, ec);
    Answer a;
    const auto& res = parser.get();
    a.status = static_cast<int>(res.result_int());
    a.body = res.body();
    a.retry_after = std::string(res["Retry-After"]);
    a.request_id = std::string(res["X-Request-Id"]);
    a.content_type = std::string(res[http::field::content_type]);
    return a;
  }
  // A JSON object's field, as text ("" if absent).
  static std::string Field(const std::string& json, const std::string& key) {
    google::protobuf::Struct s;
    if (!google::protobuf::util::JsonStringToMessage(json, &s).ok()) return "";
    auto it = s.fields().find(key);
    if (it == s.fields().end()) return "";
    if (it->second.has_string_value()) return it->second.string_value();
    std::string out;
    (void)google::protobuf::util::MessageToJsonString(it->second, &out);
    return out;
  }
  std::string HttpSignIn(const Person& p) {
    Answer a = Call(http::verb::post, "/v1/sessions:signIn", "",
                    absl::StrCat(R"({"username": ")", p.username, R"(", "password": ")", p.password, R"("})"));
    EXPECT_EQ(a.status, 200) << a.body;
    return Field(a.body, "token");
  }
};

TEST_F(GatewayHttpTest, AGetAListWithPagingAndACustomVerb) {
  Person op = Activate(absl::StrCat("op", counter_++), {"operator"}, district_);
  Unit(district_, ov1::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE);
  Answer get = Call(http::verb::get, absl::StrCat("/v1/", district_), op.session, "", {{"X-Request-Id", "http-rid-1"}});
  EXPECT_EQ(get.status, 200) << get.body;
  EXPECT_EQ(Field(get.body, "name"), district_);
  EXPECT_EQ(get.request_id, "http-rid-1");
  EXPECT_EQ(get.content_type, "application/json");
  // Two children (community_ and one more): a page of one, then the next.
  Answer page1 = Call(http::verb::get, absl::StrCat("/v1/", district_, "/children?pageSize=1"), op.session);
  ASSERT_EQ(page1.status, 200) << page1.body;
  const std::string next = Field(page1.body, "nextPageToken");
  ASSERT_FALSE(next.empty()) << page1.body;
  Answer page2 =
      Call(http::verb::get, absl::StrCat("/v1/", district_, "/children?pageSize=1&pageToken=", next), op.session);
  ASSERT_EQ(page2.status, 200) << page2.body;
  EXPECT_NE(Field(page1.body, "orgUnits"), Field(page2.body, "orgUnits"));
  // A custom verb: an operator resets a member's account.
  Person m = Activate(absl::StrCat("mem", counter_++), {"member"}, branch_);
  Answer reset = Call(http::verb::post, absl::StrCat("/v1/", m.account, ":reset"), op.session,
                      R"({"newPassword": "a-new-password-1"})");
  EXPECT_EQ(reset.status, 200) << reset.body;
  EXPECT_EQ(Field(reset.body, "name"), m.account);
}

TEST_F(GatewayHttpTest, ABadFieldIs400NamingItAndWritesNothing) {
  Person op = Activate(absl::StrCat("op", counter_++), {"operator"}, district_);
  SqlProbe org_db(TestDbSocket(), *suffix_ + "_org");
  const int64_t before = org_db.Count("org_units");
  Answer a = Call(http::verb::post, "/v1/orgUnits", op.session,
                  absl::StrCat(R"({"orgUnit": {"parent": ")", district_, R"(", "code": "X1", "displayName": ""}})"));
  EXPECT_EQ(a.status, 400);
  EXPECT_THAT(a.body, HasSubstr("google.rpc.BadRequest"));
  EXPECT_THAT(a.body, HasSubstr("org_unit.display_name"));
  EXPECT_EQ(org_db.Count("org_units"), before);
  // JSON that is not the request's: 400 too, before any service is asked.
  Answer junk = Call(http::verb::post, "/v1/orgUnits", op.session, R"({"noSuchField": 1})");
  EXPECT_EQ(junk.status, 400);
  // No session: 401; a route that does not exist: 404; a method the role may not call: 403.
  EXPECT_EQ(Call(http::verb::get, absl::StrCat("/v1/", district_), "").status, 401);
  EXPECT_EQ(Call(http::verb::get, "/v1/nowhere", op.session).status, 404);
  Person m = Activate(absl::StrCat("mem", counter_++), {"member"}, branch_);
  Answer denied = Call(http::verb::post, "/v1/orgUnits", HttpSignIn(m), "{}");
  EXPECT_EQ(denied.status, 403) << denied.body;
  // A body past the limit: 413.
  EXPECT_EQ(Call(http::verb::post, "/v1/orgUnits", op.session, std::string(300 * 1024, ' ')).status, 413);
}

TEST_F(GatewayHttpTest, LookupsPastTheirLimitAre429WithRetryAfter) {
  Person op = Activate(absl::StrCat("op", counter_++), {"operator"}, district_);
  Answer a;
  int ok = 0;
  for (int i = 0; i < 20; ++i) {
    a = Call(http::verb::post, "/v1/members:find", op.session, R"({"phone": "13800000000"})");
    if (a.status == 429) break;
    ++ok;
  }
  EXPECT_EQ(ok, 10);
  EXPECT_EQ(a.status, 429);
  EXPECT_FALSE(a.retry_after.empty());
  EXPECT_THAT(a.body, HasSubstr("RATE_LIMITED"));
}

TEST_F(GatewayHttpTest, AWatchStreamsAsJsonLines) {
  Person op = Activate(absl::StrCat("op", counter_++), {"operator"}, district_);
  Answer cat = Call(http::verb::post, absl::StrCat("/v1/", district_, "/categories?categoryId=repair"), op.session,
                    R"({"displayName": "维修", "limitHours": 4})");
  ASSERT_EQ(cat.status, 200) << cat.body;
  Answer place = Call(http::verb::post, "/v1/places", op.session,
                      absl::StrCat(R"({"place": {"community": ")", community_,
                                   R"(", "kind": "PLACE_KIND_BUILDING", "displayName": "2号楼"}})"));
  ASSERT_EQ(place.status, 200) << place.body;
  auto [app_id, app_secret] = CreateClient(gv1::CLIENT_KIND_APP_BACKEND, {"resident"}, {}, district_);
  Answer app = Call(http::verb::post, "/v1/sessions:signInClient", "",
                    absl::StrCat(R"({"clientId": ")", app_id, R"(", "clientSecret": ")", app_secret, R"("})"));
  ASSERT_EQ(app.status, 200) << app.body;
  const std::string token = Field(app.body, "token");
  const std::string resident = absl::StrCat("residents/h", counter_++);
  std::thread submit([&] {
    absl::SleepFor(absl::Milliseconds(500));
    Answer r = Call(
        http::verb::post, "/v1/requests", token,
        absl::StrCat(R"({"request": {"category": ")", Field(cat.body, "name"), R"(", "place": ")",
                     Field(place.body, "name"), R"(", "description": "楼道灯坏了，晚上看不见", "address": "1单元", )",
                     R"("contactPhone": "13812345678", "urgency": "URGENCY_NORMAL"}})"),
        {{"X-Lianxin-On-Behalf-Of", resident}});
    EXPECT_EQ(r.status, 200) << r.body;
  });
  Answer watch = Call(http::verb::get, "/v1/requests:watch", token, "",
                      {{"X-Lianxin-On-Behalf-Of", resident}, {"X-Timeout-Ms", "3000"}});
  submit.join();
  EXPECT_EQ(watch.status, 200);
  EXPECT_EQ(watch.content_type, "application/x-ndjson");
  std::vector<std::string> lines = absl::StrSplit(watch.body, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u) << watch.body;
  EXPECT_THAT(lines[0], HasSubstr("\"request\":\"requests/"));
  EXPECT_THAT(lines[1], HasSubstr("\"error\""));  // the deadline ended it
  EXPECT_THAT(lines[1], HasSubstr("\"code\":4"));
}

TEST_F(GatewayHttpTest, TheOpenApiDocumentDescribesTheRoutes) {
  Answer a = Call(http::verb::get, "/openapi.json", "");
  ASSERT_EQ(a.status, 200);
  google::protobuf::Struct doc;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(a.body, &doc).ok());
  const auto& paths = doc.fields().at("paths").struct_value().fields();
  EXPECT_TRUE(paths.contains("/v1/{name=requests/*}:accept"));
  EXPECT_TRUE(paths.contains("/v1/orgUnits"));
  EXPECT_TRUE(paths.contains("/v1/sessions:signIn"));
  EXPECT_TRUE(paths.at("/v1/{name=orgUnits/*}").struct_value().fields().contains("get"));
  EXPECT_TRUE(paths.at("/v1/{name=orgUnits/*}").struct_value().fields().contains("delete"));
  EXPECT_TRUE(doc.fields()
                  .at("components")
                  .struct_value()
                  .fields()
                  .at("schemas")
                  .struct_value()
                  .fields()
                  .contains("lianxin.org.v1.OrgUnit"));
}

}  // namespace
}  // namespace lianxin::testing
