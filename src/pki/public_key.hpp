#pragma once

#include "pki/bytes.hpp"
#include "pki/openssl_handles.hpp"

#include <string>

namespace certfleet::pki {

/// What kind of key a SubjectPublicKeyInfo holds, read from its algorithm and encoding alone.
struct KeyDescription {
    std::string algorithm;  ///< "RSA", "RSA-PSS", "EC", "Ed25519", "Ed448", "DSA", or the OID
    int bits = 0;           ///< RSA modulus / DSA p size; the curve's size for EC and EdDSA
    std::string curve;      ///< "P-256", "P-384", "secp256k1"... for EC; empty otherwise
};

/// Returns "RSA 2048", "EC P-256", "Ed25519".
std::string to_string(const KeyDescription& key);

/// A public key as its DER SubjectPublicKeyInfo. Decoding an SPKI into an EVP_PKEY goes through
/// OpenSSL 3's provider decoders and costs far more than everything else about a certificate, so it
/// happens only when a cryptographic operation needs it (evp()).
class PublicKey {
public:
    /// Wraps an SPKI. Throws Error(invalid_input) naming `source` if it is not one.
    static PublicKey from_spki_der(Bytes spki, std::string_view source);
    /// Returns the public half of `key`.
    static PublicKey from_evp(const EVP_PKEY* key);

    PublicKey(const PublicKey& other) : m_spki(other.m_spki) {}
    PublicKey& operator=(const PublicKey& other);
    PublicKey(PublicKey&&) noexcept = default;
    PublicKey& operator=(PublicKey&&) noexcept = default;
    ~PublicKey() = default;

    [[nodiscard]] const Bytes& spki_der() const noexcept { return m_spki; }
    /// Returns the key's algorithm and size without decoding the key.
    [[nodiscard]] KeyDescription description() const;
    /// Returns the SHA-256 of the SPKI, as OpenSSL prints fingerprints.
    [[nodiscard]] std::string fingerprint_sha256() const;
    /// Returns the decoded key (decoded on first use). Throws Error(invalid_input) if it cannot be decoded.
    [[nodiscard]] EVP_PKEY* evp() const;
    /// Returns true if both are the same key (same SPKI, or equal after decoding, e.g. EC point forms).
    [[nodiscard]] bool matches(const PublicKey& other) const;

private:
    explicit PublicKey(Bytes spki) : m_spki(std::move(spki)) {}
    Bytes m_spki;
    mutable EvpPkeyPtr m_decoded;  // a cache: PublicKey is not shared between threads
};

/// Returns the description of an SPKI held by OpenSSL (no decoding).
KeyDescription describe_spki(const X509_PUBKEY* spki);

}  // namespace certfleet::pki
