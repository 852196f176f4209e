#include "formats/jks_keystore.hpp"

#include "core/error.hpp"
#include "core/utc_time.hpp"
#include "formats/java_data_stream.hpp"
#include "formats/jks_integrity_digest.hpp"
#include "formats/jks_key_protector.hpp"

#include <fmt/format.h>
#include <openssl/crypto.h>

#include <algorithm>
#include <chrono>

namespace certfleet::formats {
namespace {

using core::Error;
using core::ErrorCode;

constexpr std::uint32_t jks_magic = 0xFEEDFEED;
constexpr std::uint32_t jceks_magic = 0xCECECECE;
constexpr std::uint32_t tag_private_key = 1;
constexpr std::uint32_t tag_trusted_certificate = 2;
constexpr std::uint32_t tag_secret_key = 3;
constexpr std::size_t digest_size = 20;
constexpr std::string_view certificate_type = "X.509";

std::uint64_t to_millis(core::TimePoint at) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
    return static_cast<std::uint64_t>(std::max<std::int64_t>(ms, 0));
}

// Java writes entry dates as milliseconds since 1970; a date past year 9999 is damage, not a date.
core::TimePoint from_millis(std::uint64_t ms, std::string_view field) {
    const auto latest = static_cast<std::uint64_t>(core::latest_time().time_since_epoch().count());
    if (ms / 1000 > latest) {
        throw core::Error(core::ErrorCode::invalid_input,
                          fmt::format("{}: {} ms is past year 9999", field, ms));
    }
    return core::TimePoint(std::chrono::seconds(static_cast<std::int64_t>(ms / 1000)));
}

// A key entry as stored, before the password has been proven.
struct SealedKeyEntry {
    std::string alias;
    core::TimePoint created;
    pki::Bytes protected_key;
    std::vector<pki::Certificate> chain;
};
using SealedEntry = std::variant<SealedKeyEntry, JksTrustedCertificateEntry>;

pki::Certificate read_certificate(JavaDataReader& in,
                                  std::uint32_t version,
                                  std::string_view what,
                                  std::string_view source) {
    if (version == 2) {
        const std::string type = in.read_utf(what);
        if (type != certificate_type) {
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}: {} has certificate type \"{}\", not X.509", source, what, type));
        }
    }
    const std::size_t at = in.position();
    pki::Bytes der = in.read_sized_bytes(what, in.remaining());
    try {
        return pki::Certificate::from_der(std::move(der), fmt::format("{}: {}", source, what));
    } catch (const Error& e) {
        throw Error(ErrorCode::invalid_input, fmt::format("{} (at byte {})", e.what(), at));
    }
}

std::vector<SealedEntry> read_entries(JavaDataReader& in, std::string_view source) {
    const std::uint32_t magic = in.read_u32("the magic number");
    if (magic == jceks_magic) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: a JCEKS keystore; only JKS is supported", source));
    }
    if (magic != jks_magic) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: not a JKS keystore (no FEEDFEED magic)", source));
    }
    const std::uint32_t version = in.read_u32("the version");
    if (version != 1 && version != 2) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: unknown JKS version {}", source, version));
    }
    const std::uint32_t count = in.read_u32("the entry count");
    std::vector<SealedEntry> entries;
    for (std::uint32_t i = 0; i < count; ++i) {
        const std::string entry = fmt::format("entry {} of {}", i + 1, count);
        const std::uint32_t tag = in.read_u32(entry);
        const std::string alias = in.read_utf(entry + " alias");
        const core::TimePoint created = from_millis(in.read_u64(entry + " date"), entry + " date");
        const std::string named = fmt::format("entry \"{}\"", alias);
        if (tag == tag_private_key) {
            SealedKeyEntry key{alias, created, in.read_sized_bytes(named + " key", in.remaining()), {}};
            const std::uint32_t chain_length = in.read_u32(named + " chain length");
            for (std::uint32_t c = 0; c < chain_length; ++c) {
                key.chain.push_back(read_certificate(
                    in, version, fmt::format("{} certificate {} of {}", named, c + 1, chain_length), source));
            }
            entries.emplace_back(std::move(key));
        } else if (tag == tag_trusted_certificate) {
            entries.emplace_back(JksTrustedCertificateEntry{
                alias, created, read_certificate(in, version, named + " certificate", source)});
        } else if (tag == tag_secret_key) {
            throw Error(
                ErrorCode::invalid_input,
                fmt::format("{}: {} is a secret-key entry, which JKS cannot hold (JCEKS?)", source, named));
        } else {
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}: corrupt: {} has unknown tag {}", source, entry, tag));
        }
    }
    return entries;
}

