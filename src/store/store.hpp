#pragma once
// store/ owns what certfleet remembers: authorities (chain, encrypted key, profiles, policy), issued
// certificates, CRL numbers and the audit log of every mutation. It declares the Store interface the
// authority (and later enrollment) needs and implements it twice, SQLite (the embedded default, one file
// in WAL mode) and PostgreSQL (shared by several servers), with one schema history (migrations.hpp).
// It does not decide anything about certificates: authority/ judges, store/ records.

#include "core/clock.hpp"
#include "pki/bytes.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certfleet::store {

/// A CA we operate, as stored. The key is encrypted PKCS#8 PEM; the store never sees it in clear.
struct AuthorityRecord {
    std::string name;
    std::string chain_pem;          ///< issuing certificate first, then its issuers up to the root
    std::string encrypted_key_pem;  ///< the issuing key, encrypted PKCS#8
    std::string root_key_pem;       ///< the root's encrypted key with --intermediate ("" when offline)
    std::string profiles_yaml;
    std::string policy_yaml;
    core::TimePoint created_at;
};

enum class CertificateStatus { valid, revoked };

/// Returns "valid" or "revoked".
std::string_view to_string(CertificateStatus status) noexcept;

/// A certificate we issued.
struct CertificateRecord {
    std::string serial_hex;  ///< lower-case hex, the primary key
    std::string authority;
    std::string subject;
    std::vector<std::string> subject_alt_names;  ///< "DNS:a.example"
    core::TimePoint not_before;
    core::TimePoint not_after;
    std::string profile;
    std::string requester;
    CertificateStatus status = CertificateStatus::valid;
    std::optional<core::TimePoint> revoked_at;
    std::string revocation_reason;  ///< RFC 5280 5.3.1 name, "" when valid
    pki::Bytes der;
};

/// Which certificates list_certificates returns; empty fields do not filter.
struct CertificateFilter {
    std::string authority;
    std::optional<core::TimePoint> not_after_before;  ///< expiring: not_after < this
    bool revoked_only = false;
};

/// Who did a mutation and when; every mutating call writes one audit entry in the same transaction.
struct Actor {
    std::string name;  ///< "cli:alice", "node:db1"
    core::TimePoint at;
};

/// One line of the audit log.
struct AuditEntry {
    std::int64_t id = 0;
    core::TimePoint at;
    std::string actor;
    std::string action;   ///< "authority.create", "certificate.issue", "certificate.revoke", "crl.generate"
    std::string target;   ///< authority name or serial
    std::string outcome;  ///< "ok", or why it was refused
};

/// A CRL we signed.
struct CrlRecord {
    std::string authority;
    std::int64_t number = 0;
    core::TimePoint this_update;
    core::TimePoint next_update;
    pki::Bytes der;
};

/// What the authority needs from a database. Implementations are safe to call from several threads.
class Store {
public:
    virtual ~Store() = default;

    /// Records a new authority. Throws Error(conflict) if one with that name exists.
    virtual void create_authority(const AuthorityRecord& authority, const Actor& actor) = 0;
    /// Replaces the stored root key (e.g. "" after export-root-key --remove). Throws Error(not_found).
    virtual void update_root_key(std::string_view name,
                                 const std::string& root_key_pem,
                                 const Actor& actor) = 0;
    /// Returns the authority, or nullopt.
    virtual std::optional<AuthorityRecord> find_authority(std::string_view name) = 0;
    /// Returns the names of all authorities, sorted.
    virtual std::vector<std::string> authority_names() = 0;

    /// Records an issued certificate durably (committed and synced) before returning; concurrent calls
    /// may share one commit. Throws Error(conflict) if the serial exists (the caller draws another).
    virtual void insert_certificate(const CertificateRecord& certificate, const Actor& actor) = 0;
    /// Returns the certificate with `serial_hex`, or nullopt.
    virtual std::optional<CertificateRecord> find_certificate(std::string_view serial_hex) = 0;
    /// Returns every certificate issued for exactly `subject` (RFC 2253), by any authority, ordered by
    /// not_before then serial: what drift checks look through for a newer certificate for the same names.
    virtual std::vector<CertificateRecord> certificates_with_subject(std::string_view subject) = 0;
    /// Returns matching certificates ordered by not_after.
    virtual std::vector<CertificateRecord> list_certificates(const CertificateFilter& filter) = 0;
    /// Marks a certificate revoked. Throws Error(not_found), or Error(conflict) if already revoked.
    virtual void revoke_certificate(std::string_view serial_hex,
                                    std::string_view reason,
                                    const Actor& actor) = 0;

    /// Records a CRL; its number must be above every earlier one of that authority (Error(conflict)).
    virtual void record_crl(const CrlRecord& crl, const Actor& actor) = 0;
    /// Returns the newest CRL of `authority`, or nullopt.
    virtual std::optional<CrlRecord> latest_crl(std::string_view authority) = 0;

    /// Records a refused or failed attempt (mutations record themselves).
    virtual void append_audit(const AuditEntry& entry) = 0;
    /// Returns the newest `limit` audit entries, newest first.
    virtual std::vector<AuditEntry> audit_log(std::size_t limit) = 0;

    /// Returns the schema version the database is at.
    virtual int schema_version() = 0;
};

/// Opens the store at `url`: "sqlite:///abs/path.db", "sqlite:relative.db", "sqlite::memory:" or
/// "postgresql://user@host:port/db" (also "postgres://"). Creates and migrates the schema.
/// Throws Error(invalid_input) for an unknown scheme, Error(unavailable) if it cannot be opened.
std::unique_ptr<Store> open_store(const std::string& url);

}  // namespace certfleet::store
