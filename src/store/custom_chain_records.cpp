#include "store/custom_chain_records.hpp"

#include "store/record_codec.hpp"

namespace certfleet::store {

CustomChainRecord insert_custom_chain(Transaction& tx, const CustomChainRecord& chain, core::TimePoint at) {
    CustomChainRecord stored = chain;
    stored.seq =
        tx.run("SELECT COALESCE(MAX(seq), 0) FROM custom_chains WHERE name = $1 AND domain_suffix = $2",
               {chain.name, chain.domain_suffix})
            .rows.at(0)
            .integer(0) +
        1;
    stored.replaced_at.reset();
    tx.run(
        "UPDATE custom_chains SET replaced_at = $1 WHERE name = $2 AND domain_suffix = $3 AND "
        "replaced_at IS NULL",
        {to_unix_seconds(at), chain.name, chain.domain_suffix});
    stored.id =
        tx.run(
              "INSERT INTO custom_chains (name, domain_suffix, seq, certificate_pem, chain_pem, "
              "encrypted_key_pem, uploaded_at, replaced_at) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL) "
              "RETURNING id",
              {stored.name,
               stored.domain_suffix,
               stored.seq,
               stored.certificate_pem,
               stored.chain_pem,
               stored.encrypted_key_pem,
               to_unix_seconds(stored.uploaded_at)})
            .rows.at(0)
            .integer(0);
    return stored;
}

std::vector<CustomChainRecord> list_custom_chains(Transaction& tx, const CustomChainFilter& filter) {
    std::vector<CustomChainRecord> out;
    for (const SqlRow& r :
         tx.run("SELECT id, name, domain_suffix, seq, certificate_pem, chain_pem, encrypted_key_pem, "
                "uploaded_at, replaced_at FROM custom_chains WHERE ($1 = '' OR name = $1) AND "
                "($2 = '' OR domain_suffix = $2) AND ($3 = 1 OR replaced_at IS NULL) "
                "ORDER BY name, domain_suffix, seq DESC",
                {filter.name, filter.domain_suffix, std::int64_t{filter.include_replaced ? 1 : 0}})
             .rows) {
        CustomChainRecord& c =
            out.emplace_back(CustomChainRecord{.id = r.integer(0),
                                               .name = r.text(1),
                                               .domain_suffix = r.text(2),
                                               .seq = r.integer(3),
                                               .certificate_pem = r.text(4),
                                               .chain_pem = r.text(5),
                                               .encrypted_key_pem = r.text(6),
                                               .uploaded_at = from_unix_seconds(r.integer(7))});
        if (!r.is_null(8)) {
            c.replaced_at = from_unix_seconds(r.integer(8));
        }
    }
    return out;
}

}  // namespace certfleet::store
