#include "pki/key_spec_of.hpp"

namespace certfleet::pki {

std::optional<KeySpec> key_spec_of(const KeyDescription& key) {
    if (key.algorithm == "RSA") {
        return KeySpec{.algorithm = KeySpec::Algorithm::rsa, .rsa_bits = key.bits};
    }
    if (key.algorithm == "EC" && (key.curve == "P-256" || key.curve == "P-384")) {
        return KeySpec{.algorithm = KeySpec::Algorithm::ec, .curve = key.curve};
    }
    if (key.algorithm == "Ed25519") {
        return KeySpec{.algorithm = KeySpec::Algorithm::ed25519};
    }
    return std::nullopt;
}

}  // namespace certfleet::pki
