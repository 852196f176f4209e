// The embedded store: one SQLite file in WAL mode with synchronous=FULL, so a COMMIT has reached the
// disk when it returns. Concurrent insert_certificate calls share commits (group commit): the first
// caller to find no commit running becomes the leader, takes every queued insert into one transaction,
// commits it and wakes the others (group_commit.hpp); nobody returns before its commit is synced.
#include "core/error.hpp"
#include "store/group_commit.hpp"
#include "store/migrations.hpp"
#include "store/record_codec.hpp"
#include "store/sqlite_statement.hpp"
#include "store/store_url.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <exception>
#include <fcntl.h>
#include <memory>
#include <mutex>
#include <optional>
#include <unistd.h>

namespace certfleet::store {
namespace {

using sqlite::DatabasePtr;
using sqlite::Statement;
using sqlite::StatementPtr;

using core::Error;
using core::ErrorCode;

constexpr std::string_view certificate_columns =
    "serial, authority, subject, sans, not_before, not_after, profile, requester, status, revoked_at, "
    "revocation_reason, der";

CertificateRecord read_certificate(Statement& s) {
    CertificateRecord r;
    r.serial_hex = s.text(0);
    r.authority = s.text(1);
    r.subject = s.text(2);
    r.subject_alt_names = split_names(s.text(3));
    r.not_before = from_unix_seconds(s.integer(4));
    r.not_after = from_unix_seconds(s.integer(5));
    r.profile = s.text(6);
    r.requester = s.text(7);
    r.status = s.text(8) == "revoked" ? CertificateStatus::revoked : CertificateStatus::valid;
    if (!s.is_null(9)) {
        r.revoked_at = from_unix_seconds(s.integer(9));
    }
    r.revocation_reason = s.text(10);
    r.der = s.blob(11);
    return r;
}

class SqliteStore final : public Store {
public:
    explicit SqliteStore(const std::string& path) {
        // The file holds encrypted CA keys and the audit log: create it 0600 (SQLite would use 0644, and
        // gives its -wal and -shm files the permissions of the database file).
        if (path != ":memory:") {
            const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
            if (fd >= 0) {
                ::close(fd);
            }
        }
        sqlite3* raw = nullptr;
        const int rc = sqlite3_open_v2(
            path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
        m_db.reset(raw);
        if (rc != SQLITE_OK) {
            throw Error(ErrorCode::unavailable,
                        fmt::format("{}: cannot open the SQLite store: {}",
                                    path,
                                    raw != nullptr ? sqlite3_errmsg(raw) : "out of memory"));
        }
        sqlite3_busy_timeout(m_db.get(), 10000);
        if (path != ":memory:") {
            exec("PRAGMA journal_mode=WAL");
        }
        // In WAL mode FULL syncs the log on every commit; NORMAL would not (a crash could lose it).
        exec("PRAGMA synchronous=FULL");
        exec("PRAGMA foreign_keys=ON");
        migrate(path);
    }

    void create_authority(const AuthorityRecord& a, const Actor& actor) override {
        const std::lock_guard lock(m_mutex);
        Transaction tx(*this);
        try {
            Statement(
                m_db.get(),
                "INSERT INTO authorities (name, chain_pem, encrypted_key_pem, root_key_pem, profiles_yaml, "
                "policy_yaml, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
                .bind(1, a.name)
                .bind(2, a.chain_pem)
                .bind(3, a.encrypted_key_pem)
                .bind(4, a.root_key_pem)
                .bind(5, a.profiles_yaml)
                .bind(6, a.policy_yaml)
                .bind(7, to_unix_seconds(a.created_at))
                .step();
        } catch (const Error& e) {
            if (e.code() == ErrorCode::conflict) {
                throw Error(ErrorCode::conflict, fmt::format("authority \"{}\" already exists", a.name));
            }
            throw;
        }
        audit({.at = actor.at,
               .actor = actor.name,
               .action = "authority.create",
               .target = a.name,
               .outcome = "ok"});
        tx.commit();
    }

    void update_root_key(std::string_view name,
                         const std::string& root_key_pem,
                         const Actor& actor) override {
        const std::lock_guard lock(m_mutex);
        Transaction tx(*this);
        Statement(m_db.get(), "UPDATE authorities SET root_key_pem = ?1 WHERE name = ?2")
            .bind(1, root_key_pem)
            .bind(2, name)
            .step();
        if (sqlite3_changes(m_db.get()) != 1) {
            throw Error(ErrorCode::not_found, fmt::format("no authority \"{}\"", name));
        }
        audit({.at = actor.at,
               .actor = actor.name,
               .action = root_key_pem.empty() ? "authority.remove_root_key" : "authority.set_root_key",
               .target = std::string(name),
               .outcome = "ok"});
        tx.commit();
    }

    std::optional<AuthorityRecord> find_authority(std::string_view name) override {
        const std::lock_guard lock(m_mutex);
        Statement s(m_db.get(),
                    "SELECT name, chain_pem, encrypted_key_pem, root_key_pem, profiles_yaml, policy_yaml, "
                    "created_at FROM authorities WHERE name = ?1");
        s.bind(1, name);
        if (!s.step()) {
            return std::nullopt;
        }
        return AuthorityRecord{.name = s.text(0),
                               .chain_pem = s.text(1),
                               .encrypted_key_pem = s.text(2),
                               .root_key_pem = s.text(3),
                               .profiles_yaml = s.text(4),
                               .policy_yaml = s.text(5),
                               .created_at = from_unix_seconds(s.integer(6))};
    }

    std::vector<std::string> authority_names() override {
        const std::lock_guard lock(m_mutex);
        Statement s(m_db.get(), "SELECT name FROM authorities ORDER BY name");
        std::vector<std::string> out;
        while (s.step()) {
            out.push_back(s.text(0));
        }
        return out;
    }

    void insert_certificate(const CertificateRecord& certificate, const Actor& actor) override {
        PendingInsert pending{.certificate = &certificate, .actor = &actor};
        m_group_commit.submit(pending,
                              [this](const std::vector<PendingInsert*>& batch) { commit_batch(batch); });
    }

    std::optional<CertificateRecord> find_certificate(std::string_view serial_hex) override {
        const std::lock_guard lock(m_mutex);
        Statement s(m_db.get(),
                    fmt::format("SELECT {} FROM certificates WHERE serial = ?1", certificate_columns));
        s.bind(1, serial_hex);
        if (!s.step()) {
            return std::nullopt;
        }
        return read_certificate(s);
    }

    std::vector<CertificateRecord> certificates_with_subject(std::string_view subject) override {
        const std::lock_guard lock(m_mutex);
        Statement s(m_db.get(),
                    fmt::format("SELECT {} FROM certificates WHERE subject = ?1 ORDER BY not_before, serial",
                                certificate_columns));
        s.bind(1, subject);
        std::vector<CertificateRecord> out;
        while (s.step()) {
            out.push_back(read_certificate(s));
        }
        return out;
    }

    std::vector<CertificateRecord> list_certificates(const CertificateFilter& filter) override {
        const std::lock_guard lock(m_mutex);
        Statement s(m_db.get(),
                    fmt::format("SELECT {} FROM certificates WHERE (?1 = '' OR authority = ?1) AND "
                                "(?2 IS NULL OR not_after < ?2) AND (?3 = 0 OR status = 'revoked') "
                                "ORDER BY not_after, serial",
                                certificate_columns));
        s.bind(1, filter.authority);
        if (filter.not_after_before) {
            s.bind(2, to_unix_seconds(*filter.not_after_before));
        } else {
            s.bind_null(2);
        }
        s.bind(3, std::int64_t{filter.revoked_only ? 1 : 0});
        std::vector<CertificateRecord> out;
        while (s.step()) {
            out.push_back(read_certificate(s));
        }
        return out;
    }

    void revoke_certificate(std::string_view serial_hex,
                            std::string_view reason,
                            const Actor& actor) override {
        const std::lock_guard lock(m_mutex);
        Transaction tx(*this);
        Statement current(m_db.get(), "SELECT status FROM certificates WHERE serial = ?1");
        current.bind(1, serial_hex);
        if (!current.step()) {
            throw Error(ErrorCode::not_found, fmt::format("no certificate with serial {}", serial_hex));
        }
        if (current.text(0) == "revoked") {
            throw Error(ErrorCode::conflict, fmt::format("certificate {} is already revoked", serial_hex));
        }
        Statement(m_db.get(),
                  "UPDATE certificates SET status = 'revoked', revoked_at = ?1, revocation_reason = ?2 "
                  "WHERE serial = ?3")
            .bind(1, to_unix_seconds(actor.at))
            .bind(2, reason)
            .bind(3, serial_hex)
            .step();
        audit({.at = actor.at,
               .actor = actor.name,
               .action = "certificate.revoke",
               .target = std::string(serial_hex),
               .outcome = fmt::format("ok: {}", reason)});
        tx.commit();
    }

    void record_crl(const CrlRecord& crl, const Actor& actor) override {
        const std::lock_guard lock(m_mutex);
        Transaction tx(*this);
        Statement newest(m_db.get(), "SELECT COALESCE(MAX(number), 0) FROM crls WHERE authority = ?1");
        newest.bind(1, crl.authority);
        newest.step();
        if (crl.number <= newest.integer(0)) {
            throw Error(
                ErrorCode::conflict,
                fmt::format("CRL number {} is not above the last one ({})", crl.number, newest.integer(0)));
        }
        Statement(
            m_db.get(),
            "INSERT INTO crls (authority, number, this_update, next_update, der) VALUES (?1, ?2, ?3, ?4, ?5)")
            .bind(1, crl.authority)
            .bind(2, crl.number)
            .bind(3, to_unix_seconds(crl.this_update))
            .bind(4, to_unix_seconds(crl.next_update))
            .bind(5, crl.der)
            .step();
        audit({.at = actor.at,
               .actor = actor.name,
               .action = "crl.generate",
               .target = fmt::format("{} #{}", crl.authority, crl.number),
               .outcome = "ok"});
        tx.commit();
    }

    std::optional<CrlRecord> latest_crl(std::string_view authority) override {
        const std::lock_guard lock(m_mutex);
        Statement s(m_db.get(),
                    "SELECT authority, number, this_update, next_update, der FROM crls WHERE authority = ?1 "
                    "ORDER BY number DESC LIMIT 1");
        s.bind(1, authority);
        if (!s.step()) {
            return std::nullopt;
        }
        return CrlRecord{.authority = s.text(0),
                         .number = s.integer(1),
                         .this_update = from_unix_seconds(s.integer(2)),
                         .next_update = from_unix_seconds(s.integer(3)),
                         .der = s.blob(4)};
    }

    CustomChainRecord record_custom_chain(const CustomChainRecord& chain, const Actor& actor) override {
        const std::lock_guard lock(m_mutex);
        Transaction tx(*this);
        Statement last(
            m_db.get(),
            "SELECT COALESCE(MAX(seq), 0) FROM custom_chains WHERE name = ?1 AND domain_suffix = ?2");
        last.bind(1, chain.name).bind(2, chain.domain_suffix).step();
        CustomChainRecord stored = chain;
        stored.seq = last.integer(0) + 1;
        stored.replaced_at.reset();
        Statement(m_db.get(),
                  "UPDATE custom_chains SET replaced_at = ?1 WHERE name = ?2 AND domain_suffix = ?3 AND "
                  "replaced_at IS NULL")
            .bind(1, to_unix_seconds(actor.at))
            .bind(2, chain.name)
            .bind(3, chain.domain_suffix)
            .step();
        Statement(m_db.get(),
                  "INSERT INTO custom_chains (name, domain_suffix, seq, certificate_pem, chain_pem, "
                  "encrypted_key_pem, uploaded_at, replaced_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, NULL)")
            .bind(1, stored.name)
            .bind(2, stored.domain_suffix)
            .bind(3, stored.seq)
            .bind(4, stored.certificate_pem)
            .bind(5, stored.chain_pem)
            .bind(6, stored.encrypted_key_pem)
            .bind(7, to_unix_seconds(stored.uploaded_at))
            .step();
        stored.id = sqlite3_last_insert_rowid(m_db.get());
        audit({.at = actor.at,
               .actor = actor.name,
               .action = stored.seq == 1 ? "custom_chain.upload" : "custom_chain.replace",
               .target = fmt::format("{} {}", stored.name, stored.domain_suffix),
               .outcome = fmt::format("ok: seq {}", stored.seq)});
        tx.commit();
        return stored;
    }

    std::vector<CustomChainRecord> list_custom_chains(const CustomChainFilter& filter) override {
        const std::lock_guard lock(m_mutex);
        Statement s(m_db.get(),
                    "SELECT id, name, domain_suffix, seq, certificate_pem, chain_pem, encrypted_key_pem, "
                    "uploaded_at, replaced_at FROM custom_chains WHERE (?1 = '' OR name = ?1) AND "
                    "(?2 = '' OR domain_suffix = ?2) AND (?3 = 1 OR replaced_at IS NULL) "
                    "ORDER BY name, domain_suffix, seq DESC");
        s.bind(1, filter.name).bind(2, filter.domain_suffix).bind(3, std::int64_t{filter.include_replaced});
        std::vector<CustomChainRecord> out;
        while (s.step()) {
            CustomChainRecord& r =
                out.emplace_back(CustomChainRecord{.id = s.integer(0),
                                                   .name = s.text(1),
                                                   .domain_suffix = s.text(2),
                                                   .seq = s.integer(3),
                                                   .certificate_pem = s.text(4),
                                                   .chain_pem = s.text(5),
                                                   .encrypted_key_pem = s.text(6),
                                                   .uploaded_at = from_unix_seconds(s.integer(7))});
            if (!s.is_null(8)) {
                r.replaced_at = from_unix_seconds(s.integer(8));
            }
        }
        return out;
    }

    void append_audit(const AuditEntry& entry) override {
        const std::lock_guard lock(m_mutex);
        audit(entry);
    }

    std::vector<AuditEntry> audit_log(std::size_t limit) override {
        const std::lock_guard lock(m_mutex);
        Statement s(m_db.get(),
                    "SELECT id, at, actor, action, target, outcome FROM audit_log ORDER BY id DESC LIMIT ?1");
        s.bind(1, static_cast<std::int64_t>(limit));
        std::vector<AuditEntry> out;
        while (s.step()) {
            out.push_back({.id = s.integer(0),
                           .at = from_unix_seconds(s.integer(1)),
                           .actor = s.text(2),
                           .action = s.text(3),
                           .target = s.text(4),
                           .outcome = s.text(5)});
        }
        return out;
    }

    int schema_version() override {
        const std::lock_guard lock(m_mutex);
        return current_version();
    }

private:
    /// BEGIN IMMEDIATE ... COMMIT, rolled back if not committed.
    class Transaction {
    public:
        explicit Transaction(SqliteStore& store) : m_store(store) { m_store.exec("BEGIN IMMEDIATE"); }
        Transaction(const Transaction&) = delete;
        Transaction& operator=(const Transaction&) = delete;
        ~Transaction() {
            if (!m_committed) {
                sqlite3_exec(m_store.m_db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
            }
        }
        void commit() {
            m_store.exec("COMMIT");
            m_committed = true;
        }

    private:
        SqliteStore& m_store;
        bool m_committed = false;
    };

    void exec(const char* sql) {
        if (sqlite3_exec(m_db.get(), sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
            throw Error(ErrorCode::unavailable,
                        fmt::format("SQLite: {}: {}", sql, sqlite3_errmsg(m_db.get())));
        }
    }

    int current_version() {
        Statement s(m_db.get(), "SELECT COALESCE(MAX(version), 0) FROM schema_version");
        s.step();
        return static_cast<int>(s.integer(0));
    }

    void migrate(const std::string& path) {
        const std::lock_guard lock(m_mutex);
        exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        for (const Migration& migration : migrations()) {
            Transaction tx(*this);
            const int version = current_version();  // re-read inside the lock: another process may migrate
            if (migration.version <= version) {
                continue;
            }
            if (sqlite3_exec(m_db.get(), std::string(migration.sqlite).c_str(), nullptr, nullptr, nullptr) !=
                SQLITE_OK) {
                throw Error(ErrorCode::unavailable,
                            fmt::format("{}: schema migration {} failed: {}",
                                        path,
                                        migration.version,
                                        sqlite3_errmsg(m_db.get())));
            }
            Statement(m_db.get(), "INSERT INTO schema_version (version) VALUES (?1)")
                .bind(1, std::int64_t{migration.version})
                .step();
            tx.commit();
        }
        if (current_version() > static_cast<int>(migrations().size())) {
            throw Error(ErrorCode::unavailable,
                        fmt::format("{}: the store's schema is newer than this certfleet understands", path));
        }
    }

    // Issuance prepares its two INSERTs once per connection: parsing SQL costs as much as running it.
    Statement& cached(std::optional<Statement>& slot, std::string_view sql) {
        if (!slot) {
            slot.emplace(m_db.get(), sql);
        }
        return slot->reset();
    }

    void audit(const AuditEntry& e) {
        cached(m_insert_audit,
               "INSERT INTO audit_log (at, actor, action, target, outcome) VALUES (?1, ?2, ?3, ?4, ?5)")
            .bind(1, to_unix_seconds(e.at))
            .bind(2, e.actor)
            .bind(3, e.action)
            .bind(4, e.target)
            .bind(5, e.outcome)
            .step();
    }

    void insert_one(const CertificateRecord& c, const Actor& actor) {
        // A failed INSERT (duplicate serial) rolls back that statement only; the batch goes on.
        cached(m_insert_certificate,
               "INSERT INTO certificates (serial, authority, subject, sans, not_before, not_after, profile, "
               "requester, status, revoked_at, revocation_reason, der) "
               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'valid', NULL, '', ?9)")
            .bind(1, c.serial_hex)
            .bind(2, c.authority)
            .bind(3, c.subject)
            .bind(4, join_names(c.subject_alt_names))
            .bind(5, to_unix_seconds(c.not_before))
            .bind(6, to_unix_seconds(c.not_after))
            .bind(7, c.profile)
            .bind(8, c.requester)
            .bind(9, c.der);
        try {
            m_insert_certificate->step();
        } catch (const Error& e) {
            if (e.code() == ErrorCode::conflict) {
                throw Error(ErrorCode::conflict, fmt::format("serial {} is already taken", c.serial_hex));
            }
            throw;
        }
        audit({.at = actor.at,
               .actor = actor.name,
               .action = "certificate.issue",
               .target = c.serial_hex,
               .outcome = fmt::format("ok: {}", c.subject)});
    }

    void commit_batch(const std::vector<PendingInsert*>& batch) noexcept {
        record_batch(batch, [this](auto&& insert_each) {
            const std::lock_guard lock(m_mutex);
            Transaction tx(*this);
            insert_each([this](const PendingInsert& p) { insert_one(*p.certificate, *p.actor); });
            tx.commit();
        });
    }

    DatabasePtr m_db;
    std::optional<Statement> m_insert_certificate;  // declared after m_db: finalised before the close
    std::optional<Statement> m_insert_audit;
    std::mutex m_mutex;  // one connection, one user at a time
    GroupCommit m_group_commit;
};

}  // namespace

std::unique_ptr<Store> open_sqlite_store(const std::string& path) {
    return std::make_unique<SqliteStore>(path);
}

}  // namespace certfleet::store
