#pragma once

#include "core/clock.hpp"
#include "pki/certificate.hpp"
#include "pki/crl.hpp"
#include "pki/finding.hpp"
#include "pki/server_profile.hpp"
#include "pki/trust_store.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certfleet::pki {

/// What the leaf will be used for: the TLS role whose key usages OpenSSL checks along the chain.
enum class Purpose {
    any,     ///< no key-usage requirement
    server,  ///< TLS server (serverAuth)
    client,  ///< TLS client (clientAuth)
    peer,    ///< both: a node that accepts and makes connections (serverAuth and clientAuth)
};

/// Returns "any", "server", "client" or "peer".
std::string_view to_string(Purpose purpose) noexcept;

/// Parses "server", "client", "peer" or "any". Throws Error(invalid_input) naming `field` otherwise.
Purpose parse_purpose(std::string_view text, std::string_view field);

/// Which trusted certificates may end a chain.
enum class AnchorRule {
    self_signed_roots,  ///< a chain must reach a trusted self-signed root (OpenSSL's default)
    any_trusted,        ///< any trusted certificate ends it, e.g. a trusted intermediate (PARTIAL_CHAIN)
};

/// How closely certificates must follow the RFC 5280 profile.
enum class Strictness {
    standard,  ///< what `openssl verify` checks by default
    strict,    ///< also OpenSSL's X509_V_FLAG_X509_STRICT checks (AKID, critical basicConstraints...)
};

/// Which certificates must be checked against the CRLs given.
enum class RevocationCheck {
    none,
    leaf,   ///< the leaf only (X509_V_FLAG_CRL_CHECK)
    chain,  ///< every certificate below the anchor (X509_V_FLAG_CRL_CHECK_ALL)
};

/// Whether certificate policies are processed (RFC 5280 6.1: policy tree, requireExplicitPolicy).
enum class PolicyCheck {
    off,  ///< OpenSSL's default: policy extensions are not evaluated
    on,   ///< X509_V_FLAG_POLICY_CHECK
};

/// How to verify a chain. Designated initialisers: `{.at = now, .host = "node1", .purpose =
/// Purpose::server}`.
struct VerifyOptions {
    std::optional<core::TimePoint> at;  ///< validation time; nullopt means validity periods are not checked
    std::string host;                   ///< DNS name the leaf must be valid for (RFC 6125); "" for none
    std::string ip;                     ///< IP address the leaf must be valid for; "" for none
    Purpose purpose = Purpose::any;
    AnchorRule anchors = AnchorRule::self_signed_roots;
    Strictness strictness = Strictness::standard;
    RevocationCheck revocation = RevocationCheck::none;
    PolicyCheck policies = PolicyCheck::off;
    const std::vector<Crl>* crls = nullptr;  ///< CRLs to check revocation with (borrowed)
    /// Intermediates allowed between leaf and anchor. OpenSSL's X509_VERIFY_PARAM_set_depth counts them
    /// all; with a server profile, self-issued ones (a CA's key rollover) do not count (RFC 5280 6.1.4 (l)).
    std::optional<int> max_depth;
    /// OpenSSL security level for keys and signature algorithms along the chain (auth_level): 2 means
    /// at least 112-bit security (RSA/DSA 2048, no SHA-1), what Debian's TLS clients require.
    int security_level = 2;
    /// Rules on top of OpenSSL's (server_profile.hpp). Any profile but `off` also brings the engine
    /// details OpenSSL gets wrong: a bounded retry of path building without the failed path's
    /// intermediates, notAfter equal to the validation time is still valid, no keyUsage complaint about
    /// a trust anchor, self-issued intermediates outside `max_depth`.
    ServerProfile profile = ServerProfile::off;
};

/// The outcome of verifying one leaf: the chain OpenSSL built and everything found wrong with it.
struct ChainVerdict {
    /// The chain as built, leaf first, up to the anchor (or as far as an issuer was found).
    std::vector<Certificate> chain;
    /// Every problem, in the order OpenSSL met them; empty when the chain is valid and trusted.
    std::vector<Finding> findings;

    [[nodiscard]] bool is_clean() const noexcept { return findings.empty(); }
};

/// Builds and validates the chain of `leaf` with OpenSSL's X509_STORE_CTX, using `untrusted` as
/// candidate intermediates and `trust` as anchors. Unlike X509_verify_cert alone it does not stop at the
/// first error: every error becomes a Finding. Host, IP, purpose and time are checked by OpenSSL
/// through X509_VERIFY_PARAM (RFC 6125 matching, partial wildcards refused).
/// Throws Error(invalid_input) if a certificate cannot be decoded or `host`/`ip` is not a valid name;
/// a failed verification is a verdict, not an error.
ChainVerdict verify_chain(const Certificate& leaf,
                          const std::vector<Certificate>& untrusted,
                          const TrustStore& trust,
                          const VerifyOptions& options);

}  // namespace certfleet::pki
