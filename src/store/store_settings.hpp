#pragma once

#include "store/transaction.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace certfleet::store {

/// Returns the store-wide setting `key` (e.g. "passphrase_check"), or nullopt.
std::optional<std::string> find_setting(Transaction& tx, std::string_view key);
/// Records `key` once. Throws Error(conflict) if it is already set (another process set it first).
void insert_setting(Transaction& tx, std::string_view key, std::string_view value);

}  // namespace certfleet::store
