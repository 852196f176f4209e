#pragma once

#include "core/clock.hpp"

#include <optional>
#include <string>

namespace certfleet::formats {

/// Where and when a replaced file is kept.
struct BackupOptions {
    std::string directory;  ///< "" keeps the backup beside the file
    core::TimePoint at;     ///< names the backup; comes from the caller's Clock
};

/// Copies `path`, if it exists, to DIRECTORY/NAME.YYYYMMDDTHHMMSSZ.bak (".1", ".2"... appended when
/// that name is taken) with the same mode, atomically, and returns the backup's path; std::nullopt if
/// there was nothing to keep. Throws Error(invalid_input) if the backup directory does not exist,
/// Error(unavailable) on an I/O error.
std::optional<std::string> back_up_file(const std::string& path, const BackupOptions& options);

}  // namespace certfleet::formats
