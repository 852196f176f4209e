#pragma once

#include <string_view>

namespace certfleet::deploy {

/// Marks a named step of a deployment for fault-injection tests (tests/e2e/072-deploy-faults):
/// if $CERTFLEET_DEPLOY_CRASH_AT names `step`, the process kills itself with SIGKILL there, as a power
/// loss would stop it; if $CERTFLEET_DEPLOY_RUN_AT is "STEP:COMMAND" for `step`, COMMAND runs there
/// (`/bin/sh -c`, e.g. to make a directory read-only mid-way). Unset, both cost one getenv.
/// Steps: temp_files, journal, backup, between_renames, renamed, during_hook, hooks, checks, restore.
void fault_point(std::string_view step);

}  // namespace certfleet::deploy
