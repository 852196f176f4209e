#include "cli/command.hpp"
#include "core/file.hpp"
#include "deploy/deployment.hpp"
#include "deploy/deployment_spec.hpp"
#include "deploy/recovery.hpp"
#include "deploy/source_reader.hpp"
#include "pki/certificate.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <grp.h>
#include <iostream>
#include <memory>
#include <pwd.h>

namespace certfleet::cli {
namespace {

struct DeployOptions {
    std::string spec;
    std::string state_dir;
    std::string rollback_id;
    bool dry_run = false;
    bool json = false;
    bool recover = false;
};

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
ExitCode report(const deploy::DeploymentPlan& plan,
                const deploy::DeploymentReport& result,
                const std::vector<deploy::RecoveryReport>& recovered,
                bool json) {
    if (json) {
        std::cout << nlohmann::json{{"id",
                                     result.id.empty() ? nlohmann::json(nullptr) : nlohmann::json(result.id)},
                                    {"outcome", deploy::to_string(result.outcome)},
                                    {"dry_run", false},
                                    {"files", files_json(plan)},
                                    {"steps", steps_json(result.steps)},
                                    {"failed_step", result.failed_step},
                                    {"failure", result.failure},
                                    {"backup_directory", result.backup_directory},
                                    {"recovered", recovered_json(recovered)}}
                         .dump(2)
                  << '\n';
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

std::string state_dir_of(const DeployOptions& options) {
    return options.state_dir.empty() ? deploy::default_state_directory() : options.state_dir;
}

ExitCode run_deploy(const DeployOptions& options) {
    deploy::StateDirectory state(state_dir_of(options));
    const std::vector<deploy::RecoveryReport> recovered =
        deploy::recover_interrupted(state, "certfleet deploy");
    if (options.recover && options.spec.empty()) {
        if (options.json) {
            std::cout << recovered_json(recovered).dump(2) << '\n';
        } else if (recovered.empty()) {
            std::cout << "nothing to recover\n";
        } else {
            print_recovered(recovered);
        }
        return ExitCode::ok;
    }
    if (options.spec.empty()) {
        throw core::Error(core::ErrorCode::invalid_input,
                          "give --spec FILE (or --recover, history, rollback)");
    }
    const std::string base = std::filesystem::absolute(options.spec).parent_path().string();
    const deploy::DeploymentSpec spec =
        deploy::parse_deployment_spec(core::read_file(options.spec), options.spec, base);
    const formats::CertifiedKey bundle = deploy::read_source(spec.source);
    const core::SystemClock clock;
    const deploy::DeploymentPlan plan = deploy::plan_deployment(spec, bundle, {.now = clock.now()});
    if (options.dry_run) {
        if (options.json) {
            std::cout << nlohmann::json{{"dry_run", true},
                                        {"changes", plan.changes_anything()},
                                        {"files", files_json(plan)},
                                        {"recovered", recovered_json(recovered)}}
                             .dump(2)
                      << '\n';
        } else {
            print_recovered(recovered);
            std::cout << (plan.changes_anything() ? "dry run: would deploy\n" : "dry run: unchanged\n");
            print_files(plan);
        }
        return ExitCode::ok;
    }
    const deploy::DeploymentReport result =
        deploy::run_deployment(plan,
                               state,
                               {.backup_directory = spec.backup_directory,
                                .retention = spec.retention,
                                .origin = "deploy --spec " + std::filesystem::absolute(options.spec).string(),
                                .now = clock.now()});
    if (result.outcome == deploy::DeploymentOutcome::deployed) {
        deploy::prune_backups(state, spec.backup_directory, spec.retention, clock.now());
    }
    return report(plan, result, recovered, options.json);
}

ExitCode run_history(const DeployOptions& options) {
    deploy::StateDirectory state(state_dir_of(options));
    std::vector<std::string> problems;
    const std::vector<deploy::Journal> journals = state.journals(&problems);
    for (const std::string& problem : problems) {
        std::cerr << "certfleet: " << problem << '\n';
    }
    if (options.json) {
        nlohmann::json out = nlohmann::json::array();
        for (const deploy::Journal& j : journals) {
            nlohmann::json files = nlohmann::json::array();
            for (const deploy::JournalEntry& e : j.entries) {
                files.push_back({{"path", e.path}, {"backup", e.backup}, {"existed", e.existed}});
            }
            out.push_back({{"id", j.id},
                           {"started_at", j.started_at},
                           {"origin", j.origin},
                           {"state", deploy::to_string(j.state)},
                           {"files", files},
                           {"failed_step", j.failed_step},
                           {"failure", j.failure},
                           {"recovered_by", j.recovered_by}});
        }
        std::cout << out.dump(2) << '\n';
        return ExitCode::ok;
    }
    std::cout << fmt::format("{:<24} {:<13} {:>5}  {}\n", "ID", "STATE", "FILES", "ORIGIN / FAILURE");
    for (const deploy::Journal& j : journals) {
        std::cout << fmt::format("{:<24} {:<13} {:>5}  {}{}\n",
                                 j.id,
                                 deploy::to_string(j.state),
                                 j.entries.size(),
                                 j.origin,
                                 j.failure.empty() ? "" : fmt::format(" ({}: {})", j.failed_step, j.failure));
    }
    return ExitCode::ok;
}

ExitCode run_rollback(const DeployOptions& options) {
    deploy::StateDirectory state(state_dir_of(options));
    const std::vector<deploy::RecoveryReport> recovered =
        deploy::recover_interrupted(state, "certfleet deploy rollback");
    std::string id = options.rollback_id;
    if (id.empty()) {
        const std::vector<deploy::Journal> journals = state.journals();
        for (auto it = journals.rbegin(); it != journals.rend(); ++it) {
            if (it->state == deploy::JournalState::committed && !it->origin.starts_with("rollback ")) {
                id = it->id;
                break;
            }
        }
        if (id.empty()) {
            throw core::Error(core::ErrorCode::not_found, "no committed deployment to roll back");
        }
    }
    const deploy::Journal journal = state.journal(id);
    if (journal.state != deploy::JournalState::committed) {
        throw core::Error(core::ErrorCode::conflict,
                          fmt::format("deployment {} is {}: only a committed deployment is rolled back",
                                      id,
                                      deploy::to_string(journal.state)));
    }
    const deploy::DeploymentPlan plan = deploy::plan_rollback(journal);
    const core::SystemClock clock;
    const deploy::DeploymentReport result =
        deploy::run_deployment(plan, state, {.origin = "rollback " + id, .now = clock.now()});
    return report(plan, result, recovered, options.json);
}

}  // namespace

void add_deploy_command(CLI::App& app, CommandAction& action) {
    auto o = std::make_shared<DeployOptions>();
    CLI::App* cmd = app.add_subcommand(
        "deploy",
        "Deploy a certificate on this host: every target or none, with backups, hooks and health checks.\n\n"
        "The spec (YAML, docs/deploy.md) names the certificate, its targets (any bundle format, or\n"
        "files with named pieces), on_change hooks, health checks and where backups go. Everything is\n"
        "checked first (key, chain, keystore passwords, owners, directories) and nothing is touched if\n"
        "a check fails. New files are written beside their targets, a journal is synced, every replaced\n"
        "target is backed up outside its directory (STATE_DIR/backups/ID/<its absolute path>) with its\n"
        "owner, group, mode, mtime and extended attributes, then all are renamed into place, the hooks\n"
        "run and the health checks must pass; if any step fails every target is restored and the hooks\n"
        "run again. Existing targets keep their owner, group and mode unless the spec sets them.\n"
        "A deployment interrupted by kill -9 or a power loss is rolled back from its journal by the\n"
        "next `certfleet deploy` (or `deploy --recover`).\n\n"
        "Examples:\n"
        "  certfleet deploy --spec /etc/certfleet/haproxy.yaml --dry-run\n"
        "  certfleet deploy --spec /etc/certfleet/haproxy.yaml\n"
        "  certfleet deploy history\n"
        "  certfleet deploy rollback 20261130T170102Z-1a2b3c\n\n"
        "Exit status: 0 deployed or unchanged; 1 rolled back (the report names the step and cause);\n"
        "2 invalid spec or input (nothing touched); 4 a target is being deployed by another process.");
    cmd->add_option("--spec", o->spec, "The deployment spec (YAML)");
    cmd->add_flag(
        "--dry-run", o->dry_run, "Show per target: create/replace/unchanged, owner:group mode, old -> new");
    cmd->add_flag("--json", o->json, "Print the report as JSON");
    cmd->add_flag("--recover", o->recover, "Finish or roll back interrupted deployments, then stop");
    cmd->add_option(
        "--state-dir",
        o->state_dir,
        "Journals, locks and default backups (default: $CERTFLEET_STATE_DIR, /var/lib/certfleet)");
    cmd->require_subcommand(0, 1);
    CLI::App* history =
        cmd->add_subcommand("history", "List past deployments (newest last) with their outcome");
    history->add_flag("--json", o->json, "Print as JSON");
    history->add_option("--state-dir", o->state_dir, "As for deploy");
    CLI::App* rollback = cmd->add_subcommand(
        "rollback",
        "Put back what a committed deployment replaced (default: the latest), as an operator's undo");
    rollback->add_option("id", o->rollback_id, "The deployment ID (see deploy history)");
    rollback->add_flag("--json", o->json, "Print the report as JSON");
    rollback->add_option("--state-dir", o->state_dir, "As for deploy");
    history->callback([o, &action] { action = [o] { return run_history(*o); }; });
    rollback->callback([o, &action] { action = [o] { return run_rollback(*o); }; });
    cmd->callback([o, cmd, &action] {
        if (cmd->get_subcommands().empty()) {
            action = [o] { return run_deploy(*o); };
        }
    });
}

}  // namespace certfleet::cli
