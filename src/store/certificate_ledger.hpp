#pragma once

#include "store/records.hpp"
#include "store/transaction.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace certfleet::store {

/// Records an issued certificate. Throws Error(conflict) naming the serial if it is taken.
void insert_certificate(Transaction& tx, const CertificateRecord& certificate);
/// Returns the certificate with `serial_hex`, or nullopt.
std::optional<CertificateRecord> find_certificate(Transaction& tx, std::string_view serial_hex);
/// Returns every certificate issued for exactly `subject` (RFC 2253), by any authority, ordered by
/// not_before then serial: what drift checks look through for a newer certificate for the same names.
std::vector<CertificateRecord> certificates_with_subject(Transaction& tx, std::string_view subject);
/// Returns matching certificates ordered by not_after.
std::vector<CertificateRecord> list_certificates(Transaction& tx, const CertificateFilter& filter);
/// Marks a certificate of `authority` revoked at `at` and returns it as revoked. Throws Error(not_found)
/// if `authority` issued no certificate with that serial, Error(conflict) if it is already revoked.
CertificateRecord revoke_certificate(Transaction& tx,
                                     std::string_view authority,
                                     std::string_view serial_hex,
                                     std::string_view reason,
                                     core::TimePoint at);

}  // namespace certfleet::store
