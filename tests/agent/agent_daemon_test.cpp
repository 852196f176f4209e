#include "agent/agent_daemon.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <vector>

namespace certfleet::agent {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(BackoffDelay, GrowsExponentiallyUpToTheMaximumWithFullJitter) {
    // The ceiling doubles per failure from 1 s; the delay is a random share of it (never under 100 ms).
    EXPECT_EQ(backoff_delay(1, seconds(300), 0.999999), milliseconds(999));
    EXPECT_EQ(backoff_delay(2, seconds(300), 0.5), milliseconds(1000));
    EXPECT_EQ(backoff_delay(4, seconds(300), 0.5), milliseconds(4000));
    EXPECT_EQ(backoff_delay(30, seconds(300), 0.5), milliseconds(150'000));
    EXPECT_EQ(backoff_delay(3, seconds(300), 0.0), milliseconds(100));
}

TEST(BackoffDelay, FiftyNodesFailingTogetherComeBackSpreadOut) {
    // A fleet that lost the server at once: with full jitter their retries spread over the whole window
    // instead of arriving in the same second (the thundering herd).
    std::vector<long long> delays;
    for (int node = 0; node < 50; ++node) {
        delays.push_back(backoff_delay(6, seconds(300), (node + 0.5) / 50.0).count());
    }
    std::sort(delays.begin(), delays.end());
    EXPECT_LT(delays.front(), 1000);
    EXPECT_GT(delays.back(), 31'000);
    std::map<long long, int> per_second;
    for (const long long d : delays) {
        ++per_second[d / 1000];
    }
    for (const auto& [second, count] : per_second) {
        EXPECT_LE(count, 3) << "second " << second;
    }
}

}  // namespace
}  // namespace certfleet::agent
