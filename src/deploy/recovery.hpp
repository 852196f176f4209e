#pragma once

#include "deploy/deployment.hpp"
#include "deploy/journal.hpp"
#include "deploy/state_directory.hpp"

#include <string>
#include <vector>

namespace certfleet::deploy {

/// Puts every target of `journal` back as its backup holds it (owner, group, mode, mtime and extended
/// attributes too), removes the files it created and its temp files, and syncs the directories.
/// A target that already holds its backup's content is left alone. Safe to repeat (recovery after a
/// crash during a restore). Returns what could not be done ("" when all was), each naming its path:
/// the journal then stays rolling_back so that the next recovery finishes it.
std::string restore_targets(const Journal& journal);

/// Runs the journal's hooks for restored files (CERTFLEET_DEPLOY_PHASE=rollback) and reports them.
std::vector<StepReport> run_rollback_hooks(const Journal& journal);

/// What recovery did with one journal.
struct RecoveryReport {
    std::string id;
    std::string state;   ///< the state it was left in
    std::string action;  ///< "discarded temp files", "restored N targets"
    std::vector<StepReport> hooks;
};

/// Finishes every deployment whose process is gone (its journal lock is free) and whose journal is
/// not finished: temp files removed, or every target restored from its backup and the hooks rerun;
/// the journal then says rolled_back and why. Journals whose holder still runs are left alone.
std::vector<RecoveryReport> recover_interrupted(StateDirectory& state, const std::string& recovered_by);

}  // namespace certfleet::deploy
