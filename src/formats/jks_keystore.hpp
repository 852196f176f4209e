#pragma once

#include "core/clock.hpp"
#include "core/secret.hpp"
#include "pki/certificate.hpp"
#include "pki/private_key.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace certfleet::formats {

/// A key with its certificate chain (leaf first), as `keytool -list` shows "PrivateKeyEntry".
/// `keytool -keypass` can protect a key with its own password: such a key is kept sealed (and written
/// back as it was) when that password is not given; its certificates are readable either way.
struct JksPrivateKeyEntry {
    std::string alias;
    core::TimePoint created;
    std::optional<pki::PrivateKey> key;  ///< std::nullopt while sealed under a password not given
    std::vector<pki::Certificate> chain;
    pki::Bytes sealed_key;  ///< the key as stored; written as is when not empty
};

/// Seals `entry`'s key under `key_password` (instead of the store password), as `keytool -keypass`.
void seal_jks_key(JksPrivateKeyEntry& entry, const core::Secret& key_password);

/// How a keystore is opened.
struct JksReadOptions {
    const core::Secret* key_password = nullptr;  ///< keys' own password; default: the store password
};

/// A certificate trusted as an anchor ("trustedCertEntry").
struct JksTrustedCertificateEntry {
    std::string alias;
    core::TimePoint created;
    pki::Certificate certificate;
};

using JksEntry = std::variant<JksPrivateKeyEntry, JksTrustedCertificateEntry>;

/// What adding an entry does when its alias is taken.
enum class AliasClash { refuse, replace };

/// Returns the alias as JKS stores it: keytool lower-cases JKS aliases (ASCII letters here).
std::string normalize_jks_alias(std::string_view alias);

/// Returns true if `bytes` start with the JKS magic number 0xFEEDFEED.
bool looks_like_jks(std::string_view bytes);

/// A Java KeyStore (the "JKS" type of Sun's provider), read and written by certfleet itself:
/// magic 0xFEEDFEED, version 2, entries (1: protected private key + chain, 2: trusted certificate),
/// then the integrity digest (jks_integrity_digest.hpp). Keys are protected with the store password,
/// as keytool does (jks_key_protector.hpp).
class JksKeystore {
public:
    /// Opens a JKS file. Throws Error(invalid_input) naming `source`: not JKS (JCEKS and PKCS#12 are
    /// named as such), truncated or corrupt (at which byte and entry), or a wrong password (the
    /// integrity digest does not match; checked before any key is decrypted).
    /// A key that opens with neither `options.key_password` nor the store password stays sealed.
    static JksKeystore read(std::string_view bytes,
                            std::string_view source,
                            const core::Secret& password,
                            const JksReadOptions& options = {});

    /// Returns the keystore file. Each private key not already sealed gets a fresh random salt.
    [[nodiscard]] std::string to_bytes(const core::Secret& password) const;

    /// Adds `entry` under its normalized alias. Throws Error(conflict) if the alias exists and `clash`
    /// is refuse; Error(invalid_input) for an empty alias or a key entry without a certificate.
    void add(JksEntry entry, AliasClash clash);

    [[nodiscard]] const std::vector<JksEntry>& entries() const noexcept { return m_entries; }
    /// Returns the entry under `alias` (compared as normalized), or nullptr.
    [[nodiscard]] const JksEntry* find(std::string_view alias) const;

private:
    std::vector<JksEntry> m_entries;
};

/// Returns the alias of an entry.
const std::string& alias_of(const JksEntry& entry);

}  // namespace certfleet::formats
