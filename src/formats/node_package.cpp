#include "formats/node_package.hpp"

#include "core/error.hpp"
#include "formats/ustar_archive.hpp"
#include "pki/object_reader.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>

namespace certfleet::formats {
namespace {

using core::Error;
using core::ErrorCode;

constexpr std::array member_names{"cert.pem", "chain.pem", "key.pem", "manifest.json"};

const ArchiveMember& member(const std::vector<ArchiveMember>& members,
                            std::string_view name,
                            std::string_view source) {
    const auto found =
        std::find_if(members.begin(), members.end(), [&](const ArchiveMember& m) { return m.name == name; });
    if (found == members.end()) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: {}: missing (a node package holds cert.pem, chain.pem, key.pem and "
                                "manifest.json)",
                                source,
                                name));
    }
    return *found;
}

std::string manifest_text(const std::string& field, const nlohmann::json& manifest, std::string_view source) {
    if (!manifest.contains(field) || !manifest.at(field).is_string()) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: manifest.json: {}: missing or not a string", source, field));
    }
    return manifest.at(field).get<std::string>();
}

}  // namespace

std::string write_node_package(const NodePackage& package, core::TimePoint mtime) {
    const pki::Certificate certificate =
        pki::Certificate::from_pem(package.certificate_pem, "node package cert.pem");
    const nlohmann::json manifest{
        {"format", node_package_format},
        {"node", package.node},
        {"serial", certificate.serial_hex()},
        {"sha256_fingerprint", certificate.fingerprint(pki::DigestAlgorithm::sha256)}};
    return write_ustar_archive({{.name = "cert.pem", .content = package.certificate_pem, .mode = 0600},
                                {.name = "chain.pem", .content = package.chain_pem, .mode = 0600},
                                {.name = "key.pem", .content = package.key_pem, .mode = 0600},
                                {.name = "manifest.json", .content = manifest.dump(2) + "\n", .mode = 0600}},
                               {.mtime = mtime});
}

NodePackage read_node_package(std::string_view archive, std::string_view source) {
    const std::vector<ArchiveMember> members =
        read_ustar_archive(archive, source, {.max_members = 4, .max_member_size = std::size_t{256} * 1024});
    for (const ArchiveMember& m : members) {
        if (std::find(member_names.begin(), member_names.end(), m.name) == member_names.end()) {
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}: {}: not a member of a node package (cert.pem, chain.pem, key.pem, "
                                    "manifest.json)",
                                    source,
                                    m.name));
        }
    }
    const ArchiveMember& key = member(members, "key.pem", source);
    if (key.mode != 0600) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: key.pem: mode {:04o}: a private key must be 0600", source, key.mode));
    }
    NodePackage package{.certificate_pem = member(members, "cert.pem", source).content,
                        .chain_pem = member(members, "chain.pem", source).content,
                        .key_pem = key.content};
    nlohmann::json manifest;
    try {
        manifest = nlohmann::json::parse(member(members, "manifest.json", source).content);
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: manifest.json: not JSON: {}", source, e.what()));
    }
    if (!manifest.is_object() || manifest_text("format", manifest, source) != node_package_format) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: manifest.json: format: not \"{}\"", source, node_package_format));
    }
    package.node = manifest_text("node", manifest, source);
    package.serial = manifest_text("serial", manifest, source);
    package.sha256_fingerprint = manifest_text("sha256_fingerprint", manifest, source);
    const pki::Certificate certificate =
        pki::Certificate::from_pem(package.certificate_pem, fmt::format("{}: cert.pem", source));
    if (certificate.serial_hex() != package.serial) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: manifest.json: serial: {}, but cert.pem has serial {}",
                                source,
                                package.serial,
                                certificate.serial_hex()));
    }
    if (certificate.fingerprint(pki::DigestAlgorithm::sha256) != package.sha256_fingerprint) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: manifest.json: sha256_fingerprint: not cert.pem's", source));
    }
    return package;
}

CertifiedKey certified_key_of(const NodePackage& package, std::string_view source) {
    CertifiedKey bundle{
        .certificate =
            pki::Certificate::from_pem(package.certificate_pem, fmt::format("{}: cert.pem", source)),
        .key = pki::PrivateKey::from_pem(package.key_pem, fmt::format("{}: key.pem", source), nullptr),
        .chain = {}};
    if (package.chain_pem.find_first_not_of(" \t\r\n") != std::string::npos) {
        bundle.chain = pki::read_certificates(package.chain_pem, fmt::format("{}: chain.pem", source));
    }
    require_consistent(bundle, source);
    return bundle;
}

}  // namespace certfleet::formats
