#include "server/poll_registry.hpp"

#include <gtest/gtest.h>

namespace certfleet::server {
namespace {

TEST(PollRegistry, WakesEveryPollOfAKeyOnceAndForgetsReleasedOnes) {
    PollRegistry polls;
    int edge1 = 0;
    int edge2 = 0;
    polls.hold("edge1", [&] { ++edge1; });
    polls.hold("edge1", [&] { ++edge1; });
    const std::uint64_t released = polls.hold("edge2", [&] { ++edge2; });
    EXPECT_EQ(polls.keys(), (std::vector<std::string>{"edge1", "edge2"}));
    polls.release(released);
    polls.wake("edge2");
    EXPECT_EQ(edge2, 0);
    polls.wake("edge1");
    EXPECT_EQ(edge1, 2);
    polls.wake("edge1");  // woken polls are gone
    EXPECT_EQ(edge1, 2);
    EXPECT_EQ(polls.size(), 0U);
}

TEST(PollRegistry, AWokenPollMayHoldAgainFromItsWakeCall) {
    PollRegistry polls;
    int woken = 0;
    std::function<void()> again = [&] {
        ++woken;
        polls.hold("edge1", [&] { ++woken; });
    };
    polls.hold("edge1", again);
    polls.wake("edge1");
    EXPECT_EQ(woken, 1);
    EXPECT_EQ(polls.size(), 1U);
}

}  // namespace
}  // namespace certfleet::server
