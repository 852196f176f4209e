#pragma once

#include "store/records.hpp"
#include "store/transaction.hpp"

#include <vector>

namespace certfleet::store {

/// Records an uploaded custom chain as the current one for its name + domain suffix; the previous current
/// one (a redo by the same name, seed 004) is marked replaced at `at` and kept. Returns the record with
/// its id and seq. Throws Error(conflict) if another upload of the same name + suffix committed in between.
CustomChainRecord insert_custom_chain(Transaction& tx, const CustomChainRecord& chain, core::TimePoint at);
/// Returns matching custom chains by name, domain suffix, then newest first.
std::vector<CustomChainRecord> list_custom_chains(Transaction& tx, const CustomChainFilter& filter);

}  // namespace certfleet::store
