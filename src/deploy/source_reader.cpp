#include "deploy/source_reader.hpp"

#include "core/error.hpp"
#include "core/file.hpp"
#include "core/secret.hpp"
#include "formats/artifact_reader.hpp"
#include "formats/certified_key_reader.hpp"
#include "pki/chain_order.hpp"

#include <fmt/format.h>

#include <optional>

namespace certfleet::deploy {

namespace {

std::optional<core::Secret> secret_if_given(const std::string& path) {
    return path.empty() ? std::optional<core::Secret>() : core::read_secret_file(path);
}

// What loose files (cert, key, chain) hold, gathered as they are read.
struct LooseParts {
    std::optional<pki::Certificate> leaf;
    std::vector<pki::Certificate> chain;
    std::optional<pki::PrivateKey> key;
    bool from_pkcs7 = false;

    // The first certificate of the cert file is the leaf; every other certificate is the chain's.
    void take(formats::Artifact& artifact, bool cert_file) {
        for (pki::SourcedObject& item : artifact.objects) {
            if (auto* c = std::get_if<pki::Certificate>(&item.object)) {
                from_pkcs7 = from_pkcs7 || item.location.find("PKCS") != std::string::npos;
                if (!leaf && cert_file) {
                    leaf = std::move(*c);
                } else {
                    chain.push_back(std::move(*c));
                }
            } else if (auto* k = std::get_if<pki::PrivateKey>(&item.object)) {
                if (key) {
                    throw core::Error(core::ErrorCode::invalid_input,
                                      fmt::format("{}: a second private key", item.location));
                }
                key = std::move(*k);
            }
        }
    }
};

// `from:`, one artifact (PKCS#12, JKS, an HAProxy bundle, a PEM set) holding the key and certificates.
formats::CertifiedKey read_packaged(const SourceSpec& source, const core::Secret* passphrase) {
    const std::optional<core::Secret> password = secret_if_given(source.password_file);
    const std::optional<core::Secret> key_password = secret_if_given(source.key_password_file);
    formats::CertifiedKey bundle =
        formats::read_certified_key(core::read_file(source.from),
                                    source.from,
                                    {.password = password ? &*password : nullptr,
                                     .passphrase = passphrase,
                                     .alias = source.alias,
                                     .key_password = key_password ? &*key_password : nullptr});
    formats::require_consistent(bundle, source.from);
    return bundle;
}

}  // namespace

formats::CertifiedKey read_source(const SourceSpec& source) {
    const std::optional<core::Secret> passphrase = secret_if_given(source.passphrase_file);
    const core::Secret* passphrase_ptr = passphrase ? &*passphrase : nullptr;
    if (!source.from.empty()) {
        return read_packaged(source, passphrase_ptr);
    }
    LooseParts parts;
    for (const std::string* path : {&source.cert, &source.key, &source.chain}) {
        if (!path->empty()) {
            formats::Artifact artifact =
                formats::read_artifact(core::read_file(*path), *path, {.passphrase = passphrase_ptr});
            parts.take(artifact, path == &source.cert);
        }
    }
    if (!parts.leaf) {
        throw core::Error(core::ErrorCode::invalid_input, fmt::format("{}: no certificate", source.cert));
    }
    std::string named = source.cert;
    for (const std::string* extra : {&source.key, &source.chain}) {
        named += extra->empty() ? "" : " + " + *extra;
    }
    if (parts.from_pkcs7) {
        // PKCS#7 holds its certificates as a SET OF (DER sorts them), so their order means nothing:
        // put them in chain order here, where PEM chains are checked as written.
        parts.chain.insert(parts.chain.begin(), std::move(*parts.leaf));
        parts.chain = pki::order_chain(std::move(parts.chain), named);
        parts.leaf = std::move(parts.chain.front());
        parts.chain.erase(parts.chain.begin());
    }
    formats::CertifiedKey bundle{std::move(*parts.leaf), std::move(parts.key), std::move(parts.chain)};
    formats::require_consistent(bundle, named);
    return bundle;
}

}  // namespace certfleet::deploy
