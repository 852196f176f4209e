#include "server/acme_order_handler.hpp"

#include "acme_fixture.hpp"

#include <gtest/gtest.h>

namespace certfleet::server {
namespace {

using certfleet::testing::AcmeRoutes;

TEST_F(AcmeRoutes, NewOrderAnswers201WithAnAuthorizationAndAnHttp01ChallengePerName) {
    const std::string account = new_account();
    const auto answer = post(
        "/acme/main/new-order",
        R"({"identifiers": [{"type": "dns", "value": "www.example.test"}, {"type": "dns", "value": "API.example.test"}]})",
        account);
    ASSERT_EQ(answer.status(), 201) << answer.response.body();
    EXPECT_EQ(answer.header("Location"), "https://ca.example.test:8443/acme/main/order/1");
    const nlohmann::json order = answer.body();
    EXPECT_EQ(order["status"], "pending");
    EXPECT_EQ(order["identifiers"][0]["value"], "api.example.test");  // lower case, sorted
    ASSERT_EQ(order["authorizations"].size(), 2U);
    const auto authorization = post(path_of(order["authorizations"][0]), "", account);
    EXPECT_EQ(authorization.body()["identifier"]["value"], "api.example.test");
    const nlohmann::json challenge = authorization.body()["challenges"][0];
    EXPECT_EQ(challenge["type"], "http-01");
    EXPECT_EQ(challenge["status"], "pending");
    EXPECT_GE(challenge["token"].get<std::string>().size(), 43U);    // 256 bits in base64url
    const auto read = post(path_of(challenge["url"]), "", account);  // POST-as-GET: no validation
    EXPECT_EQ(read.body()["status"], "pending");
    EXPECT_EQ(read.header("Link"),
              "<https://ca.example.test:8443/acme/main/authz/1>;rel=\"up\"");  // RFC 8555 7.5.1
}

TEST_F(AcmeRoutes, RefusedIdentifiersAreRejectedIdentifierNamingTheRule) {
    const std::string account = new_account();
    const auto refused = post("/acme/main/new-order",
                              R"({"identifiers": [{"type": "dns", "value": "evil.example.org"}]})",
                              account);
    EXPECT_EQ(refused.problem(), "rejectedIdentifier");
    EXPECT_NE(refused.body()["detail"].get<std::string>().find("allowed_domains"), std::string::npos);
    const auto wildcard = post(
        "/acme/main/new-order", R"({"identifiers": [{"type": "dns", "value": "*.example.test"}]})", account);
    EXPECT_EQ(wildcard.problem(), "rejectedIdentifier");
    EXPECT_EQ(post("/acme/main/new-order", R"({"identifiers": "x"})", account).problem(), "malformed");
}

TEST_F(AcmeRoutes, AnOrderAndItsAuthorizationsBelongToTheirAccount) {
    const std::string owner = new_account(0);
    const std::string other = new_account(1);
    const auto order =
        post(
            "/acme/main/new-order", R"({"identifiers": [{"type": "dns", "value": "a.example.test"}]})", owner)
            .body();
    EXPECT_EQ(post("/acme/main/order/1", "", other, 1).problem(), "unauthorized");
    EXPECT_EQ(post(path_of(order["authorizations"][0]), "", other, 1).problem(), "unauthorized");
    EXPECT_EQ(post("/acme/main/order/2", "", owner).problem(), "malformed");
}

TEST_F(AcmeRoutes, AnExpiredOrderIsInvalid) {
    const std::string account = new_account();
    post("/acme/main/new-order", R"({"identifiers": [{"type": "dns", "value": "a.example.test"}]})", account);
    m_clock.advance(core::Seconds(25 * 3600));
    m_nonce.clear();  // expired with the rest
    const auto order = post("/acme/main/order/1", "", account).body();
    EXPECT_EQ(order["status"], "invalid");
    EXPECT_EQ(post(path_of(order["authorizations"][0]), "", account).body()["status"], "expired");
}

TEST_F(AcmeRoutes, AClientDeactivatesAnAuthorization) {
    const std::string account = new_account();
    const auto order = post("/acme/main/new-order",
                            R"({"identifiers": [{"type": "dns", "value": "a.example.test"}]})",
                            account)
                           .body();
    const auto deactivated =
        post(path_of(order["authorizations"][0]), R"({"status": "deactivated"})", account);
    EXPECT_EQ(deactivated.body()["status"], "deactivated");
    EXPECT_EQ(post("/acme/main/order/1", "", account).body()["status"], "invalid");
}

}  // namespace
}  // namespace certfleet::server
