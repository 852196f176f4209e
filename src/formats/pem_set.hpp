#pragma once

#include "formats/certified_key.hpp"
#include "formats/target_file.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace certfleet::formats {

/// The order certificates are written in a chain file.
enum class ChainOrder { leaf_first, root_first };

/// Parses "leaf-first" or "root-first". Throws Error(invalid_input) naming `field` and the choices.
ChainOrder parse_chain_order(std::string_view text, std::string_view field);

/// Returns the certificates as concatenated PEM blocks, in the order given.
std::string certificates_pem(const std::vector<const pki::Certificate*>& certificates);

/// Where each piece of a `files` target goes ("" = not written): layouts no fixed format names, such as
/// Cloudera's node.cert/node.key or PuppetDB's NAME.cert.pem, NAME.private_key.pem, NAME.public_key.pem.
struct NamedFilePaths {
    std::string cert;        ///< the leaf
    std::string key;         ///< its private key (PKCS#8)
    std::string public_key;  ///< its public key (SubjectPublicKeyInfo PEM)
    std::string chain;       ///< the intermediates
    std::string fullchain;   ///< leaf + intermediates
    std::string ca;          ///< the root
};

/// Returns the pieces asked for, chain files in `order`. Throws Error(invalid_input) naming the piece
/// when the key or the root is asked for and not known.
std::vector<TargetFile> make_named_files(const CertifiedKey& bundle,
                                         const NamedFilePaths& paths,
                                         ChainOrder order);

/// Returns the PEM files a web server or agent reads, in `directory`: cert.pem (leaf), key.pem,
/// chain.pem (intermediates; left out when there are none), fullchain.pem (leaf + intermediates) and,
/// when the root is known, ca.pem.
/// Chain files follow `order`.
std::vector<TargetFile> make_pem_set(const CertifiedKey& bundle,
                                     const std::string& directory,
                                     ChainOrder order);

}  // namespace certfleet::formats
