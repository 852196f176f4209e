#pragma once

namespace certfleet::cli {

/// Runs the certfleet command line; returns the process exit code (cli/exit_code.hpp).
int run(int argc, char** argv);

}  // namespace certfleet::cli
