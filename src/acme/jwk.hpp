#pragma once

#include "acme/problem.hpp"
#include "pki/openssl_handles.hpp"
#include "pki/public_key.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace certfleet::acme {

/// The JWS algorithms certfleet accepts (RFC 7518 section 3.1 names): RFC 8555 6.2 requires ES256 and
/// recommends EdDSA; certbot signs with RS256 (its default RSA account key) or ES256/ES384.
enum class JwsAlgorithm { es256, es384, rs256 };

/// Returns "ES256", "ES384" or "RS256".
std::string_view to_string(JwsAlgorithm alg) noexcept;
/// Returns the algorithms we accept, for badSignatureAlgorithm's "algorithms" field.
std::vector<std::string> accepted_algorithms();

/// An account's public key from a JWK (RFC 7517): EC P-256, EC P-384 or RSA of 2048 bits or more.
/// Move-only (it owns the decoded key).
class AccountKey {
public:
    /// Reads a JWK object. Returns badPublicKey naming the member for an unsupported key type or curve, a
    /// non-canonical member (EC coordinates of the wrong length, RSA integers with leading zeros, which
    /// would let one key have two thumbprints), a point off the curve or an RSA key under 2048 bits;
    /// malformed when `jwk` is not an object of strings.
    static Checked<AccountKey> from_jwk(const nlohmann::json& jwk);

    /// Returns the RFC 7638 canonical JWK: the required members only, in lexicographic order, no
    /// whitespace. It is what the thumbprint hashes and what the store keeps.
    [[nodiscard]] const std::string& canonical_jwk() const noexcept { return m_canonical; }
    /// Returns the RFC 7638 thumbprint: base64url(SHA-256(canonical JWK)).
    [[nodiscard]] const std::string& thumbprint() const noexcept { return m_thumbprint; }
    /// Returns the algorithm this key signs with: ES256 for P-256, ES384 for P-384, RS256 for RSA.
    [[nodiscard]] JwsAlgorithm algorithm() const noexcept { return m_algorithm; }
    /// Returns "EC P-256", "RSA 2048".
    [[nodiscard]] std::string description() const;

    /// Returns true if `signature` (JWS form: raw r||s for ECDSA) over `signing_input` verifies.
    [[nodiscard]] bool verifies(std::string_view signing_input, std::string_view signature) const;
    /// Returns true if `key` (e.g. a certificate's subject key) is this key.
    [[nodiscard]] bool matches(const pki::PublicKey& key) const;

private:
    AccountKey(pki::EvpPkeyPtr key, std::string canonical, JwsAlgorithm algorithm);
    pki::EvpPkeyPtr m_key;
    std::string m_canonical;
    std::string m_thumbprint;
    JwsAlgorithm m_algorithm;
};

/// Returns the RFC 8555 8.1 key authorization: token "." base64url(thumbprint of the account key).
std::string key_authorization(std::string_view token, const AccountKey& key);

}  // namespace certfleet::acme
