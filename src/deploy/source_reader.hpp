#pragma once

#include "deploy/deployment_spec.hpp"
#include "formats/certified_key.hpp"

namespace certfleet::deploy {

/// Reads the certified key a spec names: `from` (any artifact: PKCS#12, JKS with its password and key
/// password, HAProxy bundle, PEM), or `cert` (its first certificate is the leaf, the rest and `chain`
/// its issuers in the order written) with `key`. Checks that the key matches and the chain is in order.
/// Throws Error(invalid_input) naming the file (or Error(not_found) for a missing one).
formats::CertifiedKey read_source(const SourceSpec& source);

}  // namespace certfleet::deploy
