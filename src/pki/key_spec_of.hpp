#pragma once

#include "pki/private_key.hpp"
#include "pki/public_key.hpp"

#include <optional>

namespace certfleet::pki {

/// Returns the KeySpec that generates a key like `key` (what a renewal with a new key makes by default),
/// or nullopt for a type certfleet does not generate (RSA-PSS, DSA, P-521...).
std::optional<KeySpec> key_spec_of(const KeyDescription& key);

}  // namespace certfleet::pki
