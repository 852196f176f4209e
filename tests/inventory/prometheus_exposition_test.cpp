#include "inventory/prometheus_exposition.hpp"

#include <gtest/gtest.h>

namespace certfleet::inventory {
namespace {

core::TimePoint unix_time(long long seconds) {
    return core::TimePoint(std::chrono::seconds(seconds));
}

CertificateRecord fixed_record() {
    CertificateRecord record;
    record.path = "/etc/ssl/node1.pem";
    record.location = "/etc/ssl/node1.pem: block 1 (CERTIFICATE, line 1)";
    record.subject_common_name = "node1.example.com";
    record.issuer_common_name = "Test CA";
    record.serial_hex = "0a1b";  // 2587
    record.not_before = unix_time(1577836800);
    record.not_after = unix_time(4102358400);
    return record;
}

TEST(PrometheusExposition, EscapesBackslashQuoteAndNewlineInLabelValues) {
    EXPECT_EQ(escape_label_value(R"(a\b"c)"
                                 "\n"
                                 "d"),
              R"(a\\b\"c\nd)");
    EXPECT_EQ(escape_label_value("plain é"), "plain é");
}

TEST(PrometheusExposition, WritesTheExporterMetricsForAFixedRecord) {
    InventoryReport report;
    report.certificates.push_back(fixed_record());
    report.errors.push_back({"/etc/ssl/bad.pem", "bad base64", core::ErrorCode::invalid_input});
    const std::string labels =
        R"({filename="node1.pem",filepath="/etc/ssl/node1.pem",issuer_CN="Test CA",serial_number="2587",)"
        R"(subject_CN="node1.example.com"})";
    const std::string expected =
        "# HELP x509_cert_expired Indicates if the certificate is expired\n"
        "# TYPE x509_cert_expired gauge\n"
        "x509_cert_expired" +
        labels +
        " 0\n"
        "# HELP x509_cert_not_after Indicates the certificate's not after timestamp\n"
        "# TYPE x509_cert_not_after gauge\n"
        "x509_cert_not_after" +
        labels +
        " 4102358400\n"
        "# HELP x509_cert_not_before Indicates the certificate's not before timestamp\n"
        "# TYPE x509_cert_not_before gauge\n"
        "x509_cert_not_before" +
        labels +
        " 1577836800\n"
        "# HELP x509_read_errors Indicates the number of read failure(s)\n"
        "# TYPE x509_read_errors gauge\n"
        "x509_read_errors 1\n";
    EXPECT_EQ(to_prometheus_text(report, unix_time(1700000000)), expected);
}

TEST(PrometheusExposition, MarksExpiredOnlyAfterNotAfter) {
    InventoryReport report;
    report.certificates.push_back(fixed_record());
    EXPECT_NE(to_prometheus_text(report, unix_time(4102358400)).find("} 0\n"), std::string::npos);
    const std::string after = to_prometheus_text(report, unix_time(4102358401));
    EXPECT_NE(after.find("x509_cert_expired{filename=\"node1.pem\""), std::string::npos);
    EXPECT_NE(after.find("\"} 1\n"), std::string::npos);
}

TEST(PrometheusExposition, EscapesHostilePathsAndExposesEachSeriesOnce) {
    InventoryReport report;
    CertificateRecord record = fixed_record();
    record.path = "/tmp/we\"ird\\na\nme.pem";
    report.certificates.push_back(record);
    report.certificates.push_back(record);  // the same certificate twice in one bundle
    const std::string text = to_prometheus_text(report, unix_time(0));
    EXPECT_NE(text.find(R"(filepath="/tmp/we\"ird\\na\nme.pem")"), std::string::npos);
    std::size_t count = 0;
    for (auto at = text.find("x509_cert_not_after{"); at != std::string::npos;
         at = text.find("x509_cert_not_after{", at + 1)) {
        ++count;
    }
    EXPECT_EQ(count, 1U);
    EXPECT_NE(text.find("x509_read_errors 0\n"), std::string::npos);
}

TEST(PrometheusExposition, LabelValuesAreUtf8EvenWhenTheFileNameOrCommonNameIsNot) {
    InventoryReport report;
    CertificateRecord record = fixed_record();
    record.path = "/etc/ssl/node\xFF.pem";
    record.subject_common_name = "caf\xC3\xA9 \xE9t\xE9";  // UTF-8 e-acute, then Latin-1 e-acute twice
    report.certificates.push_back(record);
    const std::string text = to_prometheus_text(report, unix_time(0));
    EXPECT_NE(text.find(R"(filename="node\\xFF.pem")"), std::string::npos) << text;
    EXPECT_NE(text.find("subject_CN=\"caf\xC3\xA9 \\\\xE9t\\\\xE9\""), std::string::npos) << text;
    EXPECT_EQ(text.find('\xFF'), std::string::npos);
}

}  // namespace
}  // namespace certfleet::inventory
