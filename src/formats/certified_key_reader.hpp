#pragma once

#include "core/secret.hpp"
#include "formats/certified_key.hpp"

#include <string>
#include <string_view>

namespace certfleet::formats {

struct CertifiedKeyReadOptions {
    const core::Secret* password = nullptr;      ///< keystore password (PKCS#12, JKS)
    const core::Secret* passphrase = nullptr;    ///< encrypted PEM/DER private keys
    std::string alias;                           ///< which JKS key entry; "" = the only one
    const core::Secret* key_password = nullptr;  ///< a JKS key entry's own password
};

/// Reads a certificate, its key and its chain from any artifact certfleet writes (PEM set files,
/// HAProxy bundle, PKCS#12, JKS key entry), putting the chain in order. Throws Error(invalid_input)
/// naming `source` (see read_artifact and assemble_certified_key), Error(not_found) for a missing alias.
CertifiedKey read_certified_key(std::string_view bytes,
                                std::string_view source,
                                const CertifiedKeyReadOptions& options);

}  // namespace certfleet::formats
