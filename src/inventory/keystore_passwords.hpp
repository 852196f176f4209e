#pragma once

#include "core/secret.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certfleet::inventory {

/// Which password opens which keystore during a scan: rules tried in order (an exact path, or a glob
/// over the path, or over the file name when the glob has no '/'), then a default.
///
/// The YAML form (a list, or a map with a `passwords:` list):
///   - glob: "*.jks"
///     password_file: /etc/certfleet/jks.pass   # relative paths are relative to the YAML file
///   - path: /opt/app/node.p12
///     password: changeit
class KeystorePasswords {
public:
    struct Rule {
        std::string path;  ///< exact path, or
        std::string glob;  ///< fnmatch(3) pattern
        core::Secret password;
    };

    KeystorePasswords() = default;

    /// Reads the YAML file at `path`. Throws Error(invalid_input) naming the file and entry for a bad
    /// entry, or a password file that cannot be read; the message never holds a password.
    /// Error(not_found) if it does not exist; a directory or another non-regular file is invalid_input.
    static KeystorePasswords from_yaml_file(const std::string& path);
    /// Reads the YAML text `yaml` of the file `source` (relative password files are relative to its
    /// directory). Throws as from_yaml_file.
    static KeystorePasswords from_yaml(std::string_view yaml, const std::string& source);

    void add_rule(Rule rule) { m_rules.push_back(std::move(rule)); }
    void set_default(core::Secret password) { m_default = std::move(password); }

    /// Returns the password for the keystore at `path`, or nullptr if none applies.
    [[nodiscard]] const core::Secret* password_for(std::string_view path) const;

private:
    std::vector<Rule> m_rules;
    std::optional<core::Secret> m_default;
};

}  // namespace certfleet::inventory
