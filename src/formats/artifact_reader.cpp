#include "formats/artifact_reader.hpp"

#include "formats/jks_keystore.hpp"
#include "formats/k8s_tls_secret.hpp"
#include "formats/pkcs12_keystore.hpp"
#include "pki/pem_reader.hpp"

#include <fmt/format.h>

namespace certfleet::formats {
namespace {

using core::Error;
using core::ErrorCode;

Artifact read_pkcs12_artifact(std::string_view bytes,
                              std::string_view source,
                              const ArtifactReadOptions& options) {
    if (options.password == nullptr) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: is a PKCS#12 keystore; give its password (--password-file)", source));
    }
    Pkcs12Contents contents = read_pkcs12(bytes, source, *options.password);
    Artifact out{.format = ArtifactFormat::pkcs12, .objects = {}};
    const std::string alias =
        contents.friendly_name.empty() ? "" : fmt::format(" \"{}\"", contents.friendly_name);
    if (contents.certificate) {
        out.objects.push_back(
            {std::move(*contents.certificate), fmt::format("{}: entry{} certificate", source, alias)});
    }
    std::size_t index = 1;
    for (pki::Certificate& cert : contents.chain) {
        out.objects.push_back({std::move(cert), fmt::format("{}: chain certificate {}", source, index++)});
    }
    if (contents.key) {
        out.objects.push_back(
            {std::move(*contents.key), fmt::format("{}: entry{} private key", source, alias)});
    }
    return out;
}

Artifact read_jks_artifact(std::string_view bytes,
                           std::string_view source,
                           const ArtifactReadOptions& options) {
    if (options.password == nullptr) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: is a JKS keystore; give its password (--password-file)", source));
    }
    JksKeystore store =
        JksKeystore::read(bytes, source, *options.password, {.key_password = options.key_password});
    Artifact out{.format = ArtifactFormat::jks, .objects = {}, .notes = {}};
    for (const JksEntry& entry : store.entries()) {
        if (const auto* key = std::get_if<JksPrivateKeyEntry>(&entry)) {
            for (std::size_t i = 0; i < key->chain.size(); ++i) {
                out.objects.push_back({key->chain[i].clone(),
                                       fmt::format("{}: entry \"{}\" certificate {} of {}",
                                                   source,
                                                   key->alias,
                                                   i + 1,
                                                   key->chain.size())});
            }
            if (key->key) {
                out.objects.push_back(
                    {key->key->clone(), fmt::format("{}: entry \"{}\" private key", source, key->alias)});
            } else {
                out.notes.push_back(
                    fmt::format("{}: entry \"{}\": private key protected by its own key password "
                                "(give it with --key-password-file)",
                                source,
                                key->alias));
            }
        } else {
            const auto& trusted = std::get<JksTrustedCertificateEntry>(entry);
            out.objects.push_back(
                {trusted.certificate.clone(),
                 fmt::format("{}: entry \"{}\" trusted certificate", source, trusted.alias)});
        }
    }
    return out;
}

}  // namespace

std::string_view to_string(ArtifactFormat format) {
    switch (format) {
        case ArtifactFormat::pem:
            return "pem";
        case ArtifactFormat::der:
            return "der";
        case ArtifactFormat::pkcs12:
            return "pkcs12";
        case ArtifactFormat::jks:
            return "jks";
        case ArtifactFormat::k8s_secret:
            return "k8s-secret";
    }
    return "pem";
}

Artifact read_artifact(std::string_view bytes, std::string_view source, const ArtifactReadOptions& options) {
    if (!pki::contains_pem(bytes) && looks_like_k8s_secret(bytes)) {
        return {ArtifactFormat::k8s_secret, read_k8s_secret(bytes, source)};
    }
    if (pki::contains_pem(bytes)) {
        return {ArtifactFormat::pem, pki::read_objects(bytes, source, {.passphrase = options.passphrase})};
    }
    if (looks_like_jks(bytes)) {
        return read_jks_artifact(bytes, source, options);
    }
    if (looks_like_pkcs12(bytes)) {
        return read_pkcs12_artifact(bytes, source, options);
    }
    return {ArtifactFormat::der, pki::read_objects(bytes, source, {.passphrase = options.passphrase})};
}

}  // namespace certfleet::formats
