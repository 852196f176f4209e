#include "cli/deployment_report.hpp"

#include "cli/json_output.hpp"
#include "deploy/deployment.hpp"
#include "pki/certificate.hpp"

#include <fmt/format.h>

#include <grp.h>
#include <iostream>
#include <pwd.h>

namespace certfleet::cli {
namespace {

std::string user_name(uid_t uid) {
    const passwd* pw = ::getpwuid(uid);  // NOLINT(concurrency-mt-unsafe): CLI thread
    return pw != nullptr ? pw->pw_name : std::to_string(uid);
}

std::string group_name(gid_t gid) {
    const group* gr = ::getgrgid(gid);  // NOLINT(concurrency-mt-unsafe): CLI thread
    return gr != nullptr ? gr->gr_name : std::to_string(gid);
}

nlohmann::json to_json(const std::optional<deploy::CertificateSummary>& summary) {
    if (!summary) {
        return nullptr;
    }
    return {{"subject", summary->subject},
            {"serial", summary->serial},
            {"not_after", pki::format_time(summary->not_after)}};
}

std::string to_text(const std::optional<deploy::CertificateSummary>& summary) {
    if (!summary) {
        return "(none)";
    }
    return fmt::format(
        "{} serial {} not after {}", summary->subject, summary->serial, pki::format_time(summary->not_after));
}

}  // namespace

nlohmann::json files_json(const deploy::DeploymentPlan& plan) {
    nlohmann::json files = nlohmann::json::array();
    for (const deploy::PlannedFile& f : plan.files) {
        files.push_back({{"path", f.file.path},
                         {"action", deploy::to_string(f.action)},
                         {"owner", user_name(f.ownership.owner)},
                         {"group", group_name(f.ownership.group)},
                         {"mode", fmt::format("{:04o}", f.ownership.mode)},
                         {"before", to_json(f.before)},
                         {"after", to_json(f.after)}});
    }
    return files;
}

void print_files(const deploy::DeploymentPlan& plan) {
    for (const deploy::PlannedFile& f : plan.files) {
        std::cout << fmt::format("  {:<9} {}  {}:{} {:04o}\n",
                                 deploy::to_string(f.action),
                                 f.file.path,
                                 user_name(f.ownership.owner),
                                 group_name(f.ownership.group),
                                 f.ownership.mode);
        if (f.action != deploy::FileAction::unchanged) {
            std::cout << "            old: " << to_text(f.before) << "\n            new: " << to_text(f.after)
                      << '\n';
        }
    }
}

nlohmann::json steps_json(const std::vector<deploy::StepReport>& steps) {
    nlohmann::json out = nlohmann::json::array();
    for (const deploy::StepReport& s : steps) {
        out.push_back({{"step", s.step}, {"name", s.name}, {"passed", s.passed}, {"detail", s.detail}});
    }
    return out;
}

nlohmann::json recovered_json(const std::vector<deploy::RecoveryReport>& recovered) {
    nlohmann::json out = nlohmann::json::array();
    for (const deploy::RecoveryReport& r : recovered) {
        out.push_back(
            {{"id", r.id}, {"state", r.state}, {"action", r.action}, {"hooks", steps_json(r.hooks)}});
    }
    return out;
}

void print_recovered(const std::vector<deploy::RecoveryReport>& recovered) {
    for (const deploy::RecoveryReport& r : recovered) {
        std::cout << fmt::format("recovered deployment {} (left while {}): {}\n", r.id, r.state, r.action);
        for (const deploy::StepReport& s : r.hooks) {
            std::cout << fmt::format("  {} {}: {}\n", s.step, s.name, s.detail);
        }
    }
}

// Prints the outcome; returns 0 for deployed or unchanged, 1 for rolled back (the report names why).
ExitCode report_deployment(const deploy::DeploymentPlan& plan,
                           const deploy::DeploymentReport& result,
                           const std::vector<deploy::RecoveryReport>& recovered,
                           bool json,
                           nlohmann::json* json_out) {
    if (json) {
        nlohmann::json out{{"id", result.id.empty() ? nlohmann::json(nullptr) : nlohmann::json(result.id)},
                           {"outcome", deploy::to_string(result.outcome)},
                           {"dry_run", false},
                           {"files", files_json(plan)},
                           {"steps", steps_json(result.steps)},
                           {"failed_step", result.failed_step},
                           {"failure", result.failure},
                           {"backup_directory", result.backup_directory},
                           {"recovered", recovered_json(recovered)}};
        if (json_out != nullptr) {
            *json_out = std::move(out);
        } else {
            std::cout << json_text(out) << '\n';
        }
    } else {
        print_recovered(recovered);
        if (result.outcome == deploy::DeploymentOutcome::unchanged) {
            std::cout << "unchanged: every target already holds this certificate; no hook run\n";
        } else {
            std::cout << fmt::format("deployment {}: {}\n", result.id, deploy::to_string(result.outcome));
        }
        print_files(plan);
        for (const deploy::StepReport& s : result.steps) {
            std::cout << fmt::format(
                "  {} {}: {} ({})\n", s.step, s.name, s.passed ? "ok" : "FAILED", s.detail);
        }
        if (result.outcome == deploy::DeploymentOutcome::rolled_back) {
            std::cout << fmt::format("rolled back: {} failed: {}\n", result.failed_step, result.failure);
            std::cout << "every target was restored from " << result.backup_directory << '\n';
        } else if (!result.backup_directory.empty()) {
            std::cout << "backups in " << result.backup_directory << '\n';
        }
    }
    return result.outcome == deploy::DeploymentOutcome::rolled_back ? ExitCode::findings : ExitCode::ok;
}

ExitCode deploy_by_spec(deploy::StateDirectory& state,
                        const std::vector<deploy::RecoveryReport>& recovered,
                        const SpecDeployment& run) {
    const deploy::DeploymentSpec& spec = *run.spec;
    const core::SystemClock clock;
    const deploy::DeploymentPlan plan =
        deploy::plan_deployment(spec, *run.bundle, {.now = clock.now()}, run.also_write);
    if (run.dry_run) {
        if (run.json) {
            nlohmann::json out{{"dry_run", true},
                               {"changes", plan.changes_anything()},
                               {"files", files_json(plan)},
                               {"recovered", recovered_json(recovered)}};
            if (run.json_out != nullptr) {
                *run.json_out = std::move(out);
            } else {
                std::cout << json_text(out) << '\n';
            }
        } else {
            print_recovered(recovered);
            std::cout << (plan.changes_anything() ? "dry run: would deploy\n" : "dry run: unchanged\n");
            print_files(plan);
        }
        return ExitCode::ok;
    }
    const deploy::DeploymentReport result =
        deploy::run_spec_deployment(plan, spec, state, run.origin, clock.now());
    return report_deployment(plan, result, recovered, run.json, run.json_out);
}

}  // namespace certfleet::cli
