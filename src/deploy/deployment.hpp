#pragma once

#include "core/clock.hpp"
#include "deploy/deployment_plan.hpp"
#include "deploy/state_directory.hpp"

#include <string>
#include <vector>

namespace certfleet::deploy {

/// How a deployment ended.
enum class DeploymentOutcome {
    unchanged,    ///< every target already held this content: nothing written, no hook run
    deployed,     ///< every changed target replaced, hooks ran, health checks passed
    rolled_back,  ///< a step failed: every target restored from its backup, hooks run again
};

/// Returns "unchanged", "deployed" or "rolled_back".
std::string_view to_string(DeploymentOutcome outcome);

/// One hook, health check or restore as it ran.
struct StepReport {
    std::string step;  ///< "hook", "health_check", "rollback_hook"
    std::string name;  ///< the command or check
    bool passed = false;
    std::string detail;
};

struct DeploymentReport {
    std::string id;  ///< "" when unchanged
    DeploymentOutcome outcome = DeploymentOutcome::unchanged;
    std::vector<StepReport> steps;
    std::string failed_step;  ///< "hook", "health_check", "rename"... when rolled back
    std::string failure;      ///< why
    std::string backup_directory;
};

struct DeploymentOptions {
    std::string backup_directory;  ///< "" = STATE/backups
    RetentionSpec retention;
    std::string origin;  ///< recorded in the journal ("deploy --spec node.yaml")
    core::TimePoint now;
};

/// Deploys `plan` on this host, all targets or none: locks every target path (failing with
/// Error(conflict) naming the holder if another deployment has one), writes each new file to a temp
/// file beside its target, writes and syncs the journal, backs up every replaced target under
/// BACKUP_DIR/ID/ with owner, group, mode, mtime and extended attributes, renames all into place and
/// syncs their directories, runs the hooks, then the health checks. If a rename, hook or check fails,
/// every target is restored from its backup (files it created are removed), the hooks run again, and
/// the report says which step failed and why. Throws Error(unavailable) if a temp file or backup
/// cannot be written (nothing replaced by then).
DeploymentReport run_deployment(const DeploymentPlan& plan,
                                StateDirectory& state,
                                const DeploymentOptions& options);

/// Builds the plan that puts back what deployment `journal` replaced (its backups, with their owner,
/// group, mode and attributes; files it created are left alone), with its hooks.
/// Throws Error(not_found) if a backup is gone.
DeploymentPlan plan_rollback(const Journal& journal);

/// Removes backups beyond `retention` (never those of an unfinished deployment). Returns what was removed.
std::vector<std::string> prune_backups(StateDirectory& state,
                                       const std::string& backup_directory,
                                       const RetentionSpec& retention,
                                       core::TimePoint now);

/// Runs the plan of `spec` (run_deployment with the spec's backup directory and retention) and, once
/// it has deployed, prunes the spec's old backups. `origin` is recorded in the journal.
DeploymentReport run_spec_deployment(const DeploymentPlan& plan,
                                     const DeploymentSpec& spec,
                                     StateDirectory& state,
                                     const std::string& origin,
                                     core::TimePoint now);

}  // namespace certfleet::deploy
