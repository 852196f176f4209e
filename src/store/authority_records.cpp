#include "store/authority_records.hpp"

#include "core/error.hpp"
#include "store/record_codec.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace certfleet::store {
namespace {

using core::Error;
using core::ErrorCode;

IssuerState issuer_state(std::string_view text) {
    if (text == "retiring") {
        return IssuerState::retiring;
    }
    return text == "retired" ? IssuerState::retired : IssuerState::active;
}

}  // namespace

std::string_view to_string(IssuerState state) noexcept {
    switch (state) {
        case IssuerState::retiring:
            return "retiring";
        case IssuerState::retired:
            return "retired";
        case IssuerState::active:
            break;
    }
    return "active";
}

const IssuerRecord& AuthorityRecord::active_issuer() const {
    // The newest active generation: the last in generation order.
    const auto it = std::find_if(issuers.rbegin(), issuers.rend(), [](const IssuerRecord& i) {
        return i.state == IssuerState::active;
    });
    if (it != issuers.rend()) {
        return *it;
    }
    throw Error(ErrorCode::not_found, fmt::format("authority \"{}\" has no active issuer", name));
}

const IssuerRecord* AuthorityRecord::issuer_by_id(std::int64_t id) const noexcept {
    for (const IssuerRecord& issuer : issuers) {
        if (issuer.id == id) {
            return &issuer;
        }
    }
    return nullptr;
}

void insert_authority(Transaction& tx, AuthorityRecord& a) {
    try {
        tx.run(
            "INSERT INTO authorities (name, root_key_pem, profiles_yaml, policy_yaml, created_at) "
            "VALUES ($1, $2, $3, $4, $5)",
            {a.name, a.root_key_pem, a.profiles_yaml, a.policy_yaml, to_unix_seconds(a.created_at)});
    } catch (const Error& e) {
        if (e.code() == ErrorCode::conflict) {
            throw Error(ErrorCode::conflict, fmt::format("authority \"{}\" already exists", a.name));
        }
        throw;
    }
    for (IssuerRecord& issuer : a.issuers) {
        issuer.authority = a.name;
        issuer.id = insert_issuer(tx, issuer);
    }
}

std::optional<AuthorityRecord> find_authority(Transaction& tx, std::string_view name) {
    const SqlResult a = tx.run(
        "SELECT name, root_key_pem, profiles_yaml, policy_yaml, created_at FROM authorities WHERE name = $1",
        {name});
    if (a.rows.empty()) {
        return std::nullopt;
    }
    const SqlRow& row = a.rows[0];
    AuthorityRecord out{.name = row.text(0),
                        .root_key_pem = row.text(1),
                        .profiles_yaml = row.text(2),
                        .policy_yaml = row.text(3),
                        .created_at = from_unix_seconds(row.integer(4))};
    for (const SqlRow& r :
         tx.run("SELECT id, generation, chain_pem, encrypted_key_pem, key_id, state, created_at FROM issuers "
                "WHERE authority = $1 ORDER BY generation",
                {name})
             .rows) {
        out.issuers.push_back({.id = r.integer(0),
                               .authority = out.name,
                               .generation = r.integer(1),
                               .chain_pem = r.text(2),
                               .encrypted_key_pem = r.text(3),
                               .key_id = r.text(4),
                               .state = issuer_state(r.text(5)),
                               .created_at = from_unix_seconds(r.integer(6))});
    }
    return out;
}

std::vector<std::string> authority_names(Transaction& tx) {
    std::vector<std::string> out;
    for (const SqlRow& r : tx.run("SELECT name FROM authorities ORDER BY name").rows) {
        out.push_back(r.text(0));
    }
    return out;
}

void set_root_key(Transaction& tx, std::string_view name, std::string_view root_key_pem) {
    if (tx.run("UPDATE authorities SET root_key_pem = $1 WHERE name = $2", {root_key_pem, name}).affected !=
        1) {
        throw Error(ErrorCode::not_found, fmt::format("no authority \"{}\"", name));
    }
}

std::int64_t insert_issuer(Transaction& tx, const IssuerRecord& i) {
    try {
        return tx
            .run(
                "INSERT INTO issuers (authority, generation, chain_pem, encrypted_key_pem, key_id, state, "
                "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                {i.authority,
                 i.generation,
                 i.chain_pem,
                 i.encrypted_key_pem,
                 i.key_id,
                 to_string(i.state),
                 to_unix_seconds(i.created_at)})
            .rows.at(0)
            .integer(0);
    } catch (const Error& e) {
        if (e.code() == ErrorCode::conflict) {
            throw Error(
                ErrorCode::conflict,
                fmt::format("authority \"{}\" already has issuer generation {}", i.authority, i.generation));
        }
        throw;
    }
}

void set_issuer_state(Transaction& tx, std::int64_t issuer_id, IssuerState state) {
    if (tx.run("UPDATE issuers SET state = $1 WHERE id = $2", {to_string(state), issuer_id}).affected != 1) {
        throw Error(ErrorCode::not_found, fmt::format("no issuer with id {}", issuer_id));
    }
}

}  // namespace certfleet::store
