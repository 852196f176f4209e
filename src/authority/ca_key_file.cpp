#include "authority/ca_key_file.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

namespace certfleet::authority {

std::string seal_ca_key(const pki::PrivateKey& key, const core::Secret& passphrase, int iterations) {
    if (passphrase.empty()) {
        throw core::Error(core::ErrorCode::invalid_input, "the CA passphrase is empty");
    }
    return key.to_pkcs8_pem({.passphrase = &passphrase, .pbkdf2_iterations = iterations});
}

pki::PrivateKey open_ca_key(std::string_view sealed_pem,
                            const core::Secret& passphrase,
                            std::string_view authority) {
    try {
        return pki::PrivateKey::from_pem(
            sealed_pem, fmt::format("authority \"{}\" key", authority), &passphrase);
    } catch (const core::Error& e) {
        throw core::Error(
            core::ErrorCode::unauthenticated,
            fmt::format(
                "authority \"{}\": cannot unlock the CA key (wrong passphrase?): {}", authority, e.what()));
    }
}

}  // namespace certfleet::authority
