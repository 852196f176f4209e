#pragma once

#include "core/secret.hpp"
#include "pki/certificate.hpp"
#include "pki/crl.hpp"
#include "pki/csr.hpp"
#include "pki/private_key.hpp"
#include "pki/public_key.hpp"

#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace certfleet::pki {

/// Anything a PEM or DER file can hold.
using PkiObject = std::variant<Certificate, Csr, PrivateKey, PublicKey, Crl>;

/// Returns "certificate", "csr", "private_key", "public_key" or "crl".
std::string_view kind_of(const PkiObject& object);

/// One object read from a source, with where it was.
struct SourcedObject {
    PkiObject object;
    std::string location;  ///< "node1.pem: block 2 (line 31)" or "node1.der"
};

struct ObjectReadOptions {
    const core::Secret* passphrase = nullptr;  ///< for encrypted private keys
};

/// Returns every object in `bytes`, PEM (any number of blocks, in any order, leniently) or DER
/// (certificate, CSR, CRL, PKCS#8 or traditional key, SPKI). Throws Error(invalid_input) naming
/// `source` and, for PEM, the block and line: bad base64, a block whose body is not what its label says,
/// an unknown block type, truncated DER, or nothing recognisable at all.
std::vector<SourcedObject> read_objects(std::string_view bytes,
                                        std::string_view source,
                                        const ObjectReadOptions& options = {});

/// Returns the certificates of `bytes` only (PEM or DER), in order. Throws as read_objects, and
/// Error(invalid_input) if there is none.
std::vector<Certificate> read_certificates(std::string_view bytes, std::string_view source);

/// Describes why `der` is not well-formed DER at the outermost level ("truncated: the header says
/// 1190 bytes but 600 follow"), or "" if the outer TLV is complete.
std::string describe_der_damage(const Bytes& der);

}  // namespace certfleet::pki
