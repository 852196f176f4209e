#pragma once

#include "core/secret.hpp"
#include "pki/private_key.hpp"

#include <string>
#include <string_view>

namespace certfleet::authority {

/// PBKDF2 rounds for CA keys at rest (PBES2, AES-256-CBC, HMAC-SHA256); OWASP 2023 advice.
inline constexpr int ca_key_pbkdf2_iterations = 600000;

/// Returns `key` as encrypted PKCS#8 PEM, readable by `openssl pkey -passin`.
/// Throws Error(invalid_input) if the passphrase is empty.
std::string seal_ca_key(const pki::PrivateKey& key,
                        const core::Secret& passphrase,
                        int iterations = ca_key_pbkdf2_iterations);

/// Decrypts a sealed CA key. Throws Error(unauthenticated) naming `authority` for a wrong passphrase.
pki::PrivateKey open_ca_key(std::string_view sealed_pem,
                            const core::Secret& passphrase,
                            std::string_view authority);

}  // namespace certfleet::authority
