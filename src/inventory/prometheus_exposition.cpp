#include "inventory/prometheus_exposition.hpp"

#include "core/utf8.hpp"
#include "pki/openssl_handles.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <set>

namespace certfleet::inventory {
namespace {

struct Metric {
    std::string_view name;
    std::string_view help;
};

constexpr Metric not_before_metric{"x509_cert_not_before",
                                   "Indicates the certificate's not before timestamp"};
constexpr Metric not_after_metric{"x509_cert_not_after", "Indicates the certificate's not after timestamp"};
constexpr Metric expired_metric{"x509_cert_expired", "Indicates if the certificate is expired"};
constexpr Metric read_errors_metric{"x509_read_errors", "Indicates the number of read failure(s)"};

/// The exporter prints serial numbers as Go's big.Int String(): decimal.
std::string decimal_serial(const std::string& hex) {
    BIGNUM* raw = nullptr;
    if (hex.empty() || BN_hex2bn(&raw, hex.c_str()) == 0) {
        return hex;
    }
    const pki::BignumPtr number(raw);
    const pki::OpensslStringPtr text(BN_bn2dec(number.get()));
    return text ? std::string(text.get()) : hex;
}

std::string labels_of(const CertificateRecord& record) {
    return fmt::format(R"(filename="{}",filepath="{}",issuer_CN="{}",serial_number="{}",subject_CN="{}")",
                       escape_label_value(std::filesystem::path(record.path).filename().string()),
                       escape_label_value(record.path),
                       escape_label_value(record.issuer_common_name),
                       escape_label_value(decimal_serial(record.serial_hex)),
                       escape_label_value(record.subject_common_name));
}

long long unix_seconds(core::TimePoint at) {
    return std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count();
}

void append_header(std::string& out, const Metric& metric) {
    out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n", metric.name, metric.help, metric.name);
}

}  // namespace

std::string escape_label_value(std::string_view value) {
    // The text format is UTF-8 and a scraper drops the whole file at the first bad byte: bytes that are
    // not text become "\xNN" first, and that backslash is then escaped like any other.
    const std::string text = core::escape_invalid_utf8(value);
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '\\':
                out += "\\\\";
                break;
            case '"':
                out += "\\\"";
                break;
            case '\n':
                out += "\\n";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string to_prometheus_text(const InventoryReport& report, core::TimePoint at) {
    std::vector<std::pair<std::string, const CertificateRecord*>> series;
    std::set<std::string> seen;
    for (const CertificateRecord& record : report.certificates) {
        std::string labels = labels_of(record);
        if (seen.insert(labels).second) {
            series.emplace_back(std::move(labels), &record);
        }
    }
    std::string out;
    append_header(out, expired_metric);
    for (const auto& [labels, record] : series) {
        out += fmt::format("{}{{{}}} {}\n", expired_metric.name, labels, has_expired_at(*record, at) ? 1 : 0);
    }
    append_header(out, not_after_metric);
    for (const auto& [labels, record] : series) {
        out += fmt::format("{}{{{}}} {}\n", not_after_metric.name, labels, unix_seconds(record->not_after));
    }
    append_header(out, not_before_metric);
    for (const auto& [labels, record] : series) {
        out += fmt::format("{}{{{}}} {}\n", not_before_metric.name, labels, unix_seconds(record->not_before));
    }
    append_header(out, read_errors_metric);
    out += fmt::format("{} {}\n", read_errors_metric.name, report.errors.size());
    return out;
}

}  // namespace certfleet::inventory
