#include "enrollment/bootstrap_token.hpp"

#include <gtest/gtest.h>

#include <set>

namespace certfleet::enrollment {
namespace {

using Kind = pki::GeneralName::Kind;
using namespace std::chrono_literals;

const core::TimePoint t0 = core::TimePoint(std::chrono::seconds(1'800'000'000));

TokenGrant grant_for_node1() {
    return {.hash = "h",
            .names = {{Kind::dns, "node1.example.com"}, {Kind::ip, "10.0.0.1"}},
            .expires_at = t0 + 1h};
}

TEST(BootstrapToken, IsLongRandomAndStoredOnlyAsItsHash) {
    std::set<std::string> seen;
    for (int i = 0; i < 100; ++i) {
        const NewToken token = generate_token();
        const std::string_view text = token.token.reveal();
        EXPECT_EQ(text.substr(0, 4), "cft_");
        EXPECT_EQ(text.size(), 4U + 43U);  // 256 bits in base64url without padding
        EXPECT_EQ(
            text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", 4),
            std::string_view::npos);
        EXPECT_EQ(token.hash, hash_token(text));
        EXPECT_EQ(token.hash.size(), 64U);
        EXPECT_EQ(token.hash.find(text.substr(4)), std::string::npos);
        seen.insert(std::string(text));
    }
    EXPECT_EQ(seen.size(), 100U);
}

TEST(BootstrapToken, HashIsSha256Hex) {
    // echo -n abc | sha256sum
    EXPECT_EQ(hash_token("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

struct TokenCase {
    const char* name;
    std::optional<TokenGrant> grant;
    std::vector<pki::GeneralName> requested;
    core::TimePoint at;
    TokenVerdict verdict;
};

TEST(BootstrapToken, JudgesEachUseByTheTable) {
    TokenGrant used = grant_for_node1();
    used.used_at = t0;
    const std::vector<TokenCase> table{
        {"its own names", grant_for_node1(), {{Kind::dns, "node1.example.com"}}, t0, TokenVerdict::accepted},
        {"all its names", grant_for_node1(), grant_for_node1().names, t0 + 59min, TokenVerdict::accepted},
        {"unknown token", std::nullopt, {{Kind::dns, "node1.example.com"}}, t0, TokenVerdict::unknown},
        {"second use", used, {{Kind::dns, "node1.example.com"}}, t0, TokenVerdict::used},
        {"at expiry", grant_for_node1(), {{Kind::dns, "node1.example.com"}}, t0 + 1h, TokenVerdict::expired},
        {"another name",
         grant_for_node1(),
         {{Kind::dns, "node2.example.com"}},
         t0,
         TokenVerdict::names_not_granted},
        {"one name too many",
         grant_for_node1(),
         {{Kind::dns, "node1.example.com"}, {Kind::dns, "evil.example.com"}},
         t0,
         TokenVerdict::names_not_granted},
        {"no names", grant_for_node1(), {}, t0, TokenVerdict::names_not_granted},
    };
    for (const TokenCase& c : table) {
        const TokenDecision decision = judge_token_use(c.grant, c.requested, c.at);
        EXPECT_EQ(decision.verdict, c.verdict) << c.name << ": " << decision.message;
        EXPECT_EQ(decision.message.empty(), c.verdict == TokenVerdict::accepted) << c.name;
    }
}

TEST(BootstrapToken, RefusalNamesTheForeignNameAndWhatIsGranted) {
    const TokenDecision decision = judge_token_use(grant_for_node1(), {{Kind::dns, "node2.example.com"}}, t0);
    EXPECT_EQ(decision.message,
              "token: not granted for DNS:node2.example.com (it grants DNS:node1.example.com, IP:10.0.0.1)");
}

}  // namespace
}  // namespace certfleet::enrollment
