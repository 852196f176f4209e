#pragma once
// The record kinds the store keeps, as plain values. Each kind is read and written by one file
// (authority_records, certificate_ledger, crl_records, custom_chain_records, audit_log, store_settings).

#include "core/clock.hpp"
#include "pki/bytes.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certfleet::store {

/// Where an issuer generation is in its life: new certificates come from the active one; a retiring one
/// still signs CRLs for what it issued; a retired one signs nothing.
enum class IssuerState { active, retiring, retired };

/// Returns "active", "retiring" or "retired".
std::string_view to_string(IssuerState state) noexcept;

/// One generation of an authority's issuing CA: its chain and sealed key. A key change (rotation) adds a
/// generation; certificates and CRLs name the generation that signed them.
struct IssuerRecord {
    std::int64_t id = 0;  ///< assigned by the store
    std::string authority;
    std::int64_t generation = 1;
    std::string chain_pem;          ///< issuing certificate first, then its issuers up to the root
    std::string encrypted_key_pem;  ///< the issuing key, encrypted PKCS#8
    std::string key_id;             ///< the issuing certificate's subject key identifier, lower-case hex
    IssuerState state = IssuerState::active;
    core::TimePoint created_at;
};

/// A CA we operate, as stored. Keys are encrypted PKCS#8 PEM; the store never sees them in clear.
struct AuthorityRecord {
    std::string name;
    std::string root_key_pem;  ///< the root's encrypted key with --intermediate ("" when offline)
    std::string profiles_yaml;
    std::string policy_yaml;
    core::TimePoint created_at;
    std::vector<IssuerRecord> issuers;  ///< by generation, oldest first

    /// Returns the newest active issuer. Throws Error(not_found) if the authority has none.
    [[nodiscard]] const IssuerRecord& active_issuer() const;
    /// Returns the issuer with `id`, or nullptr.
    [[nodiscard]] const IssuerRecord* issuer_by_id(std::int64_t id) const noexcept;
};

enum class CertificateStatus { valid, revoked };

/// Returns "valid" or "revoked".
std::string_view to_string(CertificateStatus status) noexcept;

/// A certificate we issued.
struct CertificateRecord {
    std::string serial_hex;  ///< lower-case hex, the primary key
    std::string authority;
    std::int64_t issuer_id = 0;    ///< the issuer generation that signed it
    std::string authority_key_id;  ///< its AKID (the issuer's SKI), lower-case hex
    std::string subject;
    std::vector<std::string> subject_alt_names;  ///< "DNS:a.example"
    core::TimePoint not_before;
    core::TimePoint not_after;
    std::string profile;
    std::string requester;
    CertificateStatus status = CertificateStatus::valid;
    std::optional<core::TimePoint> revoked_at;
    std::string revocation_reason;  ///< RFC 5280 5.3.1 name, "" when valid
    std::string renews_serial;      ///< the certificate this one renews ("" for a first issuance)
    pki::Bytes der;
};

/// Which certificates list_certificates returns; empty fields do not filter.
struct CertificateFilter {
    std::string authority;
    std::optional<std::int64_t> issuer_id;
    std::optional<core::TimePoint> not_after_before;  ///< expiring: not_after < this
    bool revoked_only = false;
};

/// Who did a mutation and when; every mutation writes one audit entry in the same commit.
struct Actor {
    std::string name;  ///< "cli:alice", "node:db1", "acme:acct/42", "puppet:agent1"
    core::TimePoint at;
};

/// One line of the audit log.
struct AuditEntry {
    std::int64_t id = 0;
    core::TimePoint at;
    std::string actor;
    std::string action;     ///< "authority.create", "certificate.issue", "certificate.revoke", "crl.generate"
    std::string target;     ///< authority name or serial
    std::string outcome;    ///< "ok", or why it was refused
    std::string authority;  ///< the authority concerned, "" when none
};

/// Which audit entries audit_log returns, newest first.
struct AuditFilter {
    std::size_t limit = 50;
    std::string authority;  ///< "" for every authority
};

/// Who signed a CRL of an issuer generation: the issuing CA itself (its certificates), or the root above
/// it (its intermediates; imported when the root key is offline).
enum class CrlSigner { issuer, root };

/// A CRL we signed or imported: per issuer generation and signer, numbered upwards.
struct CrlRecord {
    std::string authority;
    std::int64_t issuer_id = 0;
    CrlSigner signer = CrlSigner::issuer;
    std::int64_t number = 0;
    core::TimePoint this_update;
    core::TimePoint next_update;
    pki::Bytes der;
};

/// A custom certificate chain uploaded under a name and domain suffix (seed 004: CloudStack's keystore
/// table). CloudStack keeps one row per certificate with seq its place in the chain; certfleet keeps one
/// row per upload, and seq counts the uploads under one name + suffix, so a redo keeps its predecessor.
struct CustomChainRecord {
    std::int64_t id = 0;  ///< assigned by the store
    std::string name;
    std::string domain_suffix;
    std::int64_t seq = 0;           ///< assigned: 1 for the first upload under name + suffix, then 2, 3...
    std::string certificate_pem;    ///< the server certificate
    std::string chain_pem;          ///< the root, then the intermediates root-down (Apache's chain file)
    std::string encrypted_key_pem;  ///< the server key, encrypted PKCS#8 (as CA keys at rest)
    core::TimePoint uploaded_at;
    std::optional<core::TimePoint> replaced_at;  ///< when a later upload under name + suffix replaced it
};

/// Which custom chains list_custom_chains returns; empty fields do not filter.
struct CustomChainFilter {
    std::string name;
    std::string domain_suffix;
    bool include_replaced = false;  ///< also the history, not only the current chain of each name + suffix
};

}  // namespace certfleet::store
