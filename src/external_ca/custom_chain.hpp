#pragma once

#include "core/clock.hpp"
#include "pki/certificate.hpp"
#include "pki/finding.hpp"
#include "pki/private_key.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certfleet::external_ca {

/// A custom certificate from someone else's CA as CloudStack's UploadCustomCertificate takes it (seed
/// 004): the root, zero or more intermediates in upload order (the one the root signed first), then the
/// server certificate and its private key.
struct CustomChain {
    pki::Certificate root;
    std::vector<pki::Certificate> intermediates;  ///< root-down: intermediates[0] is signed by the root
    pki::Certificate server;
    std::optional<pki::PrivateKey> key;

    /// Returns the certificates leaf first (server, last intermediate ... first, root): the order
    /// findings number them in ("cert 0" is the server certificate).
    [[nodiscard]] std::vector<const pki::Certificate*> leaf_first() const;
    /// Returns "server", "intermediate N" (1 = signed by the root) or "root" for leaf-first `index`.
    [[nodiscard]] std::string role_of(std::size_t index) const;
    [[nodiscard]] CustomChain clone() const;
};

/// Where the parts of a custom chain are read from: files of PEM (also URL-encoded, as the CloudStack
/// API takes them) or DER.
struct CustomChainSources {
    std::string root;
    std::vector<std::string> intermediates;  ///< root-down; a file may hold several, root-down
    std::string server;
    std::string key;  ///< "" when no key is given
};

/// Reads every part. Throws Error(invalid_input) naming the file for an unreadable one, a root or server
/// file without exactly one certificate, a missing file, or a key file without exactly one unencrypted
/// private key (an encrypted one is named as such).
CustomChain read_custom_chain(const CustomChainSources& sources);

/// What the server certificate must cover and when the chain must be valid.
struct CustomChainExpectations {
    std::string domain_suffix;       ///< the certificate must name "*.<suffix>" (CloudStack's domainsuffix)
    std::vector<std::string> hosts;  ///< DNS names it must be valid for (RFC 6125)
    std::optional<core::TimePoint> at;  ///< validation time; nullopt: validity periods not checked
};

/// The outcome of judging a custom chain.
struct CustomChainVerdict {
    std::vector<pki::Finding> findings;  ///< certificate_index counts leaf first: 0 = server, last = root

    [[nodiscard]] bool is_clean() const noexcept { return findings.empty(); }
};

/// Applies CloudStack's upload rules offline, in this order: the server certificate is not self-signed
/// (self_signed_leaf); each certificate is signed by the next one up (chain_out_of_order when the one
/// that signed it was given elsewhere, chain_incomplete naming the missing issuer when none was,
/// signature_invalid when the names fit but the signature does not); the root is self-signed
/// (chain_incomplete); the key is the server certificate's (key_mismatch); the server certificate covers
/// "*.<domain_suffix>" and every host (host_mismatch). When every link holds, the chain is also verified
/// with OpenSSL, the root the only anchor, for a TLS server at `at` (expiry, CA flags, key usage...).
/// A failed rule is a finding, not an error.
CustomChainVerdict judge_custom_chain(const CustomChain& chain, const CustomChainExpectations& expected);

/// Returns `text` percent-encoded as Python's urllib.parse.quote(text, safe='/') does: letters, digits,
/// "_.-~" and "/" stay, every other byte becomes %XX (upper-case hex). The form the CloudStack API takes
/// certificates in (the seed's "url encoded the certificates").
std::string url_encode(std::string_view text);

}  // namespace certfleet::external_ca