void write_certificate(JavaDataWriter& out, const pki::Certificate& certificate) {
    out.write_utf(certificate_type);
    out.write_sized_bytes(certificate.der());
}

}  // namespace

std::string normalize_jks_alias(std::string_view alias) {
    std::string out(alias);
    std::transform(out.begin(), out.end(), out.begin(), [](char c) {
        return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    });
    return out;
}

bool looks_like_jks(std::string_view bytes) {
    return bytes.size() >= 4 && static_cast<unsigned char>(bytes[0]) == 0xFE &&
           static_cast<unsigned char>(bytes[1]) == 0xED && static_cast<unsigned char>(bytes[2]) == 0xFE &&
           static_cast<unsigned char>(bytes[3]) == 0xED;
}

const std::string& alias_of(const JksEntry& entry) {
    return std::visit([](const auto& e) -> const std::string& { return e.alias; }, entry);
}

void seal_jks_key(JksPrivateKeyEntry& entry, const core::Secret& key_password) {
    if (!entry.key) {
        throw Error(ErrorCode::invalid_input, fmt::format("entry \"{}\": no key to seal", entry.alias));
    }
    pki::Bytes plain = entry.key->to_pkcs8_der();
    entry.sealed_key = protect_jks_key(plain, key_password);
    OPENSSL_cleanse(plain.data(), plain.size());
}

JksKeystore JksKeystore::read(std::string_view bytes,
                              std::string_view source,
                              const core::Secret& password,
                              const JksReadOptions& options) {
    if (bytes.size() < 12 + digest_size) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: {} (only {} bytes)",
                                source,
                                looks_like_jks(bytes) ? "truncated JKS keystore" : "not a JKS keystore",
                                bytes.size()));
    }
    // Parse the structure first so that damage is told apart from a wrong password.
    JavaDataReader in(bytes, source);
    std::vector<SealedEntry> sealed = read_entries(in, source);
    if (in.remaining() != digest_size) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: corrupt: {} bytes after the last entry where the 20-byte digest belongs",
                                source,
                                in.remaining()));
    }
    const std::string_view contents = bytes.substr(0, in.position());
    const pki::Bytes expected = jks_integrity_digest(password, contents);
    if (CRYPTO_memcmp(expected.data(), bytes.data() + in.position(), digest_size) != 0) {
        throw Error(ErrorCode::unauthenticated,
                    fmt::format("{}: wrong keystore password, or the file was altered (the integrity "
                                "digest does not match)",
                                source));
    }
    JksKeystore store;
    for (SealedEntry& entry : sealed) {
        if (auto* key = std::get_if<SealedKeyEntry>(&entry)) {
            const std::string where = fmt::format("{}: entry \"{}\"", source, key->alias);
            const core::Secret& key_password =
                options.key_password != nullptr ? *options.key_password : password;
            pki::Bytes plain;
            try {
                plain = recover_jks_key(key->protected_key, key_password, where);
            } catch (const Error&) {
                // Protected by another password (keytool -keypass): the certificates are still shown,
                // and the key is kept sealed so that writing the keystore back keeps it as it was.
                store.m_entries.emplace_back(JksPrivateKeyEntry{key->alias,
                                                                key->created,
                                                                std::nullopt,
                                                                std::move(key->chain),
                                                                std::move(key->protected_key)});
                continue;
            }
            try {
                pki::PrivateKey recovered = pki::PrivateKey::from_der(plain, where, nullptr);
                OPENSSL_cleanse(plain.data(), plain.size());
                store.m_entries.emplace_back(JksPrivateKeyEntry{key->alias,
                                                                key->created,
                                                                std::move(recovered),
                                                                std::move(key->chain),
                                                                std::move(key->protected_key)});
            } catch (...) {
                OPENSSL_cleanse(plain.data(), plain.size());
                throw;
            }
        } else {
            store.m_entries.emplace_back(std::move(std::get<JksTrustedCertificateEntry>(entry)));
        }
    }
    return store;
}

