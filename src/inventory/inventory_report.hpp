#pragma once

#include "core/clock.hpp"
#include "core/duration.hpp"
#include "core/error.hpp"
#include "inventory/drift.hpp"
#include "pki/certificate.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certfleet::inventory {

/// One certificate found in a file, keystore or TLS handshake, reduced to what an inventory shows.
struct CertificateRecord {
    std::string path;      ///< the file scanned, or "host:port" for an endpoint
    std::string location;  ///< where in it ("node1.pem: block 2 (line 31)", "chain certificate 1")
    std::string format;    ///< "pem", "der", "pkcs12", "jks", "tls"
    std::string subject;   ///< RFC 2253
    std::string issuer;
    std::string subject_common_name;
    std::string issuer_common_name;
    std::string serial_hex;                      ///< lower-case hex, as Certificate::serial_hex
    std::vector<std::string> subject_alt_names;  ///< "DNS:a.example", "IP:10.0.0.1"
    core::TimePoint not_before;
    core::TimePoint not_after;
    std::string key_description;  ///< "RSA 2048", "EC P-256"
    std::string sha256;           ///< fingerprint as OpenSSL prints it (AA:BB:...)
    std::optional<Drift> drift;   ///< set by add_drift when a store was given
};

/// Which fields of a record an output needs; the others stay empty and cost nothing.
struct RecordDetail {
    bool distinguished_names = true;  ///< subject and issuer as RFC 2253 (else only when a CN is missing)
    bool subject_alt_names = true;
    bool fingerprint = true;  ///< sha256
};

/// Returns the record of `certificate` found at `path` / `location`, with the fields `detail` asks for.
CertificateRecord make_record(const pki::Certificate& certificate,
                              std::string path,
                              std::string location,
                              std::string format,
                              RecordDetail detail = {});

/// Returns whole days from `at` until the record's notAfter, rounded down (negative once expired).
long days_left(const CertificateRecord& record, core::TimePoint at);

/// Returns true if `at` is after the record's notAfter.
bool has_expired_at(const CertificateRecord& record, core::TimePoint at);

/// A file that could not be read; the scan goes on without it.
struct ScanError {
    std::string path;
    std::string reason;  ///< what was wrong, without the path prefix
    core::ErrorCode code = core::ErrorCode::invalid_input;
};

/// What a scan found: every certificate in path order, and every file that could not be read.
struct InventoryReport {
    std::vector<CertificateRecord> certificates;
    std::vector<ScanError> errors;
    std::size_t files_read = 0;
};

/// Which records an operator asked for. Empty fields select everything.
struct InventoryFilter {
    std::optional<core::Seconds> expiring_within;  ///< notAfter before `at` + this (expired included)
    std::string issuer;                            ///< case-insensitive substring of the issuer DN
    std::string name;    ///< case-insensitive substring of the subject DN or of any SAN
    core::TimePoint at;  ///< the time `expiring_within` counts from
};

/// Returns true if `record` passes every condition of `filter`.
bool matches(const CertificateRecord& record, const InventoryFilter& filter);

/// Returns the records of `records` that match `filter`, in their order.
std::vector<CertificateRecord> select(const std::vector<CertificateRecord>& records,
                                      const InventoryFilter& filter);

}  // namespace certfleet::inventory
