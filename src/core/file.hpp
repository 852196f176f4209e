#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>

namespace certfleet::core {

/// The largest input file certfleet reads whole (certificates, bundles and keystores are far smaller).
inline constexpr std::size_t max_input_file_size = 64UL * 1024 * 1024;

/// Returns the bytes of `path` ("-" reads standard input).
/// Throws Error(not_found) if it does not exist, Error(invalid_input) if it is unreadable, a directory,
/// or larger than `max_size`.
std::string read_file(const std::string& path, std::size_t max_size = max_input_file_size);

/// What to do when the destination of an atomic write already exists.
enum class Overwrite { refuse, replace };

/// How write_file_atomically creates the file: its mode, whether it may replace one, and its owner.
struct AtomicWriteOptions {
    mode_t mode = 0644;
    Overwrite overwrite = Overwrite::refuse;
    std::optional<uid_t> owner;
    std::optional<gid_t> group;
};

/// Writes `bytes` to `path` so that readers see either the old file or the whole new one: a temporary file
/// in the same directory, created with `mode` (so a key is never readable by others, not even briefly),
/// fsync, rename, fsync of the directory.
/// Throws Error(conflict) if the file exists and overwrite is refuse; Error(invalid_input) if the directory
/// does not exist; Error(unavailable) on an I/O error. Nothing is left behind on failure.
void write_file_atomically(const std::string& path,
                           std::string_view bytes,
                           const AtomicWriteOptions& options);

}  // namespace certfleet::core
