#include "cli/inventory_output.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace certfleet::cli {
namespace {

inventory::CertificateRecord sample_record() {
    return {.path = "/etc/ssl/node\"1\".pem",
            .location = "node1.pem: block 1 (CERTIFICATE, line 1)",
            .format = "pem",
            .subject = "CN=node1.example.com,O=Acme",
            .issuer = "CN=Acme CA",
            .subject_common_name = "node1.example.com",
            .issuer_common_name = "Acme CA",
            .serial_hex = "0a1b",
            .subject_alt_names = {"DNS:node1.example.com", "IP:10.0.0.1"},
            .not_before = core::parse_time("2026-01-01T00:00:00Z", "test"),
            .not_after = core::parse_time("2027-01-01T00:00:00Z", "test"),
            .key_description = "EC P-256",
            .sha256 = "AB:CD"};
}

// The layout nlohmann::json::dump(2) gives the same object: what `scan --json` printed before it
// streamed, and what scripts may diff.
nlohmann::json expected_json(const inventory::CertificateRecord& r, long days_left, bool expired) {
    return {{"path", r.path},
            {"location", r.location},
            {"format", r.format},
            {"subject", r.subject},
            {"issuer", r.issuer},
            {"serial", r.serial_hex},
            {"subject_alt_names", r.subject_alt_names},
            {"not_before", "2026-01-01T00:00:00Z"},
            {"not_after", "2027-01-01T00:00:00Z"},
            {"days_left", days_left},
            {"expired", expired},
            {"key", r.key_description},
            {"sha256", r.sha256}};
}

TEST(InventoryOutput, WritesARecordAsNlohmannLaysItOut) {
    const core::TimePoint now = core::parse_time("2026-06-01T00:00:00Z", "test");
    const inventory::CertificateRecord record = sample_record();
    std::string text;
    append_json(text, record, now, 0);
    EXPECT_EQ(text, expected_json(record, 214, false).dump(2));
}

TEST(InventoryOutput, WritesDriftFieldsAndEmptySansInSortedOrder) {
    const core::TimePoint now = core::parse_time("2028-01-01T00:00:00Z", "test");
    inventory::CertificateRecord record = sample_record();
    record.subject_alt_names.clear();
    record.drift = inventory::Drift{
        .issued_by_us = true, .authority = "main", .newest_for_names = false, .newer_serial = "ff"};
    nlohmann::json expected = expected_json(record, -365, true);
    expected["issued_by_us"] = true;
    expected["authority"] = "main";
    expected["revoked"] = false;
    expected["newest_for_names"] = false;
    expected["newer_serial"] = "ff";
    expected["drift"] = "STALE";
    std::string text;
    append_json(text, record, now, 0);
    EXPECT_EQ(text, expected.dump(2));
    EXPECT_EQ(to_json(record, now), expected);
}

}  // namespace
}  // namespace certfleet::cli
