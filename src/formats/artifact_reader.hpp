#pragma once

#include "core/secret.hpp"
#include "pki/object_reader.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace certfleet::formats {

/// The container a file turned out to be.
enum class ArtifactFormat { pem, der, pkcs12, jks, k8s_secret };

/// Returns "pem", "der", "pkcs12", "jks" or "k8s-secret".
std::string_view to_string(ArtifactFormat format);

struct ArtifactReadOptions {
    const core::Secret* password = nullptr;      ///< PKCS#12 / JKS store password
    const core::Secret* passphrase = nullptr;    ///< encrypted PEM/DER private keys
    const core::Secret* key_password = nullptr;  ///< JKS key entries' own password (keytool -keypass)
};

struct Artifact {
    ArtifactFormat format = ArtifactFormat::pem;
    std::vector<pki::SourcedObject> objects;
    std::vector<std::string> notes;  ///< what could not be read and why (a key under its own password)
};

/// Recognises what `bytes` (read from `source`) is and returns every object in it: PEM or DER objects,
/// or the key and certificates of a PKCS#12 or JKS keystore (every entry, each located by its alias).
/// Throws Error(invalid_input) naming `source` (see pki::read_objects), or if a keystore needs a
/// password that was not given or is wrong.
Artifact read_artifact(std::string_view bytes, std::string_view source, const ArtifactReadOptions& options);

}  // namespace certfleet::formats
