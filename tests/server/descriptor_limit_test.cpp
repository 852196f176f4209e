#include "server/descriptor_limit.hpp"

#include <gtest/gtest.h>

#include <sys/resource.h>

namespace certfleet::server {
namespace {

rlimit current() {
    rlimit limit{};
    EXPECT_EQ(getrlimit(RLIMIT_NOFILE, &limit), 0);
    return limit;
}

TEST(DescriptorLimit, RaisesTheSoftLimitToTheHardOneAndNeverLowersIt) {
    rlimit lowered = current();
    if (lowered.rlim_max != RLIM_INFINITY && lowered.rlim_max <= 256) {
        GTEST_SKIP() << "hard limit " << lowered.rlim_max << ": nothing to raise";
    }
    lowered.rlim_cur = 256;  // as a service manager might start us; an unprivileged process may lower it
    ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &lowered), 0);

    const DescriptorLimit raised = raise_descriptor_limit();
    EXPECT_EQ(raised.before, 256U);
    EXPECT_GT(raised.soft, 256U);
    EXPECT_EQ(current().rlim_cur, raised.soft);
    if (raised.hard != RLIM_INFINITY) {
        EXPECT_EQ(raised.soft, raised.hard);
    }

    const DescriptorLimit again = raise_descriptor_limit();  // already at the ceiling: unchanged
    EXPECT_EQ(again.before, raised.soft);
    EXPECT_EQ(again.soft, raised.soft);
}

}  // namespace
}  // namespace certfleet::server
