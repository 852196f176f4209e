#include "server/acme_account_handler.hpp"

#include "acme_fixture.hpp"

#include <gtest/gtest.h>

namespace certfleet::server {
namespace {

using certfleet::testing::AcmeRoutes;

TEST_F(AcmeRoutes, ANewKeyGets201AndAKnownKeyItsAccountWith200) {
    const std::string account = new_account();
    EXPECT_EQ(account, "https://ca.example.test:8443/acme/main/acct/1");
    const auto again = post("/acme/main/new-account", R"({"onlyReturnExisting": true})");
    EXPECT_EQ(again.status(), 200);
    EXPECT_EQ(again.header("Location"), account);
    EXPECT_EQ(again.body()["status"], "valid");
}

TEST_F(AcmeRoutes, OnlyReturnExistingForAnUnknownKeyIsAccountDoesNotExist) {
    const auto answer = post("/acme/main/new-account", R"({"onlyReturnExisting": true})", "", 1);
    EXPECT_EQ(answer.status(), 400);
    EXPECT_EQ(answer.problem(), "accountDoesNotExist");
}

TEST_F(AcmeRoutes, AContactMustBeAMailtoUrl) {
    const auto answer = post("/acme/main/new-account", R"({"contact": ["tel:+12025550100"]})");
    EXPECT_EQ(answer.problem(), "invalidContact");
    EXPECT_NE(answer.body()["detail"].get<std::string>().find("tel:+12025550100"), std::string::npos);
}

TEST_F(AcmeRoutes, AnAccountUpdatesItsContactAndDeactivatesForGood) {
    const std::string account = new_account();
    const auto updated = post(path_of(account), R"({"contact": ["mailto:ops@example.test"]})", account);
    EXPECT_EQ(updated.status(), 200);
    EXPECT_EQ(updated.body()["contact"][0], "mailto:ops@example.test");
    EXPECT_EQ(post(path_of(account), "", account).body()["contact"][0], "mailto:ops@example.test");
    EXPECT_EQ(post(path_of(account), R"({"status": "deactivated"})", account).body()["status"],
              "deactivated");
    const auto after = post("/acme/main/new-order", R"({"identifiers": []})", account);
    EXPECT_EQ(after.problem(), "unauthorized");
}

TEST_F(AcmeRoutes, AnAccountCannotReadAnother) {
    const std::string first = new_account(0);
    const std::string second = new_account(1);
    EXPECT_EQ(post(path_of(first), "", second, 1).problem(), "unauthorized");
}

TEST_F(AcmeRoutes, KeyChangeMovesTheAccountToTheNewKey) {
    const std::string account = new_account(0);
    const std::string url = "https://ca.example.test:8443/acme/main/key-change";
    const nlohmann::json inner_header = {
        {"alg", "RS256"},
        {"url", url},
        {"jwk", certfleet::testing::rsa_jwk(certfleet::testing::client_key(1))}};
    const nlohmann::json inner_payload = {
        {"account", account}, {"oldKey", certfleet::testing::rsa_jwk(certfleet::testing::client_key(0))}};
    const std::string inner =
        certfleet::testing::sign_jws(certfleet::testing::client_key(1), inner_header, inner_payload.dump());
    EXPECT_EQ(post("/acme/main/key-change", inner, account, 0).status(), 200);
    // The old key no longer signs for the account; the new one does.
    EXPECT_NE(post(path_of(account), "", account, 0).status(), 200);
    EXPECT_EQ(post(path_of(account), "", account, 1).status(), 200);
    const auto by_new_key = post("/acme/main/new-account", R"({"onlyReturnExisting": true})", "", 1);
    EXPECT_EQ(by_new_key.header("Location"), account);
}

}  // namespace
}  // namespace certfleet::server
