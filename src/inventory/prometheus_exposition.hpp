#pragma once

#include "core/clock.hpp"
#include "inventory/inventory_report.hpp"

#include <string>
#include <string_view>

namespace certfleet::inventory {

/// Returns `value` escaped for a label value of the Prometheus text format 0.0.4: backslash, double
/// quote and line feed become \\, \" and \n.
std::string escape_label_value(std::string_view value);

/// Returns the report in the Prometheus text exposition format 0.0.4, with the metric names and labels
/// of x509-certificate-exporter (enix), so its dashboards and alerts work unchanged:
///   x509_cert_not_before / x509_cert_not_after  gauge, Unix seconds
///   x509_cert_expired                           gauge, 1 if `at` is past notAfter, else 0
///   x509_read_errors                            gauge, the number of files that could not be read
/// Labels: filename, filepath, issuer_CN, serial_number (decimal, as the exporter prints it),
/// subject_CN. A certificate seen twice in one file (same labels) is exposed once.
std::string to_prometheus_text(const InventoryReport& report, core::TimePoint at);

}  // namespace certfleet::inventory
