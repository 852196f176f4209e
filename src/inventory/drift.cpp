#include "inventory/drift.hpp"

#include "inventory/inventory_report.hpp"
#include "pki/fingerprint.hpp"
#include "store/store.hpp"

#include <algorithm>
#include <map>

namespace certfleet::inventory {
namespace {

bool issued_later(const store::CertificateRecord& candidate, const CertificateRecord& record) {
    if (candidate.not_before != record.not_before) {
        return candidate.not_before > record.not_before;
    }
    return candidate.not_after > record.not_after;
}

bool covers_names(const store::CertificateRecord& candidate, const CertificateRecord& record) {
    return std::all_of(
        record.subject_alt_names.begin(), record.subject_alt_names.end(), [&](const std::string& name) {
            return std::find(candidate.subject_alt_names.begin(), candidate.subject_alt_names.end(), name) !=
                   candidate.subject_alt_names.end();
        });
}

}  // namespace

std::string drift_label(const Drift& drift) {
    if (!drift.issued_by_us) {
        return "FOREIGN";
    }
    if (drift.revoked) {
        return "REVOKED";
    }
    return drift.newest_for_names ? "ok" : "STALE";
}

Drift judge_drift(const CertificateRecord& record,
                  const std::optional<store::CertificateRecord>& by_serial,
                  const std::vector<store::CertificateRecord>& same_subject) {
    Drift drift;
    if (by_serial && pki::fingerprint(pki::DigestAlgorithm::sha256, by_serial->der) == record.sha256) {
        drift.issued_by_us = true;
        drift.authority = by_serial->authority;
        drift.revoked = by_serial->status == store::CertificateStatus::revoked;
    }
    const store::CertificateRecord* newest = nullptr;
    for (const store::CertificateRecord& candidate : same_subject) {
        if (candidate.serial_hex == record.serial_hex || candidate.subject != record.subject ||
            candidate.status == store::CertificateStatus::revoked || !issued_later(candidate, record) ||
            !covers_names(candidate, record)) {
            continue;
        }
        if (newest == nullptr || candidate.not_before > newest->not_before ||
            (candidate.not_before == newest->not_before && candidate.not_after > newest->not_after)) {
            newest = &candidate;
        }
    }
    if (newest != nullptr) {
        drift.newest_for_names = false;
        drift.newer_serial = newest->serial_hex;
    }
    return drift;
}

void add_drift(std::vector<CertificateRecord>& records, store::Store& store) {
    std::map<std::string, std::vector<store::CertificateRecord>> by_subject;
    for (CertificateRecord& record : records) {
        auto it = by_subject.find(record.subject);
        if (it == by_subject.end()) {
            it = by_subject.emplace(record.subject, store.certificates_with_subject(record.subject)).first;
        }
        record.drift = judge_drift(record, store.find_certificate(record.serial_hex), it->second);
    }
}

}  // namespace certfleet::inventory
