#include "enrollment/node_presence.hpp"

#include "core/error.hpp"

#include <gtest/gtest.h>

namespace certfleet::enrollment {
namespace {

using std::chrono::seconds;

TEST(NodePresence, ANodeIsConnectedWithinTwoWaitPeriodsOfItsLastPoll) {
    const core::TimePoint now{seconds(1'700'000'000)};
    struct Case {
        std::optional<core::TimePoint> last_poll;
        bool connected;
    };
    const Case cases[] = {
        {std::nullopt, false},              // never polled
        {now, true},                        // polling now
        {now - 2 * max_action_wait, true},  // the edge: one whole poll plus its re-poll
        {now - 2 * max_action_wait - seconds(1), false},
        {now - seconds(3600), false},
    };
    for (const Case& c : cases) {
        EXPECT_EQ(is_connected(c.last_poll, now), c.connected);
    }
}

TEST(NodePresence, TheWaitIsCappedAndMustBeANumber) {
    EXPECT_EQ(action_wait(std::nullopt, "wait"), seconds(0));
    EXPECT_EQ(action_wait("25", "wait"), seconds(25));
    EXPECT_EQ(action_wait("3600", "wait"), max_action_wait);
    for (const char* bad : {"-1", "ten", "5s", "1e3"}) {
        EXPECT_THROW((void)action_wait(bad, "wait"), core::Error) << bad;
    }
}

TEST(NodePresence, ActionsAreAClosedList) {
    EXPECT_EQ(parse_action_kind("renew", "kind"), ActionKind::renew);
    EXPECT_EQ(to_string(parse_action_kind("report", "kind")), "report");
    try {
        (void)parse_action_kind("exec", "kind");
        FAIL() << "an unknown action was accepted";
    } catch (const core::Error& e) {
        EXPECT_EQ(std::string(e.what()), "kind: unknown action \"exec\" (renew, report, operation)");
    }
}

TEST(NodePresence, EveryActionKindSurvivesItsRoundTrip) {
    for (const ActionKind kind : {ActionKind::renew, ActionKind::report, ActionKind::operation}) {
        EXPECT_EQ(parse_action_kind(to_string(kind), "kind"), kind);
    }
    EXPECT_EQ(to_string(ActionKind::operation), "operation");
}

}  // namespace
}  // namespace certfleet::enrollment
