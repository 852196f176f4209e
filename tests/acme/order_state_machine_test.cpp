#include "acme/order_state_machine.hpp"

#include "core/duration.hpp"
#include "core/error.hpp"

#include <gtest/gtest.h>

namespace certfleet::acme {
namespace {

using AS = AuthorizationStatus;
using CS = ChallengeStatus;
using OS = OrderStatus;

const core::TimePoint now{std::chrono::seconds{1'780'000'000}};
const core::TimePoint later = now + core::Seconds(3600);
const core::TimePoint earlier = now - core::Seconds(1);

std::string show(const Checked<OS>& r) {
    if (const Problem* p = problem_of(r)) {
        return std::string(to_string(p->type));
    }
    return std::string(to_string(std::get<OS>(r)));
}
std::string show(const Checked<AS>& r) {
    if (const Problem* p = problem_of(r)) {
        return std::string(to_string(p->type));
    }
    return std::string(to_string(std::get<AS>(r)));
}
std::string show(const Checked<CS>& r) {
    if (const Problem* p = problem_of(r)) {
        return std::string(to_string(p->type));
    }
    return std::string(to_string(std::get<CS>(r)));
}

TEST(OrderStateMachine, ChallengeTable) {
    struct Row {
        CS from;
        ChallengeEvent event;
        const char* to;
    };
    const Row table[] = {
        {CS::pending, ChallengeEvent::client_responded, "processing"},
        {CS::processing, ChallengeEvent::client_responded, "processing"},
        {CS::valid, ChallengeEvent::client_responded, "valid"},
        {CS::invalid, ChallengeEvent::client_responded, "invalid"},
        {CS::processing, ChallengeEvent::validation_succeeded, "valid"},
        {CS::processing, ChallengeEvent::validation_failed, "invalid"},
        {CS::pending, ChallengeEvent::validation_succeeded, "malformed"},
        {CS::valid, ChallengeEvent::validation_failed, "malformed"},
        {CS::invalid, ChallengeEvent::validation_succeeded, "malformed"},
    };
    for (const Row& row : table) {
        EXPECT_EQ(show(next(row.from, row.event)), row.to)
            << to_string(row.from) << " + event " << static_cast<int>(row.event);
    }
}

TEST(OrderStateMachine, AuthorizationTable) {
    struct Row {
        AS from;
        AuthorizationEvent event;
        std::vector<CS> challenges;
        core::TimePoint expires;
        const char* to;
    };
    const auto changed = AuthorizationEvent::challenge_changed;
    const auto deactivate = AuthorizationEvent::client_deactivated;
    const auto tick = AuthorizationEvent::time_passed;
    const Row table[] = {
        {AS::pending, changed, {CS::pending}, later, "pending"},
        {AS::pending, changed, {CS::processing}, later, "pending"},
        {AS::pending, changed, {CS::valid}, later, "valid"},
        {AS::pending, changed, {CS::invalid}, later, "invalid"},
        {AS::pending, changed, {CS::invalid, CS::valid}, later, "valid"},
        {AS::pending, tick, {CS::pending}, earlier, "expired"},
        {AS::pending, changed, {CS::valid}, earlier, "expired"},
        {AS::valid, tick, {CS::valid}, earlier, "expired"},
        {AS::valid, tick, {CS::valid}, later, "valid"},
        {AS::pending, deactivate, {CS::pending}, later, "deactivated"},
        {AS::valid, deactivate, {CS::valid}, later, "deactivated"},
        {AS::invalid, deactivate, {CS::invalid}, later, "malformed"},
        {AS::expired, deactivate, {}, later, "malformed"},
        {AS::invalid, changed, {CS::valid}, later, "invalid"},
        {AS::deactivated, tick, {}, earlier, "deactivated"},
        {AS::revoked, changed, {CS::valid}, later, "revoked"},
    };
    for (const Row& row : table) {
        EXPECT_EQ(
            show(next(
                row.from, row.event, {.challenges = row.challenges, .expires = row.expires, .now = now})),
            row.to)
            << to_string(row.from) << " + event " << static_cast<int>(row.event);
    }
}

TEST(OrderStateMachine, OrderTable) {
    struct Row {
        OS from;
        OrderEvent event;
        std::vector<AS> authorizations;
        core::TimePoint expires;
        const char* to;
    };
    const auto changed = OrderEvent::authorizations_changed;
    const auto finalize = OrderEvent::finalize_requested;
    const Row table[] = {
        {OS::pending, changed, {AS::pending, AS::valid}, later, "pending"},
        {OS::pending, changed, {AS::valid, AS::valid}, later, "ready"},
        {OS::pending, changed, {AS::valid, AS::invalid}, later, "invalid"},
        {OS::pending, changed, {AS::pending, AS::deactivated}, later, "invalid"},
        {OS::pending, changed, {AS::expired}, later, "invalid"},
        {OS::pending, changed, {AS::revoked}, later, "invalid"},
        {OS::pending, changed, {AS::pending}, earlier, "invalid"},
        {OS::ready, changed, {AS::valid}, earlier, "invalid"},
        {OS::pending, changed, {}, later, "pending"},
        {OS::pending, finalize, {AS::pending}, later, "orderNotReady"},
        {OS::pending, finalize, {AS::valid}, later, "processing"},  // became ready on the way
        {OS::ready, finalize, {AS::valid}, later, "processing"},
        {OS::ready, finalize, {AS::valid}, earlier, "orderNotReady"},
        {OS::processing, finalize, {AS::valid}, later, "orderNotReady"},
        {OS::valid, finalize, {AS::valid}, later, "orderNotReady"},
        {OS::invalid, finalize, {AS::invalid}, later, "orderNotReady"},
        {OS::processing, OrderEvent::issuance_succeeded, {AS::valid}, later, "valid"},
        {OS::processing, OrderEvent::issuance_failed, {AS::valid}, later, "invalid"},
        {OS::ready, OrderEvent::issuance_succeeded, {AS::valid}, later, "malformed"},
        {OS::valid, changed, {AS::valid}, earlier, "valid"},
        {OS::processing, changed, {AS::valid}, earlier, "processing"},
    };
    for (const Row& row : table) {
        EXPECT_EQ(show(next(row.from,
                            row.event,
                            {.authorizations = row.authorizations, .expires = row.expires, .now = now})),
                  row.to)
            << to_string(row.from) << " + event " << static_cast<int>(row.event);
    }
}

TEST(OrderStateMachine, OrderNotReadyNamesTheStatusAndIsSentWith403) {
    const auto r = next(OS::pending,
                        OrderEvent::finalize_requested,
                        {.authorizations = {AS::pending}, .expires = later, .now = now});
    const Problem* p = problem_of(r);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->http_status(), 403);
    EXPECT_EQ(p->to_json()["type"], "urn:ietf:params:acme:error:orderNotReady");
    EXPECT_NE(p->detail.find("pending"), std::string::npos);
}

TEST(OrderStateMachine, StatusWordsReadBack) {
    for (OS s : {OS::pending, OS::ready, OS::processing, OS::valid, OS::invalid}) {
        EXPECT_EQ(parse_order_status(to_string(s)), s);
    }
    for (AS s : {AS::pending, AS::valid, AS::invalid, AS::deactivated, AS::expired, AS::revoked}) {
        EXPECT_EQ(parse_authorization_status(to_string(s)), s);
    }
    for (CS s : {CS::pending, CS::processing, CS::valid, CS::invalid}) {
        EXPECT_EQ(parse_challenge_status(to_string(s)), s);
    }
    EXPECT_THROW(parse_order_status("done"), core::Error);
}

}  // namespace
}  // namespace certfleet::acme
