#pragma once

#include "core/clock.hpp"
#include "core/secret.hpp"
#include "external_ca/signed_import.hpp"
#include "formats/bundle_targets.hpp"
#include "formats/target_file.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace certfleet::external_ca {

/// Where a passing host's files go: a bundle format and a path in which "{name}" is the hostname.
struct TargetSpec {
    formats::BundleFormat format = formats::BundleFormat::pem;
    std::string path_template;
};

/// Parses "FORMAT:PATH" ("jks:/opt/cloudera/security/jks/{name}.jks", "haproxy:/opt/haproxy/{name}.pem").
/// Throws Error(invalid_input) naming the flag for an unknown format or an empty path.
TargetSpec parse_target_spec(std::string_view text);

struct DeploymentSettings {
    const core::Secret* password = nullptr;  ///< keystores (jks, pkcs12, truststore)
    core::TimePoint created;                 ///< JKS entry dates
};

/// Returns the files of every target for every host that passed, made in memory: nothing is written,
/// so one bad target (a missing password, say) stops the import before any host is deployed.
/// The JKS alias is the hostname, as seed 000 imports it.
std::vector<formats::TargetFile> make_deployment(const std::vector<RequestedHost>& hosts,
                                                 const std::vector<pki::SourcedObject>& signed_objects,
                                                 const ImportVerdict& verdict,
                                                 const std::vector<TargetSpec>& targets,
                                                 const DeploymentSettings& settings);

}  // namespace certfleet::external_ca
