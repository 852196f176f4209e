#pragma once

#include "formats/certified_key.hpp"
#include "formats/target_file.hpp"

#include <string>
#include <vector>

namespace certfleet::formats {

struct PuppetSslDirOptions {
    std::string certname;         ///< the node's name: certs/NAME.pem, private_keys/NAME.pem...
    std::string crl_pem;          ///< the CA's CRL for crl.pem; "" leaves it out
    bool group_readable = false;  ///< keys 0640 (for a service group) instead of 0400
};

/// Returns Puppet's ssl directory layout under `directory` (seed 003): certs/NAME.pem, certs/ca.pem (the
/// root), private_keys/NAME.pem (0400, or 0640), public_keys/NAME.pem, crl.pem; certificates 0644. The
/// subdirectories must exist (the CLI makes them). Throws Error(invalid_input) without a key, a root or
/// a certname, or with a certname that is not a plain file name.
std::vector<TargetFile> make_puppet_ssl_dir(const CertifiedKey& bundle,
                                            const std::string& directory,
                                            const PuppetSslDirOptions& options);

/// Returns the subdirectories make_puppet_ssl_dir writes into.
std::vector<std::string> puppet_ssl_subdirectories(const std::string& directory);

}  // namespace certfleet::formats
