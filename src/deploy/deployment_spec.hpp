#pragma once
// deploy/ owns one host's deployment: the spec an operator writes, the plan made from it (every
// target's new bytes, owner, group and mode, validated before anything is touched), all-or-nothing
// writes with a journal and backups outside service directories, hooks, health checks, rollback and
// crash recovery. It links formats/, pki/ and core/ only: no store, authority or server code, so the
// agent and a node's own `certfleet deploy` carry none.

#include "core/duration.hpp"

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace certfleet::deploy {

/// What a keystore target does with a keystore already at its path.
enum class KeystoreUpdate {
    merge,    ///< replace one alias, keep every other entry and the existing store password
    replace,  ///< write a new keystore holding only this entry
};

/// Where the certified key comes from: loose files, or one artifact (PKCS#12, JKS, HAProxy bundle...).
struct SourceSpec {
    std::string cert;               ///< the leaf (its file may hold the chain after it)
    std::string key;                ///< its private key
    std::string chain;              ///< its issuers, leaf first
    std::string from;               ///< or: any artifact holding all three
    std::string password_file;      ///< the password of `from` when it is a keystore
    std::string key_password_file;  ///< a JKS key entry's own password, when it differs
    std::string passphrase_file;    ///< an encrypted private key's passphrase
    std::string alias;              ///< which key entry of a keystore `from`
};

/// One deployable artifact on this host.
struct TargetSpec {
    std::string format;  ///< any `bundle` format, or "files"
    std::string path;    ///< file (or directory for pem, chain-files, puppet-ssl-dir); {name}, {host}
    std::map<std::string, std::string> files;  ///< "files": piece (cert, key, ...) -> path template
    std::string owner;                         ///< user name or uid; "" keeps the existing owner
    std::string group;                         ///< group name or gid; "" keeps the existing group
    std::optional<mode_t> mode;                ///< unset keeps the existing mode (new: 0600 key, 0644)
    std::string password_file;                 ///< keystore password
    std::string key_password_file;             ///< JKS: the key entry's own password
    std::string alias;                         ///< keystore alias; {name}, {host}
    KeystoreUpdate keystore = KeystoreUpdate::merge;
    std::string order = "leaf-first";     ///< pem chain order
    bool legacy = false;                  ///< pkcs12 3DES/SHA-1
    std::string truststore_type = "jks";  ///< truststore: jks or pkcs12
    std::string secret_name;              ///< k8s-secret name, puppet-ssl-dir certname; {name}, {host}
    std::string secret_namespace = "default";
    bool with_ca = false;  ///< k8s-secret ca.crt
};

/// A command run after files changed (and again after they were restored).
struct HookSpec {
    std::vector<std::string> argv;
    core::Seconds timeout{60};
    std::map<std::string, std::string> environment;
};

/// What must hold once the hooks ran.
struct HealthCheckSpec {
    std::string tls;                ///< HOST:PORT that must serve the new leaf, or ""
    std::string sni;                ///< server name sent; "" = the host of `tls`
    std::string match = "serial";   ///< serial or sha256
    std::vector<std::string> argv;  ///< or: a command that must exit 0
    core::Seconds timeout{10};
    unsigned retries = 3;
    core::Seconds interval{1};
};

/// How many backups are kept.
struct RetentionSpec {
    std::size_t keep = 10;                             ///< newest deployments whose backups are kept
    core::Seconds max_age{core::Seconds{90 * 86400}};  ///< older backups are removed (beyond `keep`)
};

/// A deployment as an operator writes it (docs/deploy.md).
struct DeploymentSpec {
    std::string name;  ///< {name} in templates; default: the leaf's commonName
    SourceSpec source;
    std::vector<TargetSpec> targets;
    std::vector<HookSpec> on_change;
    std::vector<HealthCheckSpec> health_checks;
    std::string backup_directory;  ///< "" = STATE_DIR/backups
    RetentionSpec retention;
};

/// Parses a deployment spec (YAML). Relative paths are taken from `base_directory` (the spec's own).
/// Throws Error(invalid_input) naming `source` and the field: not YAML, unknown field, missing path,
/// unknown format, bad mode, duration or health check.
DeploymentSpec parse_deployment_spec(std::string_view yaml,
                                     std::string_view source,
                                     const std::string& base_directory);

/// Reads the deployment spec file at `path`; relative paths in it are taken from its own directory.
/// Throws Error(not_found/invalid_input) naming the file.
DeploymentSpec read_deployment_spec(const std::string& path);

/// Returns the target formats a spec accepts: every `bundle` format and "files".
bool is_target_format(std::string_view format);

/// Parses an octal mode ("0640"). Throws Error(invalid_input) naming `field`.
mode_t parse_mode(std::string_view text, std::string_view field);

}  // namespace certfleet::deploy