std::string JksKeystore::to_bytes(const core::Secret& password) const {
    JavaDataWriter out;
    out.write_u32(jks_magic);
    out.write_u32(2);
    out.write_u32(static_cast<std::uint32_t>(m_entries.size()));
    for (const JksEntry& entry : m_entries) {
        if (const auto* key = std::get_if<JksPrivateKeyEntry>(&entry)) {
            out.write_u32(tag_private_key);
            out.write_utf(key->alias);
            out.write_u64(to_millis(key->created));
            if (!key->sealed_key.empty()) {
                out.write_sized_bytes(key->sealed_key);
            } else {
                if (!key->key) {
                    throw Error(ErrorCode::internal, fmt::format("entry \"{}\" has no key", key->alias));
                }
                pki::Bytes plain = key->key->to_pkcs8_der();
                const pki::Bytes sealed = protect_jks_key(plain, password);
                OPENSSL_cleanse(plain.data(), plain.size());
                out.write_sized_bytes(sealed);
            }
            out.write_u32(static_cast<std::uint32_t>(key->chain.size()));
            for (const pki::Certificate& certificate : key->chain) {
                write_certificate(out, certificate);
            }
        } else {
            const auto& trusted = std::get<JksTrustedCertificateEntry>(entry);
            out.write_u32(tag_trusted_certificate);
            out.write_utf(trusted.alias);
            out.write_u64(to_millis(trusted.created));
            write_certificate(out, trusted.certificate);
        }
    }
    const std::string contents = pki::to_string(out.bytes());
    const pki::Bytes digest = jks_integrity_digest(password, contents);
    return contents + pki::to_string(digest);
}

void JksKeystore::add(JksEntry entry, AliasClash clash) {
    std::string alias = normalize_jks_alias(alias_of(entry));
    if (alias.empty()) {
        throw Error(ErrorCode::invalid_input, "a keystore alias must not be empty");
    }
    if (const auto* key = std::get_if<JksPrivateKeyEntry>(&entry); key != nullptr && key->chain.empty()) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("key entry \"{}\" needs at least its own certificate", alias));
    }
    std::visit([&](auto& e) { e.alias = alias; }, entry);
    const auto existing = std::find_if(
        m_entries.begin(), m_entries.end(), [&](const JksEntry& e) { return alias_of(e) == alias; });
    if (existing == m_entries.end()) {
        m_entries.push_back(std::move(entry));
        return;
    }
    if (clash == AliasClash::refuse) {
        throw Error(
            ErrorCode::conflict,
            fmt::format("alias \"{}\" already exists in the keystore (use --replace to replace it)", alias));
    }
    *existing = std::move(entry);
}

const JksEntry* JksKeystore::find(std::string_view alias) const {
    const std::string wanted = normalize_jks_alias(alias);
    for (const JksEntry& entry : m_entries) {
        if (normalize_jks_alias(alias_of(entry)) == wanted) {
            return &entry;
        }
    }
    return nullptr;
}

}  // namespace certfleet::formats
