#include "deploy/recovery.hpp"

#include "core/error.hpp"
#include "core/file.hpp"
#include "deploy/fault_injection.hpp"
#include "deploy/file_metadata.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <set>
#include <unistd.h>

namespace certfleet::deploy {
namespace {

namespace fs = std::filesystem;

void restore_one(const JournalEntry& entry, const std::string& id) {
    if (!entry.existed) {
        remove_file(entry.path);
        return;
    }
    const std::optional<FileMetadata> backup = read_metadata(entry.backup);
    if (!backup) {
        throw core::Error(core::ErrorCode::unavailable,
                          fmt::format("{}: cannot restore: its backup {} is gone", entry.path, entry.backup));
    }
    // Not replaced yet (or already restored): leave it, so a directory that became read-only after its
    // temp file was written needs nothing.
    const std::optional<FileMetadata> current = read_metadata(entry.path);
    if (current && current->ownership == backup->ownership &&
        core::read_file(entry.path) == core::read_file(entry.backup)) {
        return;
    }
    const fs::path path(entry.path);
    const std::string restore =
        (path.parent_path() / fmt::format(".{}.certfleet-{}.restore", path.filename().string(), id)).string();
    remove_file(restore);  // left by a restore that was itself interrupted
    create_file(restore, core::read_file(entry.backup), backup->ownership, &*backup, true);
    try {
        rename_file(restore, entry.path);
    } catch (...) {
        ::unlink(restore.c_str());
        throw;
    }
}

}  // namespace

std::string restore_targets(const Journal& journal) {
    std::set<std::string> dirs;
    std::string failures;
    for (const JournalEntry& entry : journal.entries) {
        try {
            restore_one(entry, journal.id);
        } catch (const core::Error& e) {
            failures += (failures.empty() ? "" : "; ") + std::string(e.what());
        }
        try {
            remove_file(entry.temp);
        } catch (const core::Error& e) {
            failures += (failures.empty() ? "" : "; ") + std::string(e.what());
        }
        dirs.insert(fs::path(entry.path).parent_path().string());
    }
    for (const std::string& dir : dirs) {
        try {
            sync_directory(dir);
        } catch (const core::Error&) {
            // A directory that cannot be synced was not writable either: its failure is already named.
        }
    }
    return failures;
}

std::vector<RecoveryReport> recover_interrupted(StateDirectory& state, const std::string& recovered_by) {
    std::vector<RecoveryReport> out;
    for (Journal journal : state.journals()) {
        if (is_finished(journal.state)) {
            continue;
        }
        const std::optional<FileLock> lock =
            FileLock::try_acquire(state.journal_lock_path(journal.id),
                                  fmt::format("recovery by {} (pid {})", recovered_by, ::getpid()));
        if (!lock) {
            continue;  // its process is still running: it is not ours to touch
        }
        RecoveryReport report{
            .id = journal.id, .state = std::string(to_string(journal.state)), .action = {}, .hooks = {}};
        const RecoveryAction action = recovery_action(journal.state);
        const JournalState left = journal.state;
        if (action == RecoveryAction::discard) {
            for (const JournalEntry& entry : journal.entries) {
                remove_file(entry.temp);
            }
            report.action = "discarded temp files (no target had been touched)";
        } else if (action == RecoveryAction::restore) {
            journal.state = JournalState::rolling_back;
            write_journal(state.journal_path(journal.id), journal);
            if (const std::string problems = restore_targets(journal); !problems.empty()) {
                report.action = fmt::format("restore incomplete, left for the next recovery: {}", problems);
                out.push_back(std::move(report));
                continue;
            }
            report.hooks = run_rollback_hooks(journal);
            report.action = fmt::format("restored {} target{} from backup",
                                        journal.entries.size(),
                                        journal.entries.size() == 1 ? "" : "s");
        }
        if (journal.failed_step.empty()) {
            journal.failed_step = "interrupted";
            journal.failure =
                fmt::format("the deployment stopped while {} (killed or power lost)", to_string(left));
        }
        journal.recovered_by = recovered_by;
        journal.state = JournalState::rolled_back;
        write_journal(state.journal_path(journal.id), journal);
        out.push_back(std::move(report));
    }
    return out;
}

}  // namespace certfleet::deploy
