#include "store/store.hpp"

#include "core/error.hpp"
#include "store/audit_log.hpp"
#include "store/authority_records.hpp"
#include "store/certificate_ledger.hpp"
#include "store/crl_records.hpp"
#include "store/custom_chain_records.hpp"

#include <fmt/format.h>

#include <charconv>

namespace certfleet::store {

void Store::create_authority(AuthorityRecord& authority, const Actor& actor) {
    commit([&](Transaction& tx) {
        insert_authority(tx, authority);
        store::append_audit(tx,
                            {.at = actor.at,
                             .actor = actor.name,
                             .action = "authority.create",
                             .target = authority.name,
                             .outcome = "ok",
                             .authority = authority.name});
    });
}

void Store::update_root_key(std::string_view name, const std::string& root_key_pem, const Actor& actor) {
    commit([&](Transaction& tx) {
        set_root_key(tx, name, root_key_pem);
        store::append_audit(
            tx,
            {.at = actor.at,
             .actor = actor.name,
             .action = root_key_pem.empty() ? "authority.remove_root_key" : "authority.set_root_key",
             .target = std::string(name),
             .outcome = "ok",
             .authority = std::string(name)});
    });
}

std::optional<AuthorityRecord> Store::find_authority(std::string_view name) {
    return read([&](Transaction& tx) { return store::find_authority(tx, name); });
}

std::vector<std::string> Store::authority_names() {
    return read([](Transaction& tx) { return store::authority_names(tx); });
}

void Store::insert_certificate(const CertificateRecord& certificate, const Actor& actor) {
    commit([&](Transaction& tx) {
        store::insert_certificate(tx, certificate);
        store::append_audit(tx,
                            {.at = actor.at,
                             .actor = actor.name,
                             .action = "certificate.issue",
                             .target = certificate.serial_hex,
                             .outcome = fmt::format("ok: {}", certificate.subject),
                             .authority = certificate.authority});
    });
}

std::optional<CertificateRecord> Store::find_certificate(std::string_view serial_hex) {
    return read([&](Transaction& tx) { return store::find_certificate(tx, serial_hex); });
}

std::vector<CertificateRecord> Store::certificates_with_subject(std::string_view subject) {
    return read([&](Transaction& tx) { return store::certificates_with_subject(tx, subject); });
}

std::vector<CertificateRecord> Store::list_certificates(const CertificateFilter& filter) {
    return read([&](Transaction& tx) { return store::list_certificates(tx, filter); });
}

CertificateRecord Store::revoke_certificate(std::string_view authority,
                                            std::string_view serial_hex,
                                            std::string_view reason,
                                            const Actor& actor) {
    CertificateRecord revoked;
    commit([&](Transaction& tx) {
        revoked = store::revoke_certificate(tx, authority, serial_hex, reason, actor.at);
        store::append_audit(tx,
                            {.at = actor.at,
                             .actor = actor.name,
                             .action = "certificate.revoke",
                             .target = std::string(serial_hex),
                             .outcome = fmt::format("ok: {}", reason),
                             .authority = std::string(authority)});
    });
    return revoked;
}

void Store::record_crl(const CrlRecord& crl, const Actor& actor) {
    commit([&](Transaction& tx) { store::record_crl(tx, crl, actor); });
}

std::optional<CrlRecord> Store::latest_crl(std::int64_t issuer_id, CrlSigner signer) {
    return read([&](Transaction& tx) { return store::latest_crl(tx, issuer_id, signer); });
}

CustomChainRecord Store::record_custom_chain(const CustomChainRecord& chain, const Actor& actor) {
    CustomChainRecord stored;
    commit([&](Transaction& tx) {
        stored = insert_custom_chain(tx, chain, actor.at);
        store::append_audit(tx,
                            {.at = actor.at,
                             .actor = actor.name,
                             .action = stored.seq == 1 ? "custom_chain.upload" : "custom_chain.replace",
                             .target = fmt::format("{} {}", stored.name, stored.domain_suffix),
                             .outcome = fmt::format("ok: seq {}", stored.seq)});
    });
    return stored;
}

std::vector<CustomChainRecord> Store::list_custom_chains(const CustomChainFilter& filter) {
    return read([&](Transaction& tx) { return store::list_custom_chains(tx, filter); });
}

void Store::append_audit(const AuditEntry& entry) {
    commit([&](Transaction& tx) { store::append_audit(tx, entry); });
}

std::vector<AuditEntry> Store::audit_log(const AuditFilter& filter) {
    return read([&](Transaction& tx) { return store::audit_log(tx, filter); });
}

namespace {

std::size_t positive_parameter(std::string_view name, std::string_view value) {
    std::size_t n = 0;
    const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc{} || ptr != value.data() + value.size() || n == 0 || n > 100000) {
        throw core::Error(core::ErrorCode::invalid_input,
                          fmt::format("store: {}={} is not a positive number", name, value));
    }
    return n;
}

// Takes certfleet's own parameters (pool, connect_timeout, statement_timeout) out of a PostgreSQL URI and
// leaves libpq's.
StoreLocation postgres_location(const std::string& url) {
    StoreLocation location{.dialect = SqlDialect::postgres, .pool_size = 4};
    const std::size_t query = url.find('?');
    location.target = url.substr(0, query);
    std::string kept;
    std::string_view rest =
        query == std::string::npos ? std::string_view{} : std::string_view(url).substr(query + 1);
    while (!rest.empty()) {
        const std::size_t amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
        const std::size_t eq = pair.find('=');
        const std::string_view name = pair.substr(0, eq);
        const std::string_view value =
            eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
        if (name == "pool") {
            location.pool_size = positive_parameter(name, value);
        } else if (name == "connect_timeout") {
            location.timeouts.connect = core::Seconds(positive_parameter(name, value));
        } else if (name == "statement_timeout") {
            location.timeouts.statement = core::Seconds(positive_parameter(name, value));
        } else {
            kept += kept.empty() ? "?" : "&";
            kept += pair;
        }
    }
    location.target += kept;
    return location;
}

}  // namespace

StoreLocation parse_store_url(const std::string& url) {
    const std::string_view text = url;
    if (text.starts_with("sqlite://")) {
        // sqlite:///abs/path keeps its leading slash; sqlite://rel/path is relative.
        return {.dialect = SqlDialect::sqlite, .target = std::string(text.substr(9))};
    }
    if (text.starts_with("sqlite:")) {
        return {.dialect = SqlDialect::sqlite, .target = std::string(text.substr(7))};
    }
    if (text.starts_with("postgresql://") || text.starts_with("postgres://")) {
        return postgres_location(url);
    }
    throw core::Error(core::ErrorCode::invalid_input,
                      fmt::format("store: unknown store URL scheme in \"{}\" (use sqlite:///path or "
                                  "postgresql://user@host:port/db)",
                                  url.substr(0, url.find(':'))));
}

std::unique_ptr<Store> open_store(const std::string& url) {
    return std::make_unique<Store>(parse_store_url(url));
}

}  // namespace certfleet::store
