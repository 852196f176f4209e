#include "external_ca/import_deployment.hpp"

#include "core/error.hpp"
#include "core/file.hpp"
#include "formats/certified_key.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <optional>

namespace certfleet::external_ca {

TargetSpec parse_target_spec(std::string_view text) {
    const auto colon = text.find(':');
    if (colon == std::string_view::npos || colon + 1 == text.size()) {
        throw core::Error(
            core::ErrorCode::invalid_input,
            fmt::format("--target: \"{}\" is not FORMAT:PATH (e.g. jks:/opt/app/{{name}}.jks)", text));
    }
    return {formats::parse_bundle_format(text.substr(0, colon)), std::string(text.substr(colon + 1))};
}

namespace {

// The signed certificate the verdict matched to a host.
const pki::Certificate& matched_certificate(const std::vector<pki::SourcedObject>& signed_objects,
                                            const HostVerdict& verdict,
                                            const std::string& host) {
    for (const auto& item : signed_objects) {
        if (item.location == verdict.certificate_location) {
            if (const auto* cert = std::get_if<pki::Certificate>(&item.object)) {
                return *cert;
            }
        }
    }
    throw core::Error(core::ErrorCode::internal, fmt::format("{}: lost its certificate", host));
}

// One host's files for one target: "{name}" in the path is the host's name. A JKS already there is
// merged into (issue 13): its other entries stay, and its store password must be the one given (a wrong
// one stops the import before anything is written).
std::vector<formats::TargetFile> host_target_files(const formats::CertifiedKey& bundle,
                                                   const std::string& host,
                                                   const TargetSpec& target,
                                                   const DeploymentSettings& settings) {
    std::string path = target.path_template;
    for (auto at = path.find("{name}"); at != std::string::npos; at = path.find("{name}")) {
        path.replace(at, 6, host);
    }
    std::optional<std::string> existing;
    std::error_code ec;
    if (target.format == formats::BundleFormat::jks && std::filesystem::exists(path, ec)) {
        existing = core::read_file(path);
    }
    return formats::make_bundle_targets(bundle,
                                        {.format = target.format,
                                         .out = path,
                                         .password = settings.password,
                                         .alias = host,
                                         .created = settings.created,
                                         .secret_name = host,
                                         .existing_keystore = existing ? &*existing : nullptr,
                                         .existing_source = path,
                                         .alias_clash = formats::AliasClash::replace});
}

}  // namespace

std::vector<formats::TargetFile> make_deployment(const std::vector<RequestedHost>& hosts,
                                                 const std::vector<pki::SourcedObject>& signed_objects,
                                                 const ImportVerdict& verdict,
                                                 const std::vector<TargetSpec>& targets,
                                                 const DeploymentSettings& settings) {
    std::vector<formats::TargetFile> files;
    for (std::size_t h = 0; h < hosts.size(); ++h) {
        const HostVerdict& host_verdict = verdict.hosts.at(h);
        if (!host_verdict.passed()) {
            continue;  // nothing is written for a host that fails
        }
        const RequestedHost& host = hosts[h];
        formats::CertifiedKey bundle{
            matched_certificate(signed_objects, host_verdict, host.name).clone(), host.key.clone(), {}};
        for (const auto& ca : verdict.ca_chain) {
            bundle.chain.push_back(ca.clone());
        }
        for (const TargetSpec& target : targets) {
            for (auto& file : host_target_files(bundle, host.name, target, settings)) {
                files.push_back(std::move(file));
            }
        }
    }
    return files;
}

}  // namespace certfleet::external_ca
