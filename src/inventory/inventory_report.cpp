#include "inventory/inventory_report.hpp"

#include <algorithm>
#include <cctype>

namespace certfleet::inventory {
namespace {

bool contains_ignoring_case(std::string_view haystack, std::string_view needle) {
    const auto* const it =
        std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        });
    return it != haystack.end() || needle.empty();
}

}  // namespace

CertificateRecord make_record(const pki::Certificate& certificate,
                              std::string path,
                              std::string location,
                              std::string format,
                              RecordDetail detail) {
    CertificateRecord record{.path = std::move(path),
                             .location = std::move(location),
                             .format = std::move(format),
                             .subject = {},
                             .issuer = {},
                             .subject_common_name = certificate.subject_common_name(),
                             .issuer_common_name = certificate.issuer_common_name(),
                             .serial_hex = certificate.serial_hex(),
                             .subject_alt_names = {},
                             .not_before = certificate.not_before(),
                             .not_after = certificate.not_after(),
                             .key_description = pki::to_string(certificate.key_description()),
                             .sha256 = {}};
    if (detail.distinguished_names || record.subject_common_name.empty()) {
        record.subject = certificate.subject();
    }
    if (detail.distinguished_names || record.issuer_common_name.empty()) {
        record.issuer = certificate.issuer();
    }
    if (detail.fingerprint) {
        record.sha256 = certificate.fingerprint(pki::DigestAlgorithm::sha256);
    }
    if (detail.subject_alt_names) {
        for (const pki::GeneralName& name : certificate.subject_alt_names()) {
            record.subject_alt_names.push_back(pki::to_string(name));
        }
    }
    return record;
}

long days_left(const CertificateRecord& record, core::TimePoint at) {
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(record.not_after - at).count();
    constexpr long seconds_per_day = 86400;
    // Round towards minus infinity: one second past notAfter is day -1, not day 0.
    const long days = static_cast<long>(seconds / seconds_per_day);
    return (seconds < 0 && seconds % seconds_per_day != 0) ? days - 1 : days;
}

bool has_expired_at(const CertificateRecord& record, core::TimePoint at) {
    return at > record.not_after;
}

bool matches(const CertificateRecord& record, const InventoryFilter& filter) {
    if (filter.expiring_within && record.not_after > filter.at + *filter.expiring_within) {
        return false;
    }
    if (!filter.issuer.empty() && !contains_ignoring_case(record.issuer, filter.issuer)) {
        return false;
    }
    if (!filter.name.empty()) {
        const bool in_subject = contains_ignoring_case(record.subject, filter.name);
        const bool in_sans = std::any_of(
            record.subject_alt_names.begin(), record.subject_alt_names.end(), [&](const std::string& san) {
                return contains_ignoring_case(san, filter.name);
            });
        if (!in_subject && !in_sans) {
            return false;
        }
    }
    return true;
}

std::vector<CertificateRecord> select(const std::vector<CertificateRecord>& records,
                                      const InventoryFilter& filter) {
    std::vector<CertificateRecord> out;
    std::copy_if(records.begin(), records.end(), std::back_inserter(out), [&](const CertificateRecord& r) {
        return matches(r, filter);
    });
    return out;
}

}  // namespace certfleet::inventory
