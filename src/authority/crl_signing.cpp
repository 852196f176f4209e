// Authority::generate_crl: each issuer's next CRL, signed under a store claim so that replicas sharing
// PostgreSQL never sign two CRLs with one number or one that misses a committed revocation.
#include "authority/authority.hpp"
#include "authority/crl_builder.hpp"
#include "store/certificate_ledger.hpp"
#include "store/crl_records.hpp"

namespace certfleet::authority {

bool crl_is_due(const store::CrlRecord& crl, core::TimePoint now) {
    const auto lifetime = crl.next_update - crl.this_update;
    return now >= crl.next_update - lifetime / 3;
}

pki::Crl Authority::generate_crl(core::Seconds validity,
                                 const store::Actor& actor,
                                 CrlRefresh refresh) const {
    for (const SigningIssuer& issuer : m_issuers) {
        if (issuer.root_key) {
            static_cast<void>(generate_crl_of(issuer, store::CrlSigner::root, validity, actor, refresh));
        }
    }
    for (std::size_t i = 0; i + 1 < m_issuers.size(); ++i) {
        static_cast<void>(generate_crl_of(m_issuers[i], store::CrlSigner::issuer, validity, actor, refresh));
    }
    return generate_crl_of(active(), store::CrlSigner::issuer, validity, actor, refresh);
}

pki::Crl Authority::generate_crl_of(const SigningIssuer& issuer,
                                    store::CrlSigner signer,
                                    core::Seconds validity,
                                    const store::Actor& actor,
                                    CrlRefresh refresh) const {
    // The root's CRL lists revoked intermediates; certfleet revokes none, so it lists nothing, but clients
    // checking the whole chain (puppet agent's certificate_revocation=chain) need one from every CA.
    const bool by_root = signer == store::CrlSigner::root;
    const core::TimePoint next_update = core::add_checked(actor.at, validity, "validity");
    std::optional<pki::Crl> result;
    m_store->commit([&](store::Transaction& tx) {
        // The number and the revoked list are read while this transaction holds the authority's CRL claim:
        // another replica (or `cert revoke` on the CA host) signing at the same moment waits for our commit.
        // One claim for all of the authority's CRLs, not one per issuer: a group commit may carry two CRL
        // units, and two claims taken in different orders by two replicas would deadlock.
        tx.claim("crl:" + m_name);
        const auto latest = store::latest_crl(tx, issuer.record.id, signer);
        if (refresh == CrlRefresh::when_due && latest && !crl_is_due(*latest, actor.at)) {
            result = pki::Crl::from_der(latest->der, "the store's newest CRL");
            return;
        }
        const auto revoked =
            by_root ? std::vector<store::CertificateRecord>{}
                    : store::list_certificates(
                          tx, {.authority = m_name, .issuer_id = issuer.record.id, .revoked_only = true});
        const std::int64_t number = latest ? latest->number + 1 : 1;
        pki::Crl crl = build_crl(
            {.number = number, .this_update = actor.at, .next_update = next_update, .revoked = &revoked},
            by_root ? issuer.root.get() : issuer.certificate.get(),
            by_root ? issuer.root_key->get() : issuer.key.get());
        store::record_crl(tx,
                          {.authority = m_name,
                           .issuer_id = issuer.record.id,
                           .signer = signer,
                           .number = number,
                           .this_update = actor.at,
                           .next_update = next_update,
                           .der = crl.der()},
                          actor);
        result = std::move(crl);
    });
    return std::move(*result);
}

}  // namespace certfleet::authority
