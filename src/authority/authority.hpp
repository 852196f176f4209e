#pragma once

#include "authority/policy.hpp"
#include "authority/profile.hpp"
#include "authority/revocation.hpp"
#include "core/secret.hpp"
#include "pki/certificate.hpp"
#include "pki/crl.hpp"
#include "pki/csr.hpp"
#include "pki/private_key.hpp"
#include "store/store.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certfleet::authority {

/// What a caller asks for beyond the CSR.
struct IssueOptions {
    std::string profile = "server";
    std::optional<core::Seconds> validity;      ///< the profile's when absent
    std::vector<pki::GeneralName> extra_names;  ///< added to the CSR's subjectAltNames
    std::string subject_override;               ///< replaces the CSR subject when not empty
    std::string requester = "cli";              ///< recorded with the certificate and in the audit log
};

/// A certificate just issued and recorded, with what a server needs to present it.
struct IssuedCertificate {
    pki::Certificate certificate;
    std::string chain_pem;  ///< the issuing CA up to (not including) the root; the root when it issues
    std::string root_pem;

    /// Returns leaf followed by chain.
    [[nodiscard]] std::string fullchain_pem() const { return certificate.pem() + chain_pem; }
};

/// A CA we operate, unlocked: its chain, signing key, profiles and policy, bound to a store.
///
/// Issuance order (fixed, like step-ca's sign options): verify the CSR signature (proof of possession);
/// pick the profile; collect the names (CSR subjectAltNames, extra names, and the commonName when it is a
/// DNS name, since clients ignore the CN once SANs exist); judge them with the policy; sign; record
/// durably; return. Safe to call from several threads at once.
class Authority {
public:
    /// Loads authority `name` from `store` and unlocks its key.
    /// Throws Error(not_found) if there is none, Error(unauthenticated) for a wrong passphrase.
    static Authority open(store::Store& store, std::string_view name, const core::Secret& passphrase);

    [[nodiscard]] const std::string& name() const noexcept { return m_name; }
    [[nodiscard]] const pki::Certificate& issuer() const noexcept { return m_chain.front(); }
    [[nodiscard]] const std::vector<pki::Certificate>& chain() const noexcept { return m_chain; }
    [[nodiscard]] const ProfileSet& profiles() const noexcept { return m_profiles; }
    [[nodiscard]] const Policy& policy() const noexcept { return m_policy; }

    /// Signs `csr` at time `now` and records it before returning.
    /// Throws Error(invalid_input) for a CSR whose signature does not verify or an unknown profile,
    /// Error(forbidden) naming each refusing rule when the policy refuses (also written to the audit log).
    IssuedCertificate sign_csr(const pki::Csr& csr, const IssueOptions& options, core::TimePoint now);

    /// Revokes a certificate this authority issued. Throws Error(not_found) or Error(conflict).
    void revoke(std::string_view serial_hex, RevocationReason reason, const store::Actor& actor);

    /// Signs and records a CRL with the next CRL number, valid from actor.at for `validity`.
    pki::Crl generate_crl(core::Seconds validity, const store::Actor& actor);

private:
    Authority(store::Store& store, std::string name) : m_store(&store), m_name(std::move(name)) {}
    store::Store* m_store;
    std::string m_name;
    std::vector<pki::Certificate> m_chain;  // issuing CA first
    std::optional<pki::PrivateKey> m_key;   // decoded once per process
    ProfileSet m_profiles;
    Policy m_policy;
    std::string m_chain_pem;
    std::string m_root_pem;
    // Per profile: extensions for RSA subjects (keyEncipherment kept) and for the others.
    std::map<std::string, std::pair<pki::X509Ptr, pki::X509Ptr>> m_extension_templates;
};

/// Returns the name of the only authority in `store`, or `requested` when given.
/// Throws Error(not_found) if there is none, Error(invalid_input) if several exist and none was named.
std::string choose_authority(store::Store& store, std::string_view requested);

}  // namespace certfleet::authority
