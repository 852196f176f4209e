#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <utility>
#include <vector>

namespace certfleet::deploy {

/// Who owns a file and who may read it.
struct FileOwnership {
    uid_t owner = 0;
    gid_t group = 0;
    mode_t mode = 0600;
    friend bool operator==(const FileOwnership&, const FileOwnership&) = default;
};

/// Everything about a file a deployment keeps besides its bytes.
struct FileMetadata {
    FileOwnership ownership;
    timespec modified{};
    /// Extended attributes (POSIX ACLs as system.posix_acl_access, SELinux labels, user.*).
    std::vector<std::pair<std::string, std::string>> attributes;
};

/// Returns the metadata of the regular file at `path`, or std::nullopt if there is none.
/// Throws Error(invalid_input) naming the path if it exists but is not a regular file.
std::optional<FileMetadata> read_metadata(const std::string& path);

/// Creates `path` (which must not exist) holding `bytes` with `ownership`, the extended attributes of
/// `metadata` when given (and its modification time when `keep_time`), then fsyncs it. The file is
/// removed again on failure. Throws Error(unavailable) naming the path on an I/O error,
/// Error(forbidden) if the owner cannot be set.
void create_file(const std::string& path,
                 std::string_view bytes,
                 const FileOwnership& ownership,
                 const FileMetadata* metadata,
                 bool keep_time);

/// fsyncs the directory `path`, so a rename or unlink in it is durable. Throws Error(unavailable).
void sync_directory(const std::string& path);

/// Creates `path` and its missing parents with mode 0700. Throws Error(unavailable) naming it.
void make_private_directories(const std::string& path);

/// Renames `from` to `to` (same filesystem). Throws Error(unavailable) naming both and the reason.
void rename_file(const std::string& from, const std::string& to);

/// Removes `path` if it exists. Throws Error(unavailable) for any other failure.
void remove_file(const std::string& path);

}  // namespace certfleet::deploy
