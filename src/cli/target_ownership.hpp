#pragma once

#include "formats/target_file.hpp"

#include <string>

namespace certfleet::cli {

/// Turns --owner, --group (names or numbers) and --mode (octal) into write options.
/// Throws Error(invalid_input) for an unknown user or group or a bad mode.
formats::TargetWriteOptions target_write_options(const std::string& owner,
                                                 const std::string& group,
                                                 const std::string& mode,
                                                 formats::BackupOptions backup);

}  // namespace certfleet::cli
