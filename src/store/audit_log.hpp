#pragma once

#include "store/records.hpp"
#include "store/transaction.hpp"

#include <vector>

namespace certfleet::store {

/// Appends one audit entry (in the caller's unit of work, so it commits with what it describes).
void append_audit(Transaction& tx, const AuditEntry& entry);
/// Returns the newest matching entries, newest first.
std::vector<AuditEntry> audit_log(Transaction& tx, const AuditFilter& filter);

}  // namespace certfleet::store
