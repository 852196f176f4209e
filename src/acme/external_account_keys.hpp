#pragma once

#include "core/secret.hpp"

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace certfleet::acme {

/// The MAC keys of external account binding (RFC 8555 7.3.4) that the CA operator handed out, by key
/// identifier: `acme.eab_keys_file` in server.yaml. The keys are Secrets: no message names one.
class ExternalAccountKeys {
public:
    /// The shortest key accepted: 256 bits, the output size of HS256 (RFC 7518 3.2: "A key of the same
    /// size as the hash output ... or larger MUST be used").
    static constexpr std::size_t min_key_bytes = 32;
    /// The largest keys file read (about 50,000 keys).
    static constexpr std::size_t max_file_bytes = std::size_t{4} * 1024 * 1024;

    ExternalAccountKeys() = default;

    /// Parses the keys file's text: one "KID KEY" per line, separated by spaces or tabs, the key in
    /// base64url (padding allowed); blank lines and lines starting with '#' are skipped. `source` names
    /// the file in messages. Throws Error(invalid_input) naming `source` and the line number (never a key)
    /// for a line of another shape, a key that is not base64url or is shorter than 256 bits, or a kid
    /// given twice.
    static ExternalAccountKeys parse(const core::Secret& text, std::string_view source);

    /// Reads `path` (core::read_private_file: a regular file that only its owner may read) and parses it.
    /// Throws Error(invalid_input) naming the file as read_private_file and parse do.
    static ExternalAccountKeys read(const std::string& path);

    /// Returns the MAC key of `kid`, or nullptr when the CA never handed that kid out.
    [[nodiscard]] const core::Secret* find(std::string_view kid) const;
    /// Returns how many keys there are.
    [[nodiscard]] std::size_t size() const noexcept { return m_keys.size(); }

private:
    std::map<std::string, core::Secret, std::less<>> m_keys;
};

}  // namespace certfleet::acme
