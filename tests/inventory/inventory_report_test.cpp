#include "inventory/inventory_report.hpp"

#include "core/file.hpp"

#include <gtest/gtest.h>

namespace certfleet::inventory {
namespace {

const std::string pki_dir = std::string(CERTFLEET_TEST_DATA) + "/pki/";

core::TimePoint unix_time(long long seconds) {
    return core::TimePoint(std::chrono::seconds(seconds));
}

CertificateRecord server_record() {
    const auto cert = pki::Certificate::from_pem(core::read_file(pki_dir + "server.pem"), "server.pem");
    return make_record(cert, "server.pem", "server.pem: block 1", "pem");
}

TEST(InventoryReport, RecordsWhatOpensslShowsForTheServerFixture) {
    const CertificateRecord record = server_record();
    EXPECT_EQ(record.subject, "O=certfleet tests,CN=node1.example.com");
    EXPECT_EQ(record.issuer_common_name, "certfleet Test Sub CA");
    EXPECT_EQ(record.subject_common_name, "node1.example.com");
    EXPECT_EQ(record.key_description, "EC P-256");
    EXPECT_EQ(record.subject_alt_names,
              (std::vector<std::string>{
                  "DNS:node1.example.com", "DNS:node1", "DNS:*.apps.example.com", "IP:10.0.0.1"}));
    EXPECT_EQ(record.sha256.size(), 32U * 3 - 1);
    EXPECT_EQ(record.not_after, unix_time(4102358400));  // 2099-12-31T00:00:00Z
}

TEST(InventoryReport, CountsDaysLeftRoundingDown) {
    CertificateRecord record;
    record.not_after = unix_time(10 * 86400);
    EXPECT_EQ(days_left(record, unix_time(0)), 10);
    EXPECT_EQ(days_left(record, unix_time(1)), 9);
    EXPECT_EQ(days_left(record, unix_time(10 * 86400)), 0);
    EXPECT_EQ(days_left(record, unix_time(10 * 86400 + 1)), -1);
    EXPECT_FALSE(has_expired_at(record, unix_time(10 * 86400)));
    EXPECT_TRUE(has_expired_at(record, unix_time(10 * 86400 + 1)));
}

TEST(InventoryReport, ExpiringFilterSelectsCertificatesEndingWithinTheWindowIncludingExpired) {
    CertificateRecord soon;
    soon.not_after = unix_time(20 * 86400);
    CertificateRecord later;
    later.not_after = unix_time(40 * 86400);
    CertificateRecord expired;
    expired.not_after = unix_time(-86400);
    const InventoryFilter filter{.expiring_within = core::Seconds(30 * 86400), .at = unix_time(0)};
    EXPECT_TRUE(matches(soon, filter));
    EXPECT_FALSE(matches(later, filter));
    EXPECT_TRUE(matches(expired, filter));
    EXPECT_EQ(select({soon, later, expired}, filter).size(), 2U);
}

TEST(InventoryReport, IssuerAndNameFiltersAreCaseInsensitiveSubstrings) {
    const CertificateRecord record = server_record();
    EXPECT_TRUE(matches(record, {.issuer = "test sub ca"}));
    EXPECT_FALSE(matches(record, {.issuer = "Test Root"}));
    EXPECT_TRUE(matches(record, {.name = "NODE1.example"}));
    EXPECT_TRUE(matches(record, {.name = "apps.example.com"}));  // only in a SAN
    EXPECT_TRUE(matches(record, {.name = "10.0.0.1"}));
    EXPECT_FALSE(matches(record, {.name = "node2"}));
    EXPECT_FALSE(matches(record, {.issuer = "Sub CA", .name = "node2"}));
    EXPECT_TRUE(matches(record, {}));
}

}  // namespace
}  // namespace certfleet::inventory
