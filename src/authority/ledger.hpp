#pragma once

#include "authority/crl_health.hpp"
#include "authority/revocation.hpp"
#include "pki/crl.hpp"
#include "store/store.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace certfleet::authority {

/// What can be done with an authority's records without its key: find, list and revoke certificates, and
/// judge its CRLs. The CLI and the server both call it; only signing (certificates, CRLs) needs an
/// unlocked Authority.
class Ledger {
public:
    explicit Ledger(store::Store& store) noexcept : m_store(&store) {}

    /// Returns the certificate with `serial_hex`, or nullopt.
    std::optional<store::CertificateRecord> find(std::string_view serial_hex);
    /// Returns matching certificates ordered by not_after.
    std::vector<store::CertificateRecord> list(const store::CertificateFilter& filter);
    /// Records the revocation of a certificate `authority` issued and returns it. The CRL that lists it is
    /// signed by Authority::revoke or generate_crl. Throws Error(not_found) if the authority does not
    /// exist or did not issue the serial, Error(conflict) if it is already revoked.
    store::CertificateRecord revoke(std::string_view authority,
                                    std::string_view serial_hex,
                                    RevocationReason reason,
                                    const store::Actor& actor);
    /// Records a CRL signed by the root of the authority's active issuer where the root key lives (an
    /// offline root, `ca init --offline-root`), so it is served with the issuer's own. Throws
    /// Error(invalid_input) if the root did not sign it or its number is not above the last one imported.
    void import_root_crl(std::string_view authority, const pki::Crl& crl, const store::Actor& actor);
    /// Returns the worst health of the CRLs of the authority's issuers that still sign.
    /// Throws Error(not_found) if the authority does not exist.
    CrlHealth crl_health(std::string_view authority, core::TimePoint now);

private:
    store::Store* m_store;
};

}  // namespace certfleet::authority
