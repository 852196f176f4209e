// The shared store: PostgreSQL through libpq, for several `certfleet serve` replicas. Each call is one
// transaction on this process's connection (serialised by a mutex); PostgreSQL's default
// synchronous_commit=on makes COMMIT durable before it returns. Duplicate serials are detected with
// ON CONFLICT DO NOTHING so a collision does not abort the transaction.
#include "core/error.hpp"
#include "store/group_commit.hpp"
#include "store/migrations.hpp"
#include "store/record_codec.hpp"
#include "store/store_url.hpp"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <memory>
#include <mutex>
#include <optional>

namespace certfleet::store {
namespace {

using core::Error;
using core::ErrorCode;

struct ConnectionCloser {
    void operator()(PGconn* c) const noexcept { PQfinish(c); }
};
using ConnectionPtr = std::unique_ptr<PGconn, ConnectionCloser>;
struct ResultClearer {
    void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultClearer>;

/// Query parameters: text, 64-bit integers (as text), NULL, or bytea sent in binary.
class Params {
public:
    Params& text(std::string_view value) {
        m_values.emplace_back(value);
        m_null.push_back(false);
        m_binary.push_back(0);
        return *this;
    }
    Params& integer(std::int64_t value) { return text(std::to_string(value)); }
    Params& null() {
        m_values.emplace_back();
        m_null.push_back(true);
        m_binary.push_back(0);
        return *this;
    }
    Params& bytes(const pki::Bytes& value) {
        m_values.emplace_back(value.begin(), value.end());
        m_null.push_back(false);
        m_binary.push_back(1);
        return *this;
    }
    PGresult* exec(PGconn* conn, const char* sql) const {
        std::vector<const char*> values;
        std::vector<int> lengths;
        for (std::size_t i = 0; i < m_values.size(); ++i) {
            values.push_back(m_null[i] ? nullptr : m_values[i].data());
            lengths.push_back(static_cast<int>(m_values[i].size()));
        }
        return PQexecParams(conn,
                            sql,
                            static_cast<int>(values.size()),
                            nullptr,
                            values.data(),
                            lengths.data(),
                            m_binary.data(),
                            0);
    }

private:
    std::vector<std::string> m_values;
    std::vector<bool> m_null;
    std::vector<int> m_binary;
};

/// A query result read in text format.
class Rows {
public:
    explicit Rows(ResultPtr result) : m_result(std::move(result)) {}
    [[nodiscard]] int size() const { return PQntuples(m_result.get()); }
    [[nodiscard]] int affected() const {
        const char* n = PQcmdTuples(m_result.get());
        return (n == nullptr || *n == '\0') ? 0 : std::stoi(n);
    }
    [[nodiscard]] bool is_null(int row, int column) const {
        return PQgetisnull(m_result.get(), row, column) == 1;
    }
    [[nodiscard]] std::string text(int row, int column) const {
        return {PQgetvalue(m_result.get(), row, column),
                static_cast<std::size_t>(PQgetlength(m_result.get(), row, column))};
    }
    [[nodiscard]] std::int64_t integer(int row, int column) const { return std::stoll(text(row, column)); }
    /// Decodes bytea in PostgreSQL's hex output format ("\x0a1b...").
    [[nodiscard]] pki::Bytes bytes(int row, int column) const {
        const std::string hex = text(row, column);
        if (!hex.starts_with("\\x")) {
            throw Error(ErrorCode::internal, "PostgreSQL: bytea is not in hex format (bytea_output)");
        }
        pki::Bytes out;
        out.reserve((hex.size() - 2) / 2);
        for (std::size_t i = 2; i + 1 < hex.size(); i += 2) {
            out.push_back(static_cast<unsigned char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
        }
        return out;
    }

private:
    ResultPtr m_result;
};

constexpr const char* certificate_columns =
    "serial, authority, subject, sans, not_before, not_after, profile, requester, status, revoked_at, "
    "revocation_reason, der";

CertificateRecord read_certificate(const Rows& r, int i) {
    CertificateRecord c;
    c.serial_hex = r.text(i, 0);
    c.authority = r.text(i, 1);
    c.subject = r.text(i, 2);
    c.subject_alt_names = split_names(r.text(i, 3));
    c.not_before = from_unix_seconds(r.integer(i, 4));
    c.not_after = from_unix_seconds(r.integer(i, 5));
    c.profile = r.text(i, 6);
    c.requester = r.text(i, 7);
    c.status = r.text(i, 8) == "revoked" ? CertificateStatus::revoked : CertificateStatus::valid;
    if (!r.is_null(i, 9)) {
        c.revoked_at = from_unix_seconds(r.integer(i, 9));
    }
    c.revocation_reason = r.text(i, 10);
    c.der = r.bytes(i, 11);
    return c;
}

class PostgresStore final : public Store {
public:
    explicit PostgresStore(const std::string& uri) : m_connection(PQconnectdb(uri.c_str())) {
        if (!m_connection || PQstatus(m_connection.get()) != CONNECTION_OK) {
            throw Error(ErrorCode::unavailable,
                        fmt::format("cannot connect to the PostgreSQL store: {}",
                                    m_connection ? PQerrorMessage(m_connection.get()) : "out of memory"));
        }
        const std::lock_guard lock(m_mutex);
        query("SET client_min_messages = warning");
        migrate();
    }

