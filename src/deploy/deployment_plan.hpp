#pragma once

#include "core/clock.hpp"
#include "deploy/deployment_spec.hpp"
#include "deploy/file_metadata.hpp"
#include "formats/certified_key.hpp"
#include "formats/target_file.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certfleet::deploy {

/// What a deployment does to one file.
enum class FileAction { create, replace, unchanged };

/// Returns "create", "replace" or "unchanged".
std::string_view to_string(FileAction action);

/// A certificate as a dry run shows it.
struct CertificateSummary {
    std::string subject;
    std::string serial;
    core::TimePoint not_after;
};

/// One file of the plan: its new bytes, what happens to it, and the owner, group and mode it ends with.
struct PlannedFile {
    formats::TargetFile file;  ///< its path made absolute
    std::string shown_path;    ///< the path as the spec or command gave it
    FileAction action = FileAction::create;
    FileOwnership ownership;
    std::optional<FileMetadata> existing;  ///< the file there now, if any
    std::optional<CertificateSummary> before;
    std::optional<CertificateSummary> after;
};

/// A health check with the leaf it must see.
struct PlannedHealthCheck {
    HealthCheckSpec spec;
    std::string expected_serial;  ///< lower-case hex
    std::string expected_sha256;  ///< as openssl prints it
};

/// Everything a deployment will do, decided and validated before anything is touched.
struct DeploymentPlan {
    std::vector<PlannedFile> files;
    std::vector<HookSpec> hooks;
    std::vector<PlannedHealthCheck> checks;
    /// Returns true if at least one file is created or replaced.
    [[nodiscard]] bool changes_anything() const;
};

/// One target of one certified key (a spec has one key; `external import` one per host).
struct PlanTarget {
    const formats::CertifiedKey* bundle = nullptr;
    TargetSpec target;
    std::map<std::string, std::string> variables;  ///< {name}, {host}...
    std::string where;                             ///< names the target in messages ("targets[1]")
};

struct PlanOptions {
    core::TimePoint now;  ///< JKS entry dates
};

/// Returns `text` with every {variable} replaced. Throws Error(invalid_input) naming `field` for an
/// unknown variable or an unclosed brace.
std::string expand_template(std::string_view text,
                            const std::map<std::string, std::string>& variables,
                            std::string_view field);

/// Builds and validates the plan: every file made in memory; existing keystores opened with their
/// password (merge keeps their other entries); owners and groups resolved; every directory present and
/// writable; the same path never written twice. Throws Error(invalid_input) naming the target and field
/// (nothing is touched), Error(conflict) for an alias taken where the spec refuses it.
DeploymentPlan build_plan(const std::vector<PlanTarget>& targets, const PlanOptions& options);

/// Owner, group and mode asked for; unset keeps an existing file's (new files: the caller's user and
/// group, 0600 for keys, 0644 for the rest).
struct OwnershipRequest {
    std::optional<uid_t> owner;
    std::optional<gid_t> group;
    std::optional<mode_t> mode;
};

/// Returns the plan that writes `files` as they are (what `bundle` and `external import` made),
/// validated like build_plan. Throws Error(invalid_input) naming the path.
DeploymentPlan plan_files(std::vector<formats::TargetFile> files, const OwnershipRequest& ownership);

/// Returns the plan of a spec: its targets for `bundle` ({name} = spec name or the leaf's commonName,
/// {host} = this host's name), its hooks, and its health checks expecting `bundle`'s leaf. A renewal
/// passes the spec's own source files holding the new certificate (renewed_source_files) as
/// `source_files`: they are written as they are, in the same deployment, so targets and source change
/// together or not at all.
DeploymentPlan plan_deployment(const DeploymentSpec& spec,
                               const formats::CertifiedKey& bundle,
                               const PlanOptions& options,
                               std::vector<formats::TargetFile> source_files = {});

/// Returns the uid of a user name or number. Throws Error(invalid_input) naming `field`.
uid_t resolve_user(const std::string& text, std::string_view field);
/// Returns the gid of a group name or number. Throws Error(invalid_input) naming `field`.
gid_t resolve_group(const std::string& text, std::string_view field);

}  // namespace certfleet::deploy
