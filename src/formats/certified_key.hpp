#pragma once

#include "pki/certificate.hpp"
#include "pki/object_reader.hpp"
#include "pki/private_key.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace certfleet::formats {

/// A certificate with its key and the chain of its issuers: what every deployable artifact is made of.
struct CertifiedKey {
    pki::Certificate certificate;
    std::optional<pki::PrivateKey> key;
    std::vector<pki::Certificate> chain;  ///< issuers, leaf first; ends with the root when it is known

    /// Returns the issuers that are not self-signed (what a server sends after its certificate).
    [[nodiscard]] std::vector<const pki::Certificate*> intermediates() const;
    /// Returns the self-signed root at the end of the chain, or nullptr.
    [[nodiscard]] const pki::Certificate* root() const;
    [[nodiscard]] CertifiedKey clone() const;
};

/// Throws Error(invalid_input) naming `source` if the key does not match the certificate, or the chain
/// is out of order or has a gap (pki::require_chain_order).
void require_consistent(const CertifiedKey& bundle, std::string_view source);

/// Makes a CertifiedKey from loose objects (one file or several): the leaf is the certificate that
/// matches the private key, or, without a key, the one that issued none of the others; the other
/// certificates are put in chain order. Throws Error(invalid_input) naming `source`: no certificate,
/// more than one key, a key that matches no certificate, or certificates that do not form one chain.
CertifiedKey assemble_certified_key(std::vector<pki::SourcedObject> objects, std::string_view source);

}  // namespace certfleet::formats
