#pragma once
// cli/ owns the `certfleet` command line: it parses arguments, calls one library function per
// subcommand and prints the result (text or --json). It holds no PKI logic of its own.

namespace certfleet::cli {

/// Runs the certfleet command line; returns the process exit code (cli/exit_code.hpp).
int run(int argc, char** argv);

}  // namespace certfleet::cli
