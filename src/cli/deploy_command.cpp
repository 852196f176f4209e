#include "cli/command.hpp"
#include "cli/deployment_report.hpp"
#include "cli/json_output.hpp"
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

std::string state_dir_of(const DeployOptions& options) {
    return options.state_dir.empty() ? deploy::default_state_directory() : options.state_dir;
}

ExitCode run_deploy(const DeployOptions& options) {
    deploy::StateDirectory state(state_dir_of(options));
    const std::vector<deploy::RecoveryReport> recovered =
        deploy::recover_interrupted(state, "certfleet deploy");
    if (options.recover && options.spec.empty()) {
        if (options.json) {
            std::cout << json_text(recovered_json(recovered)) << '\n';
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
    const deploy::DeploymentSpec spec = deploy::read_deployment_spec(options.spec);
    const formats::CertifiedKey bundle = deploy::read_source(spec.source);
    return deploy_by_spec(state,
                          recovered,
                          {.spec = &spec,
                           .bundle = &bundle,
                           .origin = "deploy --spec " + std::filesystem::absolute(options.spec).string(),
                           .dry_run = options.dry_run,
                           .json = options.json});
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
        std::cout << json_text(out) << '\n';
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
        // NOLINTNEXTLINE(modernize-loop-convert): clang 14 cannot compile std::views::reverse (docs/style.md)
        for (auto candidate_it = journals.rbegin(); candidate_it != journals.rend(); ++candidate_it) {
            const deploy::Journal& candidate = *candidate_it;
            if (candidate.state == deploy::JournalState::committed &&
                !candidate.origin.starts_with("rollback ")) {
                id = candidate.id;
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
    return report_deployment(plan, result, recovered, options.json);
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
        cmd->add_subcommand("history",
                            "List past deployments (newest last) with their outcome.\n\n"
                            "Exit status: 0 listed (a journal that cannot be read is named on stderr).");
    history->add_flag("--json", o->json, "Print as JSON");
    history->add_option("--state-dir", o->state_dir, "As for deploy");
    CLI::App* rollback = cmd->add_subcommand(
        "rollback",
        "Put back what a committed deployment replaced (default: the latest), as an operator's undo.\n\n"
        "Exit status: 0 restored; 1 the restore failed and was undone (the report names why);\n"
        "4 no committed deployment, or no deployment with that ID.");
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
