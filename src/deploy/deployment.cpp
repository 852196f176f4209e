#include "deploy/deployment.hpp"

#include "core/error.hpp"
#include "core/file.hpp"
#include "deploy/fault_injection.hpp"
#include "deploy/file_metadata.hpp"
#include "deploy/health_check.hpp"
#include "deploy/hook_runner.hpp"
#include "deploy/recovery.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <ctime>
#include <filesystem>
#include <random>
#include <set>
#include <unistd.h>

namespace certfleet::deploy {
namespace {

namespace fs = std::filesystem;
using core::Error;
using core::ErrorCode;

std::string utc_text(core::TimePoint at, const char* format) {
    const std::time_t t = std::chrono::system_clock::to_time_t(at);
    std::tm utc{};
    gmtime_r(&t, &utc);
    std::array<char, 32> buffer{};
    return {buffer.data(), std::strftime(buffer.data(), buffer.size(), format, &utc)};
}

// Ids sort as their deployments started, which is the order the history lists (an agent's certificates
// often deploy within one second): the system clock's UTC second, its microsecond in 5 hex digits, and a
// random digit against two processes starting in the same microsecond. The caller's `now` (a test's
// fixed clock) is the journal's started_at, not the id's.
std::string new_deployment_id() {
    const auto real = std::chrono::system_clock::now();
    const auto second = std::chrono::floor<std::chrono::seconds>(real);
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(real - second).count();
    std::random_device random;
    return fmt::format("{}-{:05x}{:x}", utc_text(second, "%Y%m%dT%H%M%SZ"), micros, random() & 0xFU);
}

std::string temp_path_for(const std::string& target, const std::string& id) {
    const fs::path path(target);
    return (path.parent_path() / fmt::format(".{}.certfleet-{}.tmp", path.filename().string(), id)).string();
}

std::string changed_files(const Journal& journal) {
    std::string out;
    for (const JournalEntry& entry : journal.entries) {
        out += (out.empty() ? "" : "\n") + entry.path;
    }
    return out;
}

std::vector<StepReport> run_hooks(const Journal& journal, std::string_view phase, std::string& failure) {
    std::vector<StepReport> out;
    for (const HookSpec& hook : journal.hooks) {
        std::map<std::string, std::string> environment = hook.environment;
        environment["CERTFLEET_DEPLOYMENT_ID"] = journal.id;
        environment["CERTFLEET_CHANGED_FILES"] = changed_files(journal);
        environment["CERTFLEET_DEPLOY_PHASE"] = std::string(phase);
        const CommandResult result =
            run_command(hook.argv, {.timeout = hook.timeout, .environment = environment});
        std::string name;
        for (const std::string& arg : hook.argv) {
            name += (name.empty() ? "" : " ") + arg;
        }
        out.push_back(
            {phase == "deploy" ? "hook" : "rollback_hook", name, result.succeeded(), result.describe()});
        if (!result.succeeded() && failure.empty()) {
            failure = fmt::format("hook \"{}\" failed: {}", name, result.describe());
            if (phase == "deploy") {
                break;  // the rollback reruns every hook
            }
        }
    }
    return out;
}

// Takes every target's lock, in path order so two deployments cannot deadlock.
std::vector<FileLock> lock_targets(StateDirectory& state,
                                   const std::vector<std::string>& paths,
                                   const std::string& holder) {
    std::vector<std::string> sorted = paths;
    std::sort(sorted.begin(), sorted.end());
    std::vector<FileLock> locks;
    for (const std::string& path : sorted) {
        const std::string lock_path = state.target_lock_path(path);
        std::optional<FileLock> lock = FileLock::try_acquire(lock_path, fmt::format("{} {}", holder, path));
        if (!lock) {
            const std::string other = lock_holder(lock_path);
            throw Error(
                ErrorCode::conflict,
                fmt::format("{}: another deployment is writing it ({}); nothing was changed, try again "
                            "when it is done",
                            path,
                            other.empty() ? "holder unknown" : other));
        }
        locks.push_back(std::move(*lock));
    }
    return locks;
}

class Deployment {
public:
    Deployment(const DeploymentPlan& plan, StateDirectory& state, const DeploymentOptions& options)
        : m_plan(plan), m_state(state), m_options(options) {}

