#include "enrollment/renewal_authorizer.hpp"

#include <gtest/gtest.h>

namespace certfleet::enrollment {
namespace {

using Kind = pki::GeneralName::Kind;
using namespace std::chrono_literals;

const core::TimePoint t0 = core::TimePoint(std::chrono::seconds(1'800'000'000));

CurrentCertificate node1() {
    return {.serial_hex = "0abc",
            .names = {{Kind::dns, "node1.example.com"}, {Kind::dns, "node1"}, {Kind::ip, "10.0.0.1"}},
            .not_after = t0 + 24h};
}

TEST(RenewalAuthorizer, JudgesEachRenewalByTheTable) {
    CurrentCertificate revoked = node1();
    revoked.revoked = true;
    struct Case {
        const char* name;
        CurrentCertificate current;
        std::vector<pki::GeneralName> requested;
        RenewalRules rules;
        core::TimePoint at;
        RenewalVerdict verdict;
    };
    const std::vector<Case> table{
        {"same names", node1(), node1().names, {}, t0, RenewalVerdict::allowed},
        {"fewer names", node1(), {{Kind::dns, "node1.example.com"}}, {}, t0, RenewalVerdict::allowed},
        {"a foreign name",
         node1(),
         {{Kind::dns, "node2.example.com"}},
         {},
         t0,
         RenewalVerdict::foreign_names},
        {"own IP, other IP",
         node1(),
         {{Kind::ip, "10.0.0.1"}, {Kind::ip, "10.0.0.2"}},
         {},
         t0,
         RenewalVerdict::foreign_names},
        {"revoked", revoked, node1().names, {}, t0, RenewalVerdict::revoked},
        {"expired", node1(), node1().names, {}, t0 + 25h, RenewalVerdict::expired},
        {"expired within grace", node1(), node1().names, {.grace = 48h}, t0 + 25h, RenewalVerdict::allowed},
        {"expired past grace", node1(), node1().names, {.grace = 1h}, t0 + 26h, RenewalVerdict::expired},
        {"no names", node1(), {}, {}, t0, RenewalVerdict::no_names},
    };
    for (const Case& c : table) {
        const RenewalDecision decision = judge_renewal(c.current, c.requested, c.rules, c.at);
        EXPECT_EQ(decision.verdict, c.verdict) << c.name << ": " << decision.message;
    }
}

TEST(RenewalAuthorizer, RefusalNamesTheForeignNames) {
    const RenewalDecision decision =
        judge_renewal(node1(), {{Kind::dns, "node1"}, {Kind::dns, "db.example.com"}}, {}, t0);
    EXPECT_EQ(decision.message,
              "certificate 0abc does not hold DNS:db.example.com: a renewal may only carry its own names");
}

TEST(NodePresence, ConnectedWhileHoldingAPollOrWithinTwoWaitPeriods) {
    EXPECT_TRUE(is_connected(true, std::nullopt, 60s, t0));
    EXPECT_TRUE(is_connected(false, t0 - 120s, 60s, t0));
    EXPECT_FALSE(is_connected(false, t0 - 121s, 60s, t0));
    EXPECT_FALSE(is_connected(false, std::nullopt, 60s, t0));
}

}  // namespace
}  // namespace certfleet::enrollment
