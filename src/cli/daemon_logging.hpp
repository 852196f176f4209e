#pragma once

#include <string>

namespace certfleet::cli {

/// Sends the long-running commands' log (certfleet serve, the agent daemon) to standard error, one line
/// per event, "2026-12-01T08:00:00.123Z level=info ..." in UTC: journald reads it under systemd, and
/// standard output stays for what scripts read (reports, --json). `level` is spdlog's
/// (trace, debug, info, warn, error, critical, off).
void log_to_stderr(const std::string& level);

}  // namespace certfleet::cli