    DeploymentReport run() {
        m_journal.id = new_deployment_id();
        m_journal.origin = m_options.origin;
        m_journal.started_at = utc_text(m_options.now, "%Y-%m-%dT%H:%M:%SZ");
        m_journal.hooks = m_plan.hooks;
        const std::string root = m_options.backup_directory.empty() ? m_state.default_backup_directory()
                                                                    : m_options.backup_directory;
        m_journal.backup_directory = fs::absolute(root).lexically_normal().string() + "/" + m_journal.id;
        m_report.id = m_journal.id;
        m_report.backup_directory = m_journal.backup_directory;

        const std::string holder = fmt::format("deployment {} (pid {})", m_journal.id, ::getpid());
        std::optional<FileLock> journal_lock =
            FileLock::try_acquire(m_state.journal_lock_path(m_journal.id), holder);
        std::vector<std::string> paths;
        for (const PlannedFile& file : m_plan.files) {
            if (file.action != FileAction::unchanged) {
                paths.push_back(file.file.path);
            }
        }
        const std::vector<FileLock> target_locks = lock_targets(m_state, paths, holder);
        prepare();
        replace_all();
        if (!m_report.failure.empty()) {
            return roll_back();
        }
        m_journal.state = JournalState::renamed;
        save();
        m_report.steps = run_hooks(m_journal, "deploy", m_report.failure);
        fault_point("hooks");
        if (!m_report.failure.empty()) {
            m_report.failed_step = "hook";
            return roll_back();
        }
        m_journal.state = JournalState::checking;
        save();
        for (const PlannedHealthCheck& check : m_plan.checks) {
            const HealthCheckResult result = run_health_check(check);
            m_report.steps.push_back({"health_check", describe(check.spec), result.passed, result.detail});
            if (!result.passed) {
                m_report.failed_step = "health_check";
                m_report.failure = fmt::format("health check \"{}\" failed after {} attempt{}: {}",
                                               describe(check.spec),
                                               result.attempts,
                                               result.attempts == 1 ? "" : "s",
                                               result.detail);
                return roll_back();
            }
        }
        fault_point("checks");
        m_journal.state = JournalState::committed;
        save();
        m_report.outcome = DeploymentOutcome::deployed;
        return m_report;
    }

private:
    void save() { write_journal(m_state.journal_path(m_journal.id), m_journal); }

    // Temp files and backups: when this returns, everything needed to finish or undo is durable.
    void prepare() {
        for (const PlannedFile& file : m_plan.files) {
            if (file.action == FileAction::unchanged) {
                continue;
            }
            const bool exists = read_metadata(file.file.path).has_value();
            m_journal.entries.push_back(
                {.path = file.file.path,
                 .temp = temp_path_for(file.file.path, m_journal.id),
                 .backup = exists ? m_journal.backup_directory + file.file.path : std::string(),
                 .existed = exists});
        }
        save();  // state writing: recovery knows every temp file before the first one exists
        try {
            std::size_t index = 0;
            for (const PlannedFile& file : m_plan.files) {
                if (file.action == FileAction::unchanged) {
                    continue;
                }
                const JournalEntry& entry = m_journal.entries[index++];
                create_file(entry.temp,
                            file.file.bytes,
                            file.ownership,
                            file.existing ? &*file.existing : nullptr,
                            false);
            }
            fault_point("temp_files");
            std::set<std::string> backup_dirs;
            for (const JournalEntry& entry : m_journal.entries) {
                if (!entry.existed) {
                    continue;
                }
                const std::optional<FileMetadata> metadata = read_metadata(entry.path);
                if (!metadata) {
                    throw Error(ErrorCode::conflict,
                                fmt::format("{}: removed while being deployed", entry.path));
                }
                const std::string dir = fs::path(entry.backup).parent_path().string();
                make_private_directories(dir);
                create_file(entry.backup, core::read_file(entry.path), metadata->ownership, &*metadata, true);
                backup_dirs.insert(dir);
            }
            for (const std::string& dir : backup_dirs) {
                sync_directory(dir);
            }
            for (const JournalEntry& entry : m_journal.entries) {
                sync_directory(fs::path(entry.temp).parent_path().string());
            }
        } catch (...) {
            for (const JournalEntry& entry : m_journal.entries) {
                ::unlink(entry.temp.c_str());
            }
            m_journal.state = JournalState::rolled_back;
            m_journal.failed_step = "prepare";
            save();
            throw;
        }
        fault_point("backup");
        m_journal.state = JournalState::backed_up;
        save();
        fault_point("journal");
    }

    void replace_all() {
        std::set<std::string> dirs;
        for (std::size_t i = 0; i < m_journal.entries.size(); ++i) {
            const JournalEntry& entry = m_journal.entries[i];
            if (i > 0) {
                fault_point("between_renames");
            }
            try {
                rename_file(entry.temp, entry.path);
            } catch (const Error& e) {
                m_report.failed_step = "rename";
                m_report.failure = e.what();
                return;
            }
            dirs.insert(fs::path(entry.path).parent_path().string());
        }
        for (const std::string& dir : dirs) {
            sync_directory(dir);
        }
        fault_point("renamed");
    }

