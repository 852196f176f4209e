#pragma once

#include "core/clock.hpp"
#include "inventory/endpoint_scanner.hpp"
#include "inventory/inventory_report.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace certfleet::cli {

/// Appends the JSON object of one inventory record (field names documented in README.md) to `out`, laid
/// out as nlohmann::json::dump(2) lays it out at `depth` levels of nesting (keys in sorted order), with
/// no final newline. Written directly: `scan --json` formats every record this way on its workers.
void append_json(std::string& out,
                 const inventory::CertificateRecord& record,
                 core::TimePoint now,
                 int depth);

/// Returns the JSON form of one inventory record (append_json, parsed).
nlohmann::json to_json(const inventory::CertificateRecord& record, core::TimePoint now);

/// Returns the CSV header line and one CSV line per record (RFC 4180 quoting; SANs joined by ';').
std::string csv_header();
std::string to_csv_line(const inventory::CertificateRecord& record, core::TimePoint now);

/// Returns the table header and one aligned table row per record; with a DRIFT column (ok, STALE,
/// REVOKED, FOREIGN) when `with_drift` (rows show it when their record has a drift).
std::string table_header(bool with_drift = false);
std::string to_table_row(const inventory::CertificateRecord& record, core::TimePoint now);

/// Returns the JSON form of a probe, and its human form.
nlohmann::json to_json(const inventory::EndpointReport& report, core::TimePoint now);
std::string to_text(const inventory::EndpointReport& report, core::TimePoint now);

}  // namespace certfleet::cli
