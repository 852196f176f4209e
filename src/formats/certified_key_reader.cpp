#include "formats/certified_key_reader.hpp"

#include "formats/artifact_reader.hpp"
#include "formats/jks_keystore.hpp"

#include <fmt/format.h>

namespace certfleet::formats {

using core::Error;
using core::ErrorCode;

CertifiedKey read_certified_key(std::string_view bytes,
                                std::string_view source,
                                const CertifiedKeyReadOptions& options) {
    if (looks_like_jks(bytes)) {
        if (options.password == nullptr) {
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}: is a JKS keystore; give its password (--password-file)", source));
        }
        const JksKeystore store =
            JksKeystore::read(bytes, source, *options.password, {.key_password = options.key_password});
        const JksPrivateKeyEntry* chosen = nullptr;
        for (const JksEntry& entry : store.entries()) {
            const auto* key = std::get_if<JksPrivateKeyEntry>(&entry);
            if (key == nullptr ||
                (!options.alias.empty() && key->alias != normalize_jks_alias(options.alias))) {
                continue;
            }
            if (chosen != nullptr) {
                throw Error(ErrorCode::invalid_input,
                            fmt::format("{}: holds several keys; choose one with --alias", source));
            }
            chosen = key;
        }
        if (chosen == nullptr) {
            throw Error(
                ErrorCode::not_found,
                options.alias.empty()
                    ? fmt::format("{}: holds no private key entry", source)
                    : fmt::format("{}: no private key entry with alias \"{}\"", source, options.alias));
        }
        if (!chosen->key) {
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}: entry \"{}\": the private key is protected by its own key password; "
                                    "give it (key password file){}",
                                    source,
                                    chosen->alias,
                                    options.key_password != nullptr ? ": the one given is wrong" : ""));
        }
        CertifiedKey out{chosen->chain.front().clone(), chosen->key->clone(), {}};
        for (std::size_t i = 1; i < chosen->chain.size(); ++i) {
            out.chain.push_back(chosen->chain[i].clone());
        }
        return out;
    }
    Artifact artifact = read_artifact(bytes,
                                      source,
                                      {.password = options.password,
                                       .passphrase = options.passphrase,
                                       .key_password = options.key_password});
    return assemble_certified_key(std::move(artifact.objects), source);
}

}  // namespace certfleet::formats
