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

formats::CertifiedKey read_source(const SourceSpec& source) {
    const auto secret = [](const std::string& path) {
        return path.empty() ? std::optional<core::Secret>() : core::read_secret_file(path);
    };
    const std::optional<core::Secret> password = secret(source.password_file);
    const std::optional<core::Secret> key_password = secret(source.key_password_file);
    const std::optional<core::Secret> passphrase = secret(source.passphrase_file);
    const core::Secret* passphrase_ptr = passphrase ? &*passphrase : nullptr;
    if (!source.from.empty()) {
        formats::CertifiedKey bundle =
            formats::read_certified_key(core::read_file(source.from),
                                        source.from,
                                        {.password = password ? &*password : nullptr,
                                         .passphrase = passphrase_ptr,
                                         .alias = source.alias,
                                         .key_password = key_password ? &*key_password : nullptr});
        formats::require_consistent(bundle, source.from);
        return bundle;
    }
    std::optional<pki::Certificate> leaf;
    std::vector<pki::Certificate> chain;
    std::optional<pki::PrivateKey> key;
    bool from_pkcs7 = false;
    for (const std::string* path : {&source.cert, &source.key, &source.chain}) {
        if (path->empty()) {
            continue;
        }
        formats::Artifact artifact =
            formats::read_artifact(core::read_file(*path), *path, {.passphrase = passphrase_ptr});
        for (pki::SourcedObject& item : artifact.objects) {
            if (auto* c = std::get_if<pki::Certificate>(&item.object)) {
                from_pkcs7 = from_pkcs7 || item.location.find("PKCS") != std::string::npos;
                if (!leaf && path == &source.cert) {
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
    if (!leaf) {
        throw core::Error(core::ErrorCode::invalid_input, fmt::format("{}: no certificate", source.cert));
    }
    std::string named = source.cert;
    for (const std::string* extra : {&source.key, &source.chain}) {
        named += extra->empty() ? "" : " + " + *extra;
    }
    if (from_pkcs7) {
        // PKCS#7 holds its certificates as a SET OF (DER sorts them), so their order means nothing:
        // put them in chain order here, where PEM chains are checked as written.
        chain.insert(chain.begin(), std::move(*leaf));
        chain = pki::order_chain(std::move(chain), named);
        leaf = std::move(chain.front());
        chain.erase(chain.begin());
    }
    formats::CertifiedKey bundle{std::move(*leaf), std::move(key), std::move(chain)};
    formats::require_consistent(bundle, named);
    return bundle;
}

}  // namespace certfleet::deploy
