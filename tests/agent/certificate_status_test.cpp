#include "agent/certificate_status.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certfleet::agent {
namespace {

using std::chrono::hours;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

const core::TimePoint issued{std::chrono::seconds{1'780'000'000}};

// A 100-day certificate, due for renewal at day 60.
CertificateStatus monitored() {
    return {.name = "node1",
            .state = TrackingState::monitoring,
            .activated = issued,
            .expires = issued + hours(24 * 100),
            .last_outcome = "monitoring",
            .next_renewal = issued + hours(24 * 60)};
}

TEST(CertificateStatus, AMonitoredCertificateWellWithinItsLifetimeIsHealthy) {
    CertificateStatus status = monitored();
    EXPECT_THAT(status_flags(status, issued + hours(24 * 10)), IsEmpty());
    status.flags = status_flags(status, issued + hours(24 * 10));
    EXPECT_TRUE(status.is_healthy());
    // Past its renewal time but not failing: the next pass renews it, nothing to flag yet.
    EXPECT_THAT(status_flags(status, issued + hours(24 * 70)), IsEmpty());
}

TEST(CertificateStatus, TheLastTenthOfTheLifetimeIsFlaggedAsExpiringSoon) {
    EXPECT_THAT(status_flags(monitored(), issued + hours(24 * 91)), ElementsAre(StatusFlag::expires_soon));
    EXPECT_THAT(status_flags(monitored(), issued + hours(24 * 89)), IsEmpty());
}

TEST(CertificateStatus, PastTheRenewalTimeWhileFailingIsFlagged) {
    CertificateStatus status = monitored();
    status.state = TrackingState::needs_key;
    status.last_outcome = "failed";
    EXPECT_THAT(status_flags(status, issued + hours(24 * 59)), ElementsAre(StatusFlag::failing));
    EXPECT_THAT(status_flags(status, issued + hours(24 * 61)),
                ElementsAre(StatusFlag::failing, StatusFlag::expires_soon));
    status.flags = status_flags(status, issued + hours(24 * 61));
    EXPECT_FALSE(status.is_healthy());
}

TEST(CertificateStatus, ExpiredNeedsOperatorAndUnreadableAreFlagged) {
    CertificateStatus status = monitored();
    EXPECT_THAT(status_flags(status, issued + hours(24 * 100)), ElementsAre(StatusFlag::expired));
    status.state = TrackingState::needs_operator;
    status.last_outcome = "needs_operator";
    EXPECT_THAT(status_flags(status, issued), ElementsAre(StatusFlag::needs_operator));
    CertificateStatus missing{.name = "node2", .problem = "node2/cert.pem: no such file"};
    EXPECT_THAT(status_flags(missing, issued), ElementsAre(StatusFlag::unreadable));
}

TEST(CertificateStatus, OnlyMonitoringIsHealthy) {
    CertificateStatus status = monitored();
    status.state = TrackingState::rejected;
    EXPECT_FALSE(status.is_healthy());
}

}  // namespace
}  // namespace certfleet::agent
