#pragma once

#include "formats/certified_key.hpp"
#include "formats/target_file.hpp"

#include <string>
#include <vector>

namespace certfleet::formats {

/// Returns, in `directory`, the files a custom-chain upload takes in order (seed 004: root first,
/// intermediates, then the server certificate and key): 01-root.crt, 02-intermediate.crt...,
/// NN-server.crt, NN-server.key; and the Apache trio server.crt, server.key, chain.crt (root first,
/// down to the last intermediate). Throws Error(invalid_input) without a key or a root.
std::vector<TargetFile> make_chain_files(const CertifiedKey& bundle, const std::string& directory);

}  // namespace certfleet::formats