    DeploymentReport roll_back() {
        m_journal.state = JournalState::rolling_back;
        m_journal.failed_step = m_report.failed_step;
        m_journal.failure = m_report.failure;
        save();
        fault_point("restore");
        const std::string problems = restore_targets(m_journal);
        std::vector<StepReport> hooks = run_rollback_hooks(m_journal);
        m_report.steps.insert(m_report.steps.end(), hooks.begin(), hooks.end());
        if (problems.empty()) {
            m_journal.state = JournalState::rolled_back;
        } else {
            // Left rolling_back: the next `certfleet deploy` (or --recover) finishes what could not be done.
            m_report.failure += fmt::format(
                "; the restore is incomplete ({}): `certfleet deploy --recover` "
                "finishes it once that is fixed",
                problems);
            m_journal.failure = m_report.failure;
        }
        save();
        m_report.outcome = DeploymentOutcome::rolled_back;
        return m_report;
    }

    const DeploymentPlan& m_plan;
    StateDirectory& m_state;
    const DeploymentOptions& m_options;
    Journal m_journal;
    DeploymentReport m_report;
};

}  // namespace

std::string_view to_string(DeploymentOutcome outcome) {
    switch (outcome) {
        case DeploymentOutcome::unchanged:
            return "unchanged";
        case DeploymentOutcome::deployed:
            return "deployed";
        case DeploymentOutcome::rolled_back:
            return "rolled_back";
    }
    return "unknown";
}

DeploymentReport run_deployment(const DeploymentPlan& plan,
                                StateDirectory& state,
                                const DeploymentOptions& options) {
    if (!plan.changes_anything()) {
        return {};
    }
    return Deployment(plan, state, options).run();
}

std::vector<StepReport> run_rollback_hooks(const Journal& journal) {
    std::string failure;
    return run_hooks(journal, "rollback", failure);
}

DeploymentPlan plan_rollback(const Journal& journal) {
    DeploymentPlan plan;
    plan.hooks = journal.hooks;
    for (const JournalEntry& entry : journal.entries) {
        if (!entry.existed) {
            continue;
        }
        std::optional<FileMetadata> backup = read_metadata(entry.backup);
        if (!backup) {
            throw Error(
                ErrorCode::not_found,
                fmt::format(
                    "deployment {}: the backup of {} is gone ({})", journal.id, entry.path, entry.backup));
        }
        PlannedFile file;
        file.file.path = entry.path;
        file.file.bytes = core::read_file(entry.backup);
        file.file.holds_private_key = (backup->ownership.mode & 0077U) == 0;  // wiped like a key if private
        file.ownership = backup->ownership;
        const std::optional<FileMetadata> current = read_metadata(entry.path);
        const bool same = current && current->ownership == backup->ownership &&
                          core::read_file(entry.path) == file.file.bytes;
        file.action = same ? FileAction::unchanged : (current ? FileAction::replace : FileAction::create);
        file.existing = std::move(backup);  // the restored file gets the backup's extended attributes
        plan.files.push_back(std::move(file));
    }
    return plan;
}

std::vector<std::string> prune_backups(StateDirectory& state,
                                       const std::string& backup_directory,
                                       const RetentionSpec& retention,
                                       core::TimePoint now) {
    std::set<std::string> protected_dirs;
    for (const Journal& journal : state.journals()) {
        if (!is_finished(journal.state)) {
            protected_dirs.insert(journal.backup_directory);
        }
    }
    const std::string root = backup_directory.empty() ? state.default_backup_directory() : backup_directory;
    std::error_code ec;
    std::vector<fs::path> dirs;
    for (const auto& entry : fs::directory_iterator(root, ec)) {
        if (entry.is_directory()) {
            dirs.push_back(entry.path());
        }
    }
    std::sort(dirs.rbegin(), dirs.rend());  // newest first: ids start with their UTC time
    std::vector<std::string> removed;
    for (std::size_t i = 0; i < dirs.size(); ++i) {
        const std::string dir = fs::absolute(dirs[i]).lexically_normal().string();
        if (i == 0 || protected_dirs.contains(dir)) {
            continue;
        }
        const auto written = fs::last_write_time(dirs[i], ec);
        const auto age =
            std::chrono::duration_cast<core::Seconds>(now - std::chrono::file_clock::to_sys(written));
        if (i >= retention.keep || age > retention.max_age) {
            fs::remove_all(dirs[i], ec);
            removed.push_back(dir);
        }
    }
    return removed;
}

DeploymentReport run_spec_deployment(const DeploymentPlan& plan,
                                     const DeploymentSpec& spec,
                                     StateDirectory& state,
                                     const std::string& origin,
                                     core::TimePoint now) {
    DeploymentReport result = run_deployment(plan,
                                             state,
                                             {.backup_directory = spec.backup_directory,
                                              .retention = spec.retention,
                                              .origin = origin,
                                              .now = now});
    if (result.outcome == DeploymentOutcome::deployed) {
        prune_backups(state, spec.backup_directory, spec.retention, now);
    }
    return result;
}

}  // namespace certfleet::deploy
