#pragma once

#include "core/secret.hpp"
#include "external_ca/custom_chain.hpp"
#include "formats/pem_set.hpp"
#include "formats/target_file.hpp"
#include "store/store.hpp"

#include <optional>
#include <string>
#include <vector>

namespace certfleet::external_ca {

/// Where and how to upload a custom chain (seed 004).
struct CustomChainUpload {
    std::string name;                  ///< the keystore name (CloudStack's `name`, at most 64 characters)
    CustomChainExpectations expected;  ///< domain_suffix is required: the chain is stored under it
    std::string out_dir;               ///< Apache cert/key/chain files (formats' chain-files); "" writes none
    formats::ChainOrder order = formats::ChainOrder::leaf_first;  ///< of chain.crt
    std::string truststore;  ///< JKS with the root; an existing keystore keeps its other entries; ""
    const core::Secret* truststore_password = nullptr;
    std::string truststore_alias = "root";
    std::string backup_dir;  ///< where replaced files are kept ("" beside them)
    int key_iterations = 0;  ///< PBKDF2 rounds for the key at rest; 0 for the CA-key default
};

/// What an upload did.
struct CustomChainUploadOutcome {
    CustomChainVerdict verdict;                        ///< not clean: nothing recorded or written
    std::optional<store::CustomChainRecord> record;    ///< the chain as stored (id, seq)
    std::optional<store::CustomChainRecord> replaced;  ///< the one it replaced (redo by same name)
    std::vector<formats::WrittenTarget> written;
};

/// Judges `chain` (judge_custom_chain); if clean, makes every file in memory (a bad truststore password
/// stops here), records the chain with its key sealed under `passphrase` (authority/ca_key_file) as the
/// current one for name + domain suffix, then writes the files atomically with backups.
/// Throws Error(invalid_input) for a missing key, name or domain suffix, a name over 64 characters, or a
/// truststore without a password; what the store and write_targets throw.
CustomChainUploadOutcome upload_custom_chain(store::Store& store,
                                             const CustomChain& chain,
                                             const core::Secret& passphrase,
                                             const CustomChainUpload& upload,
                                             const store::Actor& actor);

/// Returns the chain a record holds (key left out: it stays sealed).
/// Throws Error(invalid_input) if the stored PEM is damaged.
CustomChain chain_of(const store::CustomChainRecord& record);

}  // namespace certfleet::external_ca
