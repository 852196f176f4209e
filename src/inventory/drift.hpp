#pragma once
// Drift: what is deployed or served against what we issued. For each certificate found by a scan or a
// probe, whether one of our authorities issued it (the store holds its serial with the same DER),
// whether the store holds a later, unrevoked certificate for the same names (so this one is stale),
// and whether the store says it is revoked.

#include <optional>
#include <string>
#include <vector>

namespace certfleet::store {
class Store;
struct CertificateRecord;
}  // namespace certfleet::store

namespace certfleet::inventory {

struct CertificateRecord;

/// What the store says about one certificate found.
struct Drift {
    bool issued_by_us = false;  ///< the store holds this serial with byte-identical DER
    std::string authority;      ///< which of our authorities issued it ("" when not ours)
    bool revoked = false;       ///< the store records it as revoked (only when ours)
    /// No later-issued, unrevoked certificate in the store has the same subject and at least its SANs.
    bool newest_for_names = true;
    std::string newer_serial;  ///< the newest such certificate when not newest_for_names, else ""
};

/// Returns "ok", "REVOKED", "STALE" or "FOREIGN" (not ours), the word the text outputs show.
std::string drift_label(const Drift& drift);

/// Judges `record` from the store's answers: `by_serial` is the store's certificate with the record's
/// serial (nullopt if none), `same_subject` every stored certificate with the record's subject.
/// Pure: no store access, so every case can be tested with hand-made records.
/// "Later-issued" means a later notBefore (then a later notAfter when notBefore is equal).
Drift judge_drift(const CertificateRecord& record,
                  const std::optional<store::CertificateRecord>& by_serial,
                  const std::vector<store::CertificateRecord>& same_subject);

/// Sets the `drift` of every record of `records`, looking each one up in `store` (one query by serial
/// and one by subject; subjects are looked up once). Throws what the store throws.
void add_drift(std::vector<CertificateRecord>& records, store::Store& store);

}  // namespace certfleet::inventory
