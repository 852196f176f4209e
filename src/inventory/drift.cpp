#include "inventory/drift.hpp"

#include "inventory/inventory_report.hpp"
#include "pki/certificate.hpp"
#include "pki/fingerprint.hpp"
#include "pki/object_reader.hpp"
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

namespace {

// Our own CA certificates (every issuer generation's chain) and the custom chains uploaded to us are ours
// too, though no ledger row records them: SHA-256 -> the authority or chain they belong to.
std::map<std::string, std::string> our_ca_certificates(store::Store& store) {
    std::map<std::string, std::string> ours;
    const auto add = [&ours](const std::string& pem, const std::string& owner) {
        for (const pki::Certificate& c : pki::read_certificates(pem, owner)) {
            ours.emplace(c.fingerprint(pki::DigestAlgorithm::sha256), owner);
        }
    };
    for (const std::string& name : store.authority_names()) {
        if (const auto authority = store.find_authority(name)) {
            for (const store::IssuerRecord& issuer : authority->issuers) {
                add(issuer.chain_pem, name);
            }
        }
    }
    for (const store::CustomChainRecord& chain : store.list_custom_chains({.include_replaced = true})) {
        add(chain.chain_pem + chain.certificate_pem, "custom chain " + chain.name);
    }
    return ours;
}

}  // namespace

void add_drift(std::vector<CertificateRecord>& records, store::Store& store) {
    std::map<std::string, std::vector<store::CertificateRecord>> by_subject;
    const std::map<std::string, std::string> ours = our_ca_certificates(store);
    for (CertificateRecord& record : records) {
        if (const auto it = ours.find(record.sha256); it != ours.end()) {
            record.drift = Drift{.issued_by_us = true, .authority = it->second};
            continue;
        }
        auto it = by_subject.find(record.subject);
        if (it == by_subject.end()) {
            it = by_subject.emplace(record.subject, store.certificates_with_subject(record.subject)).first;
        }
        record.drift = judge_drift(record, store.find_certificate(record.serial_hex), it->second);
    }
}

}  // namespace certfleet::inventory
