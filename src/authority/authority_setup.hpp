#pragma once

#include "core/duration.hpp"
#include "core/secret.hpp"
#include "pki/private_key.hpp"
#include "store/store.hpp"

#include <optional>
#include <string>

namespace certfleet::authority {

/// `ca init`: a new root, optionally with an intermediate that does the signing.
struct InitOptions {
    std::string name;
    std::string subject;               ///< the root's subject
    bool intermediate = false;         ///< also create an intermediate (it signs; the root only signs it)
    std::string intermediate_subject;  ///< default "CN=<root CN> Intermediate CA"
    pki::KeySpec key;
    core::Seconds validity{0};
    bool offline_root = false;  ///< with intermediate: do not keep the root key in the store
    std::string profiles_yaml;  ///< "" for the defaults
    std::string policy_yaml;    ///< "" allows every name
    int key_iterations = 0;     ///< PBKDF2 rounds; 0 for ca_key_pbkdf2_iterations
};

/// What `ca init` made, for the caller to show or hand over.
struct InitResult {
    std::string chain_pem;
    std::string offline_root_key_pem;  ///< the encrypted root key when offline_root ("" otherwise)
};

/// Creates and records a new authority, its keys sealed with `passphrase`.
/// Throws Error(conflict) if the name exists, Error(invalid_input) for a bad subject, YAML or empty
/// passphrase.
InitResult init_authority(store::Store& store,
                          const InitOptions& options,
                          const core::Secret& passphrase,
                          const store::Actor& actor);

/// `ca import`: an existing CA certificate and its key (e.g. one kept encrypted elsewhere, seed 002).
struct ImportOptions {
    std::string name;
    std::string certificate_pem;
    std::string key_pem;
    const core::Secret* key_passphrase = nullptr;  ///< for an encrypted key file
    std::string chain_pem;                         ///< the CA's issuers, if it is not a root
    std::string profiles_yaml;
    std::string policy_yaml;
    int key_iterations = 0;
    std::string certificate_source = "certificate";  ///< what errors call the certificate (its file)
    std::string key_source = "key";                  ///< what errors call the key (its file)
    std::string chain_source = "chain";              ///< what errors call the chain (its file)
};

/// Records an existing CA, its key re-sealed with `passphrase`.
/// Throws Error(invalid_input) naming the source if the certificate is not a CA (basicConstraints CA:TRUE
/// and keyCertSign) or has no subjectKeyIdentifier, the key does not match it or its passphrase is wrong,
/// or the chain does not certify it.
void import_authority(store::Store& store,
                      const ImportOptions& options,
                      const core::Secret& passphrase,
                      const store::Actor& actor);

}  // namespace certfleet::authority
