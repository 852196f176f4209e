#include "agent/renewal_schedule.hpp"

#include <gtest/gtest.h>

namespace certfleet::agent {
namespace {

using std::chrono::hours;

const core::TimePoint issued{std::chrono::seconds{1'780'000'000}};

TEST(RenewalTime, TwoThirdsOfTheLifetimeLessAJitterOfAtMostOneTwentieth) {
    const core::TimePoint end = issued + hours(24 * 90);
    for (const char* serial : {"01", "0a1b2c", "7f3e9d2c4b5a", "deadbeef"}) {
        const core::TimePoint due = renewal_time(issued, end, std::nullopt, serial);
        EXPECT_LE(due, issued + hours(24 * 60)) << serial;
        EXPECT_GT(due, issued + hours(24 * 60) - hours(24 * 90) / 20) << serial;
        EXPECT_EQ(due, renewal_time(issued, end, std::nullopt, serial)) << "the same certificate moved";
    }
    // A fleet issued at once is spread out.
    EXPECT_NE(renewal_time(issued, end, std::nullopt, "01"),
              renewal_time(issued, end, std::nullopt, "deadbeef"));
}

TEST(RenewalTime, RenewBeforeWinsWhenItComesFirst) {
    const core::TimePoint end = issued + hours(24 * 365);
    EXPECT_EQ(renewal_time(issued, end, hours(24 * 200), "01"), end - hours(24 * 200));
    // ... and not when two thirds come first.
    EXPECT_LT(renewal_time(issued, end, hours(24 * 30), "01"), end - hours(24 * 30));
}

TEST(RenewalTime, AZeroOrNegativeLifetimeIsDueAtOnce) {
    EXPECT_EQ(renewal_time(issued, issued, std::nullopt, "01"), issued);
    EXPECT_LE(renewal_time(issued, issued - hours(1), std::nullopt, "01"), issued);
}

}  // namespace
}  // namespace certfleet::agent
