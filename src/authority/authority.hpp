#pragma once
// authority/ owns the CAs certfleet operates: creating or importing one (authority_setup), its issuer
// generations and their keys at rest (ca_key_file, store_passphrase), what certificates may look like
// (profile) and who may get which names (policy, policy_decision), the entry point every requester goes
// through (Authority::issue with an IssueRequest and its Authorisation), signing (signer), serial
// numbers, revocation and CRLs per issuer (crl_builder), and the ledger of what needs no key (ledger).
// It records through store::Store and never reads the clock: callers pass the time.

#include "authority/issue_request.hpp"
#include "authority/policy.hpp"
#include "authority/profile.hpp"
#include "authority/revocation.hpp"
#include "core/secret.hpp"
#include "pki/certificate.hpp"
#include "pki/crl.hpp"
#include "pki/private_key.hpp"
#include "store/store.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certfleet::authority {

/// A certificate just issued and recorded, with what a server needs to present it.
struct IssuedCertificate {
    pki::Certificate certificate;
    std::string chain_pem;  ///< the issuing CA up to (not including) the root; the root when it issues
    std::string root_pem;
    std::int64_t issuer_id = 0;  ///< the issuer generation that signed it
    bool validity_cut = false;   ///< the asked validity ended after the issuer's, so it ends with the issuer

    /// Returns leaf followed by chain.
    [[nodiscard]] std::string fullchain_pem() const { return certificate.pem() + chain_pem; }
};

/// One issuer generation with its key unlocked, ready to sign.
struct SigningIssuer {
    store::IssuerRecord record;
    std::vector<pki::Certificate> chain;  ///< issuing CA first
    pki::X509Ptr certificate;             ///< the issuing CA, fully decoded and owned (shared by threads)
    pki::PrivateKey key;
    ProfileSet urls;  ///< CRL distribution points and AIA of this generation
    std::string chain_pem;
    std::string root_pem;
    // Per profile: extensions for RSA subjects (keyEncipherment kept) and for the others.
    std::map<std::string, std::pair<pki::X509Ptr, pki::X509Ptr>> extension_templates;
    /// The root above an intermediate and its key, when the store keeps the root key: the root signs the
    /// CRL that lists revoked intermediates, so clients that check the whole chain find one per CA.
    pki::X509Ptr root;
    std::optional<pki::PrivateKey> root_key;
};

/// Whether Authority::generate_crl signs every issuer's next CRL, or only where the newest one is due.
enum class CrlRefresh { always, when_due };

/// Returns true when `crl` has less than a third of its lifetime left at `now` (or is past it): a server
/// signs the next one then, so a CRL never expires while it runs.
bool crl_is_due(const store::CrlRecord& crl, core::TimePoint now);

/// A CA we operate, unlocked: its issuer generations, profiles and policy, bound to a store. Everything
/// is decided at open and immutable afterwards, so one Authority is shared by every thread of a server.
///
/// Issuance order (fixed, like step-ca's sign options): 1. the CSR's signature verifies (proof of
/// possession); 2. the profile exists; 3. the names are collected (CSR subjectAltNames, extra names, and
/// the commonName when it is a DNS name or IP, since clients ignore the CN once SANs exist); 4. the policy
/// judges them; 5. the caller's authorisation covers every name and the validity; 6. a validity ending
/// after the issuer's is cut to it (or refused with exact_validity); 7. sign with the active issuer;
/// 8. record durably with the audit entry and the request's own unit of work, in one commit; 9. return.
/// Every rule that refuses is named in the Error and in the audit log.
class Authority {
public:
    /// Loads authority `name` from `store` and unlocks the keys of its active and retiring issuers.
    /// Throws Error(not_found) if there is none, Error(unauthenticated) for a wrong passphrase.
    static Authority open(store::Store& store, std::string_view name, const core::Secret& passphrase);
    /// As open, and a wrong passphrase is also written to the audit log as `actor`'s refused
    /// "authority.unlock" (every refusal is audited).
    static Authority open(store::Store& store,
                          std::string_view name,
                          const core::Secret& passphrase,
                          const store::Actor& actor);

    [[nodiscard]] const std::string& name() const noexcept { return m_name; }
    /// Returns the active issuer's certificate.
    [[nodiscard]] const pki::Certificate& issuer() const noexcept { return active().chain.front(); }
    /// Returns the active issuer's chain, issuing CA first.
    [[nodiscard]] const std::vector<pki::Certificate>& chain() const noexcept { return active().chain; }
    [[nodiscard]] const ProfileSet& profiles() const noexcept { return m_profiles; }
    [[nodiscard]] const Policy& policy() const noexcept { return m_policy; }

    /// Issues a certificate for `request` at `now` and records it before returning.
    /// Throws Error(invalid_input) for a CSR whose signature does not verify, an unknown profile or a
    /// validity that cannot be met; Error(forbidden) naming each refusing rule when the policy or the
    /// authorisation refuses (also written to the audit log).
    IssuedCertificate issue(const IssueRequest& request, core::TimePoint now) const;

    /// Revokes a certificate this authority issued and regenerates its issuer's CRL at once.
    /// Throws Error(not_found) or Error(conflict).
    store::CertificateRecord revoke(std::string_view serial_hex,
                                    RevocationReason reason,
                                    const store::Actor& actor,
                                    core::Seconds crl_validity) const;

    /// Signs and records a CRL for every issuer that still signs (active and retiring), each with its next
    /// CRL number, valid from actor.at for `validity`, and the root's CRL above each intermediate whose
    /// root key the store keeps; returns the active issuer's.
    /// With CrlRefresh::when_due, an issuer whose newest CRL is not due (crl_is_due) keeps it, and that one
    /// is returned. Replicas sharing PostgreSQL sign one CRL of an issuer at a time (store claim), so no two
    /// CRLs share a number and none misses a revocation committed before it.
    pki::Crl generate_crl(core::Seconds validity,
                          const store::Actor& actor,
                          CrlRefresh refresh = CrlRefresh::always) const;

private:
    Authority(store::Store& store, std::string name) : m_store(&store), m_name(std::move(name)) {}
    [[nodiscard]] const SigningIssuer& active() const noexcept { return m_issuers.back(); }
    pki::Crl generate_crl_of(const SigningIssuer& issuer,
                             store::CrlSigner signer,
                             core::Seconds validity,
                             const store::Actor& actor,
                             CrlRefresh refresh) const;
    /// Commits `record` with its audit entry and the request's own work (IssueRequest::also...) in one unit.
    void record_issued(const IssueRequest& request,
                       const store::CertificateRecord& record,
                       core::TimePoint now) const;
    void refuse(const IssueRequest& request,
                const std::string& subject,
                const std::string& reasons,
                core::TimePoint now) const;

    store::Store* m_store;
    std::string m_name;
    std::vector<SigningIssuer> m_issuers;  // by generation; the last one is active
    ProfileSet m_profiles;
    Policy m_policy;
};

/// Returns the name of the only authority in `store`, or `requested` when given.
/// Throws Error(not_found) if there is none, Error(invalid_input) if several exist and none was named.
std::string choose_authority(store::Store& store, std::string_view requested);

}  // namespace certfleet::authority
