#pragma once

#include "formats/certified_key.hpp"
#include "pki/object_reader.hpp"

#include <string>
#include <string_view>
#include <vector>

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

/// Returns true if `bytes` look like a Kubernetes Secret manifest (YAML with "kind: Secret").
bool looks_like_k8s_secret(std::string_view bytes);

/// Returns every object in the data of a Secret manifest (tls.crt, tls.key, ca.crt, and any other key
/// holding PEM), each located as "SOURCE: data.tls.crt block N". Throws Error(invalid_input) naming
/// `source`: not YAML, not a Secret, bad base64 in a data field, or a field that holds no PEM.
std::vector<pki::SourcedObject> read_k8s_secret(std::string_view bytes, std::string_view source);

}  // namespace certfleet::formats
