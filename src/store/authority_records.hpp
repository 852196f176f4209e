#pragma once

#include "store/records.hpp"
#include "store/transaction.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certfleet::store {

/// Inserts an authority and its issuers (their ids are assigned). Throws Error(conflict) if the name exists.
void insert_authority(Transaction& tx, AuthorityRecord& authority);
/// Returns the authority with its issuers, or nullopt.
std::optional<AuthorityRecord> find_authority(Transaction& tx, std::string_view name);
/// Returns the names of all authorities, sorted.
std::vector<std::string> authority_names(Transaction& tx);
/// Replaces the stored root key ("" after export-root-key --remove). Throws Error(not_found).
void set_root_key(Transaction& tx, std::string_view name, std::string_view root_key_pem);
/// Inserts an issuer generation and returns its id. Throws Error(conflict) if the generation exists.
std::int64_t insert_issuer(Transaction& tx, const IssuerRecord& issuer);
/// Sets an issuer's state. Throws Error(not_found).
void set_issuer_state(Transaction& tx, std::int64_t issuer_id, IssuerState state);

}  // namespace certfleet::store
