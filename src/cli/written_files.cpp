#include "cli/written_files.hpp"

#include "deploy/recovery.hpp"

#include <iostream>

namespace certfleet::cli {

deploy::DeploymentReport deploy_files(const deploy::DeploymentPlan& plan,
                                      const std::string& backup_dir,
                                      const std::string& origin,
                                      core::TimePoint now) {
    deploy::StateDirectory state(deploy::default_state_directory());
    for (const deploy::RecoveryReport& r : deploy::recover_interrupted(state, origin)) {
        std::cerr << "certfleet: recovered deployment " << r.id << " (left while " << r.state
                  << "): " << r.action << '\n';
    }
    return deploy::run_deployment(
        plan, state, {.backup_directory = backup_dir, .origin = origin, .now = now});
}

std::vector<WrittenFile> written_files(const deploy::DeploymentPlan& plan,
                                       const deploy::DeploymentReport& report) {
    std::vector<WrittenFile> written;
    for (const deploy::PlannedFile& file : plan.files) {
        if (file.action != deploy::FileAction::unchanged) {
            written.push_back({file.shown_path,
                               file.action == deploy::FileAction::replace
                                   ? std::optional<std::string>(report.backup_directory + file.file.path)
                                   : std::nullopt});
        }
    }
    return written;
}

ExitCode print_written(const deploy::DeploymentPlan& plan, const deploy::DeploymentReport& report) {
    if (report.outcome == deploy::DeploymentOutcome::rolled_back) {
        std::cerr << "certfleet: nothing changed: " << report.failed_step << " failed: " << report.failure
                  << '\n';
        return ExitCode::findings;
    }
    for (const deploy::PlannedFile& file : plan.files) {
        if (file.action == deploy::FileAction::unchanged) {
            std::cout << "unchanged " << file.shown_path << '\n';
            continue;
        }
        std::cout << "wrote " << file.shown_path;
        if (file.action == deploy::FileAction::replace) {
            std::cout << " (previous kept as " << report.backup_directory << file.file.path << ")";
        }
        std::cout << '\n';
    }
    return ExitCode::ok;
}

}  // namespace certfleet::cli
