#pragma once

namespace certfleet::cli {

/// Runs the certfleet-agent command line (the node package's executable: the agent alone, linking
/// agent/, deploy/, api/, formats/, pki/ and core/, no CA code and no libpq); returns the exit code.
int run_agent_program(int argc, char** argv);

}  // namespace certfleet::cli
