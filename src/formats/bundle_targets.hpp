#pragma once

#include "core/clock.hpp"
#include "core/secret.hpp"
#include "formats/certified_key.hpp"
#include "formats/jks_keystore.hpp"
#include "formats/pem_set.hpp"
#include "formats/target_file.hpp"
#include "formats/truststore.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace certfleet::formats {

/// Every deployable artifact `certfleet bundle` writes.
enum class BundleFormat { pem, haproxy, pkcs12, jks, truststore, k8s_secret, chain_files, puppet_ssl_dir };

/// Parses "pem", "haproxy", "pkcs12", "jks", "truststore", "k8s-secret", "chain-files",
/// "puppet-ssl-dir". Throws Error(invalid_input) for anything else.
BundleFormat parse_bundle_format(std::string_view text);

/// What to make and how.
struct BundleTargetRequest {
    BundleFormat format = BundleFormat::pem;
    std::string out;                             ///< file, or directory for pem, chain-files, puppet-ssl-dir
    const core::Secret* password = nullptr;      ///< pkcs12, jks, truststore
    const core::Secret* key_password = nullptr;  ///< jks: the key entry's own password (keytool -keypass)
    std::string alias;                           ///< keystore alias; default: the certificate's CN
    core::TimePoint created;                     ///< JKS entry dates
    ChainOrder order = ChainOrder::leaf_first;
    bool legacy = false;  ///< PKCS#12 3DES/SHA-1
    TruststoreType truststore_type = TruststoreType::jks;
    std::string secret_name;  ///< k8s-secret name; puppet-ssl-dir certname
    std::string secret_namespace = "default";
    bool include_ca = false;                         ///< k8s-secret ca.crt
    const std::string* existing_keystore = nullptr;  ///< jks, truststore: add to this JKS keystore
    std::string existing_source;
    AliasClash alias_clash = AliasClash::refuse;
    std::string crl_pem;         ///< puppet-ssl-dir crl.pem
    bool service_group = false;  ///< puppet-ssl-dir: keys 0640 (group-readable), else 0400
};

/// Returns the files of the artifact, made in memory and nothing written. Throws Error(invalid_input)
/// for a missing password, key or name, Error(conflict) for an existing alias (jks with an existing
/// keystore, without replace), and what reading an existing keystore throws (wrong password...).
std::vector<TargetFile> make_bundle_targets(const CertifiedKey& bundle, const BundleTargetRequest& request);

}  // namespace certfleet::formats
