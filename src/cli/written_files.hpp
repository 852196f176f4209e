#pragma once

#include "cli/exit_code.hpp"
#include "core/clock.hpp"
#include "deploy/deployment.hpp"

#include <optional>
#include <string>
#include <vector>

namespace certfleet::cli {

/// Writes a plan's files through the deployment engine (interrupted deployments recovered first,
/// state in $CERTFLEET_STATE_DIR or its default, backups under `backup_dir` or STATE/backups).
deploy::DeploymentReport deploy_files(const deploy::DeploymentPlan& plan,
                                      const std::string& backup_dir,
                                      const std::string& origin,
                                      core::TimePoint now);

/// A file a deployment wrote, and where its previous content was kept (nullopt: it did not exist).
struct WrittenFile {
    std::string path;
    std::optional<std::string> backup;
};

/// The files of `plan` that `report`'s deployment wrote (those left unchanged are not listed).
std::vector<WrittenFile> written_files(const deploy::DeploymentPlan& plan,
                                       const deploy::DeploymentReport& report);

/// Prints "wrote PATH (previous kept as BACKUP)" per file written and "unchanged PATH" per file left;
/// returns 0, or 1 with the cause on stderr if the deployment was rolled back.
ExitCode print_written(const deploy::DeploymentPlan& plan, const deploy::DeploymentReport& report);

}  // namespace certfleet::cli
