#pragma once
// formats/ owns the deployable artifacts made from a certificate, its key and its chain (PEM sets,
// HAProxy bundles, PKCS#12, JKS, truststores, Kubernetes TLS Secrets, ordered chain files, Puppet ssl
// dirs), reading them back, and recognising which one a file is. It does not decide trust (pki/) or
// where files go on a node (agent/).

#include "core/secret.hpp"
#include "pki/certificate.hpp"
#include "pki/private_key.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certfleet::formats {

/// What a PKCS#12 file holds.
struct Pkcs12Contents {
    std::optional<pki::PrivateKey> key;
    std::optional<pki::Certificate> certificate;  ///< the certificate of the key, when there is a key
    std::vector<pki::Certificate> chain;          ///< other certificates (CA chain or trusted entries)
    std::string friendly_name;
};

/// Returns true if `bytes` parse as a PKCS#12 PFX structure (no password needed to tell).
bool looks_like_pkcs12(std::string_view bytes);

/// Opens a PKCS#12 file (modern PBES2/AES or legacy 3DES/RC2). Throws Error(invalid_input) naming
/// `source`: not PKCS#12, truncated, or a wrong password (the MAC does not verify).
Pkcs12Contents read_pkcs12(std::string_view bytes, std::string_view source, const core::Secret& password);

}  // namespace certfleet::formats
