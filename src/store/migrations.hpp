#pragma once

#include "store/transaction.hpp"

#include <span>
#include <string_view>

namespace certfleet::store {

/// One step of the schema history, in both SQL dialects. Steps are applied in order, each in its own
/// transaction together with the new version number, so a store is always at exactly one version.
struct Migration {
    int version = 0;
    std::string_view sqlite;
    std::string_view postgres;  ///< "" when `sqlite` serves both (to_postgres_ddl translates its types)
    /// Fills new columns that SQL alone cannot compute (e.g. key identifiers from stored DER), in the
    /// migration's transaction; nullptr when there is nothing to fill.
    void (*backfill)(Transaction& tx) = nullptr;
};

/// Returns every migration, oldest first. Never edit a published step: append a new one.
std::span<const Migration> migrations() noexcept;

}  // namespace certfleet::store
