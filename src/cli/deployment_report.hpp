#pragma once

#include "cli/exit_code.hpp"
#include "deploy/deployment_plan.hpp"
#include "deploy/deployment_spec.hpp"
#include "deploy/recovery.hpp"
#include "deploy/state_directory.hpp"
#include "formats/certified_key.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace certfleet::cli {

/// Returns each planned file as JSON: path, action, owner, group, mode, certificate before and after.
nlohmann::json files_json(const deploy::DeploymentPlan& plan);
/// Prints each planned file: action, path, owner:group mode, and old -> new certificate when it changes.
void print_files(const deploy::DeploymentPlan& plan);
/// Returns the deployments recovered before this one as JSON.
nlohmann::json recovered_json(const std::vector<deploy::RecoveryReport>& recovered);
void print_recovered(const std::vector<deploy::RecoveryReport>& recovered);

/// Prints the outcome of a deployment (with `json`: into *json_out instead when it is not null); returns 0
/// for deployed or unchanged, 1 for rolled back (the report names the step and why).
ExitCode report_deployment(const deploy::DeploymentPlan& plan,
                           const deploy::DeploymentReport& result,
                           const std::vector<deploy::RecoveryReport>& recovered,
                           bool json,
                           nlohmann::json* json_out = nullptr);

/// One deployment by a spec, as `deploy --spec` and `cert renew --deploy` run it.
struct SpecDeployment {
    const deploy::DeploymentSpec* spec = nullptr;
    const formats::CertifiedKey* bundle = nullptr;
    std::vector<formats::TargetFile> also_write;  ///< written in the same deployment (the spec's source)
    std::string origin;                           ///< recorded in the journal
    bool dry_run = false;
    bool json = false;
    nlohmann::json* json_out = nullptr;  ///< with json: the report goes here instead of stdout
};

/// Plans and runs `run` (or shows the plan with dry_run), then prunes old backups by the spec's
/// retention, and prints the report. Throws Error(invalid_input) as plan_deployment does, touching
/// nothing.
ExitCode deploy_by_spec(deploy::StateDirectory& state,
                        const std::vector<deploy::RecoveryReport>& recovered,
                        const SpecDeployment& run);

}  // namespace certfleet::cli
