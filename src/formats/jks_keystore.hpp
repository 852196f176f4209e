#pragma once

#include "core/clock.hpp"
#include "core/secret.hpp"
#include "pki/certificate.hpp"
#include "pki/private_key.hpp"

#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace certfleet::formats {

/// A key with its certificate chain (leaf first), as `keytool -list` shows "PrivateKeyEntry".
struct JksPrivateKeyEntry {
    std::string alias;
    core::TimePoint created;
    pki::PrivateKey key;
    std::vector<pki::Certificate> chain;
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
    static JksKeystore read(std::string_view bytes, std::string_view source, const core::Secret& password);

    /// Returns the keystore file. Each private key gets a fresh random salt.
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
