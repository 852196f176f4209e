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

/// Returns the PEM files a web server or agent reads, in `directory`: cert.pem (leaf), key.pem,
/// chain.pem (intermediates), fullchain.pem (leaf + intermediates) and, when the root is known, ca.pem.
/// Chain files follow `order`.
std::vector<TargetFile> make_pem_set(const CertifiedKey& bundle,
                                     const std::string& directory,
                                     ChainOrder order);

}  // namespace certfleet::formats
