#include "store/crl_records.hpp"

#include "core/error.hpp"
#include "store/audit_log.hpp"
#include "store/record_codec.hpp"

#include <fmt/format.h>

namespace certfleet::store {
namespace {

std::string_view signer_text(CrlSigner signer) noexcept {
    return signer == CrlSigner::root ? "root" : "issuer";
}

}  // namespace

void insert_crl(Transaction& tx, const CrlRecord& crl) {
    const std::int64_t newest =
        tx.run("SELECT COALESCE(MAX(number), 0) FROM crls WHERE issuer_id = $1 AND signer = $2",
               {crl.issuer_id, signer_text(crl.signer)})
            .rows.at(0)
            .integer(0);
    if (crl.number <= newest) {
        throw core::Error(core::ErrorCode::conflict,
                          fmt::format("CRL number {} is not above the last one ({})", crl.number, newest));
    }
    tx.run(
        "INSERT INTO crls (authority, issuer_id, number, this_update, next_update, der, signer) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7)",
        {crl.authority,
         crl.issuer_id,
         crl.number,
         to_unix_seconds(crl.this_update),
         to_unix_seconds(crl.next_update),
         crl.der,
         signer_text(crl.signer)});
}

void record_crl(Transaction& tx, const CrlRecord& crl, const Actor& actor) {
    insert_crl(tx, crl);
    append_audit(tx,
                 {.at = actor.at,
                  .actor = actor.name,
                  .action = "crl.generate",
                  .target = fmt::format(
                      "{} #{}{}", crl.authority, crl.number, crl.signer == CrlSigner::root ? " (root)" : ""),
                  .outcome = "ok",
                  .authority = crl.authority});
}

std::optional<CrlRecord> latest_crl(Transaction& tx, std::int64_t issuer_id, CrlSigner signer) {
    const SqlResult r = tx.run(
        "SELECT authority, issuer_id, number, this_update, next_update, der FROM crls WHERE issuer_id = $1 "
        "AND signer = $2 ORDER BY number DESC LIMIT 1",
        {issuer_id, signer_text(signer)});
    if (r.rows.empty()) {
        return std::nullopt;
    }
    const SqlRow& row = r.rows[0];
    return CrlRecord{.authority = row.text(0),
                     .issuer_id = row.integer(1),
                     .signer = signer,
                     .number = row.integer(2),
                     .this_update = from_unix_seconds(row.integer(3)),
                     .next_update = from_unix_seconds(row.integer(4)),
                     .der = row.blob(5)};
}

}  // namespace certfleet::store
