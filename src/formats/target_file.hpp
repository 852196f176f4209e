#pragma once

#include "formats/backup.hpp"

#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace certfleet::formats {

/// One file of a deployable artifact, made in memory before anything is written. The bytes of a file
/// holding a private key are wiped when it goes away.
// An aggregate (built with designated initializers): declaring copy and move members would end that, and
// the implicit copies each wipe their own bytes.
struct TargetFile {  // NOLINT(cppcoreguidelines-special-member-functions)
    std::string path;
    std::string bytes;
    bool holds_private_key = false;  ///< written 0600 unless a mode is asked for
    std::optional<mode_t> mode;      ///< a mode the layout itself dictates (Puppet's 0400 keys)

    ~TargetFile() { wipe_if_secret(); }
    void wipe_if_secret() noexcept;
};

/// Ownership and mode of written files, and where backups go.
struct TargetWriteOptions {
    std::optional<mode_t> mode;  ///< default: 0600 for files holding keys, 0644 for the rest
    std::optional<uid_t> owner;
    std::optional<gid_t> group;
    BackupOptions backup;
};

/// What was written.
struct WrittenTarget {
    std::string path;
    std::optional<std::string> backup;
};

/// Writes every file atomically (temp file, fsync, rename), first keeping a timestamped backup of each
/// file it replaces. Every directory must exist before anything is written, so a bad target path
/// leaves every file as it was. Throws Error(invalid_input) naming the path whose directory is missing.
std::vector<WrittenTarget> write_targets(const std::vector<TargetFile>& files,
                                         const TargetWriteOptions& options);

}  // namespace certfleet::formats
