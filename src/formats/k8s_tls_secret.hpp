#pragma once

#include "formats/certified_key.hpp"

#include <string>

namespace certfleet::formats {

struct K8sTlsSecretOptions {
    std::string name;
    std::string name_space = "default";
    bool include_ca = false;  ///< add ca.crt (the root), as cert-manager does
};

/// Returns a `kubernetes.io/tls` Secret manifest (YAML): tls.crt = leaf + intermediates, tls.key, and
/// optionally ca.crt. Throws Error(invalid_input) if there is no key, no root for ca.crt, or the name or
/// namespace is not a DNS-1123 name.
std::string make_k8s_tls_secret(const CertifiedKey& bundle, const K8sTlsSecretOptions& options);

}  // namespace certfleet::formats
