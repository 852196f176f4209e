#include "store/audit_log.hpp"

#include "store/record_codec.hpp"

namespace certfleet::store {

void append_audit(Transaction& tx, const AuditEntry& e) {
    tx.run(
        "INSERT INTO audit_log (at, actor, action, target, outcome, authority) VALUES ($1, $2, $3, $4, $5, "
        "$6)",
        {to_unix_seconds(e.at), e.actor, e.action, e.target, e.outcome, e.authority});
}

std::vector<AuditEntry> audit_log(Transaction& tx, const AuditFilter& filter) {
    std::vector<AuditEntry> out;
    for (const SqlRow& r : tx.run("SELECT id, at, actor, action, target, outcome, authority FROM audit_log "
                                  "WHERE ($1 = '' OR authority = $1) ORDER BY id DESC LIMIT $2",
                                  {filter.authority, static_cast<std::int64_t>(filter.limit)})
                               .rows) {
        out.push_back({.id = r.integer(0),
                       .at = from_unix_seconds(r.integer(1)),
                       .actor = r.text(2),
                       .action = r.text(3),
                       .target = r.text(4),
                       .outcome = r.text(5),
                       .authority = r.text(6)});
    }
    return out;
}

}  // namespace certfleet::store
