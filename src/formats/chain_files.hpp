#pragma once

#include "formats/certified_key.hpp"
#include "formats/pem_set.hpp"
#include "formats/target_file.hpp"

#include <string>
#include <vector>

namespace certfleet::formats {

/// Returns, in `directory`, the files a custom-chain upload takes in order (seed 004: root first,
/// intermediates, then the server certificate and key): 01-root.crt, 02-intermediate.crt...,
/// NN-server.crt, NN-server.key; and the Apache trio server.crt, server.key, chain.crt: the issuers in
/// the order a TLS server sends them (leaf_first: the leaf's issuer first, the root last; root_first
/// for CloudStack's own layout). Throws Error(invalid_input) without a key or a root.
std::vector<TargetFile> make_chain_files(const CertifiedKey& bundle,
                                         const std::string& directory,
                                         ChainOrder order = ChainOrder::leaf_first);

}  // namespace certfleet::formats
