#pragma once

#include "core/secret.hpp"
#include "pki/bytes.hpp"
#include "pki/openssl_handles.hpp"
#include "pki/public_key.hpp"

#include <string>
#include <string_view>

namespace certfleet::pki {

/// A key type an operator asks for: "rsa:2048", "rsa:3072", "rsa:4096", "ec:p256", "ec:p384", "ed25519".
struct KeySpec {
    enum class Algorithm { rsa, ec, ed25519 };
    Algorithm algorithm = Algorithm::ec;
    int rsa_bits = 0;
    std::string curve;  ///< OpenSSL group name: "P-256", "P-384"

    /// Parses a key type. Throws Error(invalid_input) naming `field` for anything else.
    static KeySpec parse(std::string_view text, std::string_view field);
    /// Returns the spelling parse() accepts ("ec:p256").
    [[nodiscard]] std::string to_string() const;
};

/// How a private key is written to disk.
struct KeyEncryption {
    const core::Secret* passphrase = nullptr;  ///< nullptr: unencrypted PKCS#8
    /// PBKDF2-HMAC-SHA256 rounds for AES-256-CBC PBES2 (RFC 8018); OWASP's 2023 advice is 600,000.
    int pbkdf2_iterations = 600000;
};

/// A private key. Move-only; never printed, logged or put in a message.
class PrivateKey {
public:
    /// Generates a new key. Throws Error(internal) if OpenSSL fails.
    static PrivateKey generate(const KeySpec& spec);
    /// Reads a PEM private key (PKCS#8, encrypted PKCS#8, or traditional RSA/EC, legacy-encrypted too).
    /// Throws Error(invalid_input) naming `source`: not a key, passphrase needed, or wrong passphrase.
    static PrivateKey from_pem(std::string_view pem, std::string_view source, const core::Secret* passphrase);
    /// Reads a DER private key (PKCS#8, encrypted PKCS#8, traditional). Throws as from_pem.
    static PrivateKey from_der(const Bytes& der, std::string_view source, const core::Secret* passphrase);
    /// Takes ownership of `key`.
    explicit PrivateKey(EvpPkeyPtr key);

    [[nodiscard]] EVP_PKEY* get() const noexcept { return m_key.get(); }
    [[nodiscard]] PrivateKey clone() const;
    [[nodiscard]] PublicKey public_key() const { return PublicKey::from_evp(m_key.get()); }
    [[nodiscard]] KeyDescription description() const { return public_key().description(); }
    /// Returns PKCS#8 PEM, encrypted with AES-256-CBC and PBKDF2 when a passphrase is given.
    [[nodiscard]] std::string to_pkcs8_pem(const KeyEncryption& encryption = {}) const;
    /// Returns unencrypted PKCS#8 DER (for keystores that encrypt it themselves).
    [[nodiscard]] Bytes to_pkcs8_der() const;

private:
    EvpPkeyPtr m_key;
};

}  // namespace certfleet::pki
