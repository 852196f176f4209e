#include "server/acme_service.hpp"

#include "acme_fixture.hpp"

#include <gtest/gtest.h>

namespace certfleet::server {
namespace {

using certfleet::testing::AcmeAnswer;
using certfleet::testing::AcmeRoutes;

TEST_F(AcmeRoutes, EveryAnswerCarriesAFreshNonceAndTheDirectoryLink) {
    const auto directory = call(http::verb::get, "/acme/main/directory");
    EXPECT_EQ(directory.status(), 200);
    EXPECT_EQ(directory.body()["newOrder"], "https://ca.example.test:8443/acme/main/new-order");
    const auto refused = post("/acme/main/new-order", "{}", "https://ca.example.test:8443/acme/main/acct/99");
    EXPECT_EQ(refused.problem(), "accountDoesNotExist");
    for (const AcmeAnswer* answer : {&directory, &refused}) {
        EXPECT_FALSE(answer->header("Replay-Nonce").empty());
        EXPECT_EQ(answer->header("Link"), "<https://ca.example.test:8443/acme/main/directory>;rel=\"index\"");
    }
    EXPECT_NE(directory.header("Replay-Nonce"), refused.header("Replay-Nonce"));
}

TEST_F(AcmeRoutes, NewNonceAnswersHeadWith200AndGetWith204) {
    EXPECT_EQ(call(http::verb::head, "/acme/main/new-nonce").status(), 200);
    const auto get = call(http::verb::get, "/acme/main/new-nonce");
    EXPECT_EQ(get.status(), 204);
    EXPECT_EQ(get.header("Cache-Control"), "no-store");
}

TEST_F(AcmeRoutes, ARepeatedNonceIsBadNonceAndTheAnswerCarriesAFreshOne) {
    const std::string used = nonce();
    m_nonce = used;
    new_account();
    m_nonce = used;
    const auto replay = post("/acme/main/new-account", "{}");
    EXPECT_EQ(replay.status(), 400);
    EXPECT_EQ(replay.problem(), "badNonce");
    EXPECT_NE(replay.header("Replay-Nonce"), used);
    EXPECT_EQ(post("/acme/main/new-account", "{}").status(), 200);  // with the fresh nonce
}

TEST_F(AcmeRoutes, RefusesAnotherContentTypeAndAUrlThatIsNotTheRequests) {
    const auto plain = call(http::verb::post, "/acme/main/new-account", "{}", "application/json");
    EXPECT_EQ(plain.problem(), "malformed");
    EXPECT_NE(plain.body()["detail"].get<std::string>().find("application/jose+json"), std::string::npos);
    // Signed for new-order, sent to new-account: RFC 8555 6.4.1.
    nlohmann::json header = {{"alg", "RS256"},
                             {"nonce", nonce()},
                             {"url", "https://ca.example.test:8443/acme/main/new-order"},
                             {"jwk", certfleet::testing::rsa_jwk(certfleet::testing::client_key(0))}};
    const auto elsewhere =
        call(http::verb::post,
             "/acme/main/new-account",
             certfleet::testing::sign_jws(certfleet::testing::client_key(0), header, "{}"));
    EXPECT_EQ(elsewhere.problem(), "unauthorized");
}

TEST_F(AcmeRoutes, AKidOfAnotherServerOrAccountIsRefused) {
    new_account();
    EXPECT_EQ(post("/acme/main/new-order", "{}", "https://other.example/acme/main/acct/1").problem(),
              "accountDoesNotExist");
    EXPECT_EQ(m_acme->account_id_of("https://ca.example.test:8443/acme/main/acct/12"), 12);
    EXPECT_FALSE(m_acme->account_id_of("https://ca.example.test:8443/acme/main/acct/12/x"));
    EXPECT_FALSE(m_acme->account_id_of("https://ca.example.test:8443/acme/main/acct/-1"));
}

TEST_F(AcmeRoutes, PlainGetOnAPostAsGetResourceIs405) {
    const auto get = call(http::verb::get, "/acme/main/order/1");
    EXPECT_EQ(get.status(), 405);
    EXPECT_EQ(get.header("Allow"), "POST");
    EXPECT_FALSE(get.header("Replay-Nonce").empty());
}

}  // namespace
}  // namespace certfleet::server