    void create_authority(const AuthorityRecord& a, const Actor& actor) override {
        const std::lock_guard lock(m_mutex);
        Transaction tx(*this);
        const Rows r = query(
            "INSERT INTO authorities (name, chain_pem, encrypted_key_pem, root_key_pem, profiles_yaml, "
            "policy_yaml, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (name) DO NOTHING",
            Params()
                .text(a.name)
                .text(a.chain_pem)
                .text(a.encrypted_key_pem)
                .text(a.root_key_pem)
                .text(a.profiles_yaml)
                .text(a.policy_yaml)
                .integer(to_unix_seconds(a.created_at)));
        if (r.affected() != 1) {
            throw Error(ErrorCode::conflict, fmt::format("authority \"{}\" already exists", a.name));
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
        const Rows r = query("UPDATE authorities SET root_key_pem = $1 WHERE name = $2",
                             Params().text(root_key_pem).text(name));
        if (r.affected() != 1) {
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
        const Rows r = query(
            "SELECT name, chain_pem, encrypted_key_pem, root_key_pem, profiles_yaml, policy_yaml, created_at "
            "FROM authorities WHERE name = $1",
            Params().text(name));
        if (r.size() == 0) {
            return std::nullopt;
        }
        return AuthorityRecord{.name = r.text(0, 0),
                               .chain_pem = r.text(0, 1),
                               .encrypted_key_pem = r.text(0, 2),
                               .root_key_pem = r.text(0, 3),
                               .profiles_yaml = r.text(0, 4),
                               .policy_yaml = r.text(0, 5),
                               .created_at = from_unix_seconds(r.integer(0, 6))};
    }

    std::vector<std::string> authority_names() override {
        const std::lock_guard lock(m_mutex);
        const Rows r = query("SELECT name FROM authorities ORDER BY name");
        std::vector<std::string> out;
        for (int i = 0; i < r.size(); ++i) {
            out.push_back(r.text(i, 0));
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
        const Rows r =
            query(fmt::format("SELECT {} FROM certificates WHERE serial = $1", certificate_columns).c_str(),
                  Params().text(serial_hex));
        if (r.size() == 0) {
            return std::nullopt;
        }
        return read_certificate(r, 0);
    }

    std::vector<CertificateRecord> certificates_with_subject(std::string_view subject) override {
        const std::lock_guard lock(m_mutex);
        const Rows r =
            query(fmt::format("SELECT {} FROM certificates WHERE subject = $1 ORDER BY not_before, serial",
                              certificate_columns)
                      .c_str(),
                  Params().text(subject));
        std::vector<CertificateRecord> out;
        for (int i = 0; i < r.size(); ++i) {
            out.push_back(read_certificate(r, i));
        }
        return out;
    }

    std::vector<CertificateRecord> list_certificates(const CertificateFilter& filter) override {
        const std::lock_guard lock(m_mutex);
        Params params;
        params.text(filter.authority);
        if (filter.not_after_before) {
            params.integer(to_unix_seconds(*filter.not_after_before));
        } else {
            params.null();
        }
        params.integer(filter.revoked_only ? 1 : 0);
        const Rows r = query(fmt::format("SELECT {} FROM certificates WHERE ($1 = '' OR authority = $1) AND "
                                         "($2::BIGINT IS NULL OR not_after < $2::BIGINT) AND "
                                         "($3::INT = 0 OR status = 'revoked') ORDER BY not_after, serial",
                                         certificate_columns)
                                 .c_str(),
                             params);
        std::vector<CertificateRecord> out;
        for (int i = 0; i < r.size(); ++i) {
            out.push_back(read_certificate(r, i));
        }
        return out;
    }

    void revoke_certificate(std::string_view serial_hex,
                            std::string_view reason,
                            const Actor& actor) override {
        const std::lock_guard lock(m_mutex);
        Transaction tx(*this);
        const Rows current =
            query("SELECT status FROM certificates WHERE serial = $1 FOR UPDATE", Params().text(serial_hex));
        if (current.size() == 0) {
            throw Error(ErrorCode::not_found, fmt::format("no certificate with serial {}", serial_hex));
        }
        if (current.text(0, 0) == "revoked") {
            throw Error(ErrorCode::conflict, fmt::format("certificate {} is already revoked", serial_hex));
        }
        query(
            "UPDATE certificates SET status = 'revoked', revoked_at = $1, revocation_reason = $2 WHERE "
            "serial = $3",
            Params().integer(to_unix_seconds(actor.at)).text(reason).text(serial_hex));
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
        // Serialise CRL numbering between replicas on the authority's row.
        query("SELECT name FROM authorities WHERE name = $1 FOR UPDATE", Params().text(crl.authority));
        const Rows newest = query("SELECT COALESCE(MAX(number), 0) FROM crls WHERE authority = $1",
                                  Params().text(crl.authority));
        if (crl.number <= newest.integer(0, 0)) {
            throw Error(
                ErrorCode::conflict,
                fmt::format(
                    "CRL number {} is not above the last one ({})", crl.number, newest.integer(0, 0)));
        }
        query(
            "INSERT INTO crls (authority, number, this_update, next_update, der) VALUES ($1, $2, $3, $4, $5)",
            Params()
                .text(crl.authority)
                .integer(crl.number)
                .integer(to_unix_seconds(crl.this_update))
                .integer(to_unix_seconds(crl.next_update))
                .bytes(crl.der));
        audit({.at = actor.at,
               .actor = actor.name,
               .action = "crl.generate",
               .target = fmt::format("{} #{}", crl.authority, crl.number),
               .outcome = "ok"});
        tx.commit();
    }

    std::optional<CrlRecord> latest_crl(std::string_view authority) override {
        const std::lock_guard lock(m_mutex);
        const Rows r = query(
            "SELECT authority, number, this_update, next_update, der FROM crls WHERE authority = $1 "
            "ORDER BY number DESC LIMIT 1",
            Params().text(authority));
        if (r.size() == 0) {
            return std::nullopt;
        }
        return CrlRecord{.authority = r.text(0, 0),
                         .number = r.integer(0, 1),
                         .this_update = from_unix_seconds(r.integer(0, 2)),
                         .next_update = from_unix_seconds(r.integer(0, 3)),
                         .der = r.bytes(0, 4)};
    }

    CustomChainRecord record_custom_chain(const CustomChainRecord& chain, const Actor& actor) override {
        const std::lock_guard lock(m_mutex);
        Transaction tx(*this);
        // Replicas uploading under one name + suffix take turns here; the partial unique index on the
        // current row is the backstop.
        query("SELECT pg_advisory_xact_lock(hashtext($1 || '/' || $2))",
              Params().text(chain.name).text(chain.domain_suffix));
        const Rows last =
            query("SELECT COALESCE(MAX(seq), 0) FROM custom_chains WHERE name = $1 AND domain_suffix = $2",
                  Params().text(chain.name).text(chain.domain_suffix));
        CustomChainRecord stored = chain;
        stored.seq = last.integer(0, 0) + 1;
        stored.replaced_at.reset();
        query(
            "UPDATE custom_chains SET replaced_at = $1 WHERE name = $2 AND domain_suffix = $3 AND "
            "replaced_at "
            "IS NULL",
            Params().integer(to_unix_seconds(actor.at)).text(chain.name).text(chain.domain_suffix));
        const Rows inserted = query(
            "INSERT INTO custom_chains (name, domain_suffix, seq, certificate_pem, chain_pem, "
            "encrypted_key_pem, "
            "uploaded_at, replaced_at) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL) RETURNING id",
            Params()
                .text(stored.name)
                .text(stored.domain_suffix)
                .integer(stored.seq)
                .text(stored.certificate_pem)
                .text(stored.chain_pem)
                .text(stored.encrypted_key_pem)
                .integer(to_unix_seconds(stored.uploaded_at)));
        stored.id = inserted.integer(0, 0);
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
        const Rows r = query(
            "SELECT id, name, domain_suffix, seq, certificate_pem, chain_pem, encrypted_key_pem, "
            "uploaded_at, "
            "replaced_at FROM custom_chains WHERE ($1 = '' OR name = $1) AND ($2 = '' OR domain_suffix = $2) "
            "AND ($3::INT = 1 OR replaced_at IS NULL) ORDER BY name, domain_suffix, seq DESC",
            Params().text(filter.name).text(filter.domain_suffix).integer(filter.include_replaced ? 1 : 0));
        std::vector<CustomChainRecord> out;
        for (int i = 0; i < r.size(); ++i) {
            CustomChainRecord& c =
                out.emplace_back(CustomChainRecord{.id = r.integer(i, 0),
                                                   .name = r.text(i, 1),
                                                   .domain_suffix = r.text(i, 2),
                                                   .seq = r.integer(i, 3),
                                                   .certificate_pem = r.text(i, 4),
                                                   .chain_pem = r.text(i, 5),
                                                   .encrypted_key_pem = r.text(i, 6),
                                                   .uploaded_at = from_unix_seconds(r.integer(i, 7))});
            if (!r.is_null(i, 8)) {
                c.replaced_at = from_unix_seconds(r.integer(i, 8));
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
        const Rows r =
            query("SELECT id, at, actor, action, target, outcome FROM audit_log ORDER BY id DESC LIMIT $1",
                  Params().integer(static_cast<std::int64_t>(limit)));
        std::vector<AuditEntry> out;
        for (int i = 0; i < r.size(); ++i) {
            out.push_back({.id = r.integer(i, 0),
                           .at = from_unix_seconds(r.integer(i, 1)),
                           .actor = r.text(i, 2),
                           .action = r.text(i, 3),
                           .target = r.text(i, 4),
                           .outcome = r.text(i, 5)});
        }
        return out;
    }

    int schema_version() override {
        const std::lock_guard lock(m_mutex);
        return static_cast<int>(query("SELECT COALESCE(MAX(version), 0) FROM schema_version").integer(0, 0));
    }

private:
    class Transaction {
    public:
        explicit Transaction(PostgresStore& store) : m_store(store) { m_store.query("BEGIN"); }
        Transaction(const Transaction&) = delete;
        Transaction& operator=(const Transaction&) = delete;
        ~Transaction() {
            if (!m_committed) {
                const ResultPtr ignored(PQexec(m_store.m_connection.get(), "ROLLBACK"));
            }
        }
        void commit() {
            m_store.query("COMMIT");
            m_committed = true;
        }

    private:
        PostgresStore& m_store;
        bool m_committed = false;
    };

    Rows query(const char* sql, const Params& params = Params()) {
        ResultPtr result(params.exec(m_connection.get(), sql));
        const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
        if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
            return Rows(std::move(result));
        }
        const char* state = result ? PQresultErrorField(result.get(), PG_DIAG_SQLSTATE) : nullptr;
        const std::string message = PQerrorMessage(m_connection.get());
        if (PQstatus(m_connection.get()) != CONNECTION_OK) {
            PQreset(m_connection.get());  // the next call may succeed; this one failed
        }
        const bool is_conflict = state != nullptr && std::string_view(state).starts_with("23");
        throw Error(is_conflict ? ErrorCode::conflict : ErrorCode::unavailable,
                    fmt::format("PostgreSQL: {}", message));
    }
    Rows query(const std::string& sql, const Params& params = Params()) { return query(sql.c_str(), params); }

    void migrate() {
        Transaction tx(*this);
        // One replica migrates at a time; the others wait here, then find nothing to do.
        query("SELECT pg_advisory_xact_lock(4242001)");
        query("CREATE TABLE IF NOT EXISTS schema_version (version INT NOT NULL)");
        int version =
            static_cast<int>(query("SELECT COALESCE(MAX(version), 0) FROM schema_version").integer(0, 0));
        for (const Migration& migration : migrations()) {
            if (migration.version <= version) {
                continue;
            }
            const ResultPtr result(PQexec(m_connection.get(), std::string(migration.postgres).c_str()));
            if (!result || PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
                throw Error(ErrorCode::unavailable,
                            fmt::format("PostgreSQL: schema migration {} failed: {}",
                                        migration.version,
                                        PQerrorMessage(m_connection.get())));
            }
            query("INSERT INTO schema_version (version) VALUES ($1)", Params().integer(migration.version));
            version = migration.version;
        }
        if (version > static_cast<int>(migrations().size())) {
            throw Error(ErrorCode::unavailable,
                        "the PostgreSQL store's schema is newer than this certfleet understands");
        }
        tx.commit();
    }

    void audit(const AuditEntry& e) {
        query("INSERT INTO audit_log (at, actor, action, target, outcome) VALUES ($1, $2, $3, $4, $5)",
              Params()
                  .integer(to_unix_seconds(e.at))
                  .text(e.actor)
                  .text(e.action)
                  .text(e.target)
                  .text(e.outcome));
    }

    /// Inserts one certificate and its audit line; a duplicate serial is reported without aborting the
    /// transaction (ON CONFLICT DO NOTHING), so the rest of the batch commits.
    void insert_one(const CertificateRecord& c, const Actor& actor) {
        const Rows r = query(
            "INSERT INTO certificates (serial, authority, subject, sans, not_before, not_after, profile, "
            "requester, status, revoked_at, revocation_reason, der) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'valid', NULL, '', $9) ON CONFLICT (serial) DO NOTHING",
            Params()
                .text(c.serial_hex)
                .text(c.authority)
                .text(c.subject)
                .text(join_names(c.subject_alt_names))
                .integer(to_unix_seconds(c.not_before))
                .integer(to_unix_seconds(c.not_after))
                .text(c.profile)
                .text(c.requester)
                .bytes(c.der));
        if (r.affected() != 1) {
            throw Error(ErrorCode::conflict, fmt::format("serial {} is already taken", c.serial_hex));
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

    ConnectionPtr m_connection;
    std::mutex m_mutex;
    GroupCommit m_group_commit;
};

}  // namespace

std::unique_ptr<Store> open_postgres_store(const std::string& uri) {
    return std::make_unique<PostgresStore>(uri);
}

}  // namespace certfleet::store
