#pragma once

#include "deploy/deployment_spec.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace certfleet::deploy {

/// How far a deployment got; written (and synced) to its journal before each step's effects.
enum class JournalState {
    writing,       ///< temp files being written; no target touched
    backed_up,     ///< every temp file and backup is durable; targets are being renamed into place
    renamed,       ///< every target replaced; hooks are running
    checking,      ///< hooks ran; health checks are running
    committed,     ///< done and healthy
    rolling_back,  ///< restoring every target from its backup
    rolled_back,   ///< every target restored
};

/// Returns the journal's spelling of `state` ("backed_up").
std::string_view to_string(JournalState state);

/// Returns true for committed and rolled_back: nothing left to do.
bool is_finished(JournalState state);

/// What recovery does with a journal its holder left behind.
enum class RecoveryAction {
    nothing,  ///< finished
    discard,  ///< remove temp files: no target was touched
    restore,  ///< restore every target from its backup, remove temp files, rerun the hooks
};

/// Returns what recovery does for a journal left in `state` (kill -9 or power loss).
RecoveryAction recovery_action(JournalState state);

/// One target file of a deployment.
struct JournalEntry {
    std::string path;    ///< the target
    std::string temp;    ///< the new content, beside it until renamed
    std::string backup;  ///< its previous content, or "" when it did not exist
    bool existed = false;
};

/// The record of one deployment, kept in STATE_DIR/deployments/ID.json (also its history).
struct Journal {
    std::string id;
    std::string origin;      ///< "deploy --spec FILE", "bundle", "external import", "rollback ID"
    std::string started_at;  ///< RFC 3339 UTC
    JournalState state = JournalState::writing;
    std::vector<JournalEntry> entries;
    std::vector<HookSpec> hooks;   ///< rerun after a restore
    std::string backup_directory;  ///< this deployment's backups
    std::string failed_step;       ///< hook, health check, rename... when rolled back
    std::string failure;           ///< why
    std::string recovered_by;      ///< set when recovery finished it
};

/// Returns the journal as JSON text.
std::string to_json(const Journal& journal);

/// Parses a journal. Throws Error(invalid_input) naming `source` if it is not one.
Journal parse_journal(std::string_view text, std::string_view source);

/// Writes `journal` to `path` atomically and durably (temp file, fsync, rename, directory fsync), 0600.
void write_journal(const std::string& path, const Journal& journal);

}  // namespace certfleet::deploy
