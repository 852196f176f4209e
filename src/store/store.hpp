#pragma once
// store/ owns what certfleet remembers: authorities and their issuer generations (chain, sealed key),
// issued certificates, CRLs per issuer, custom chains uploaded from other CAs (seed 004), store-wide
// settings and the audit log of every mutation. Each record kind is written once (authority_records,
// certificate_ledger, crl_records, custom_chain_records, audit_log, store_settings) over a thin SQL layer
// (sql_connection.hpp) with two small drivers, SQLite (the embedded default, one file in WAL mode) and
// PostgreSQL (shared by several servers, pooled), and one schema history (migrations.cpp). Several record
// operations commit together as a unit of work, with their audit entry; concurrent units share commits.
// It does not decide anything about certificates: authority/ judges, store/ records.

#include "store/database.hpp"
#include "store/records.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certfleet::store {

/// The store: units of work over the database, and the everyday record operations as one call each
/// (each one unit of work with its audit entry). Safe to call from several threads.
class Store {
public:
    explicit Store(const StoreLocation& location) : m_database(location) {}

    /// Commits `unit` durably (group commit). Record functions from the record headers join it.
    void commit(const UnitOfWork& unit) { m_database.commit(unit); }
    /// Runs a read-only query and returns its result.
    template <class Query>
    auto read(Query&& query) {
        return m_database.read(std::forward<Query>(query));
    }
    /// Returns the dialect of the database behind the store.
    [[nodiscard]] SqlDialect dialect() const noexcept { return m_database.dialect(); }
    /// Opens a listener on `channel` (Database::listen); nullptr on SQLite.
    [[nodiscard]] std::unique_ptr<NotificationListener> listen(std::string channel) const {
        return m_database.listen(std::move(channel));
    }

    /// Records a new authority with its issuers (ids assigned). Throws Error(conflict) if the name exists.
    void create_authority(AuthorityRecord& authority, const Actor& actor);
    /// Replaces the stored root key (e.g. "" after export-root-key --remove). Throws Error(not_found).
    void update_root_key(std::string_view name, const std::string& root_key_pem, const Actor& actor);
    /// Returns the authority with its issuers, or nullopt.
    std::optional<AuthorityRecord> find_authority(std::string_view name);
    /// Returns the names of all authorities, sorted.
    std::vector<std::string> authority_names();

    /// Records an issued certificate durably (committed and synced) before returning; concurrent calls
    /// share commits. Throws Error(conflict) if the serial exists (the caller draws another).
    void insert_certificate(const CertificateRecord& certificate, const Actor& actor);
    /// Returns the certificate with `serial_hex`, or nullopt.
    std::optional<CertificateRecord> find_certificate(std::string_view serial_hex);
    /// Returns every certificate issued for exactly `subject` (RFC 2253), ordered by not_before then serial.
    std::vector<CertificateRecord> certificates_with_subject(std::string_view subject);
    /// Returns matching certificates ordered by not_after.
    std::vector<CertificateRecord> list_certificates(const CertificateFilter& filter);
    /// Marks a certificate of `authority` revoked and returns it. Throws Error(not_found) if `authority` did
    /// not issue `serial_hex`, Error(conflict) if it is already revoked.
    CertificateRecord revoke_certificate(std::string_view authority,
                                         std::string_view serial_hex,
                                         std::string_view reason,
                                         const Actor& actor);

    /// Records a CRL; its number must be above every earlier one of its issuer (Error(conflict)).
    void record_crl(const CrlRecord& crl, const Actor& actor);
    /// Returns the newest CRL of issuer generation `issuer_id` by `signer`, or nullopt.
    std::optional<CrlRecord> latest_crl(std::int64_t issuer_id, CrlSigner signer = CrlSigner::issuer);

    /// Records an uploaded custom chain as current for its name + suffix, keeping the one it replaces.
    CustomChainRecord record_custom_chain(const CustomChainRecord& chain, const Actor& actor);
    /// Returns matching custom chains by name, domain suffix, then newest first.
    std::vector<CustomChainRecord> list_custom_chains(const CustomChainFilter& filter);

    /// Records a refused or failed attempt (mutations record themselves).
    void append_audit(const AuditEntry& entry);
    /// Returns the newest matching audit entries, newest first.
    std::vector<AuditEntry> audit_log(const AuditFilter& filter);

    /// Returns the schema version the database is at.
    int schema_version() { return m_database.schema_version(); }

private:
    Database m_database;
};

/// Parses a store URL: "sqlite:///abs/path.db", "sqlite:relative.db", "sqlite::memory:" or
/// "postgresql://user@host:port/db[?pool=N&connect_timeout=S&statement_timeout=S]" (also "postgres://").
/// Throws Error(invalid_input) naming the field `store` for an unknown scheme or a bad parameter.
StoreLocation parse_store_url(const std::string& url);

/// Opens the store at `url` (see parse_store_url), creating and migrating the schema.
/// Throws Error(invalid_input) for a bad URL, Error(unavailable) if it cannot be opened.
std::unique_ptr<Store> open_store(const std::string& url);

}  // namespace certfleet::store
