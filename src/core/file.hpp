#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace certfleet::core {

/// The largest input file certfleet reads whole (certificates, bundles and keystores are far smaller).
inline constexpr std::size_t max_input_file_size = 64UL * 1024 * 1024;

/// Which files a read accepts besides regular files.
enum class PipeInput {
    refuse,  ///< a FIFO or pipe is refused (reading one may block forever)
    accept,  ///< a FIFO or pipe (`<(command)`) is read up to the size limit; one with no writer reads empty
};

/// What read_file accepts.
struct ReadOptions {
    std::size_t max_size = max_input_file_size;
    PipeInput pipes = PipeInput::refuse;
};

/// Returns the bytes of `path` ("-" reads standard input, whatever it is). Only regular files are read
/// (and pipes when `options.pipes` says so); the buffer is reserved up front when the limit is small,
/// so a secret is never left behind in a freed buffer.
/// Throws Error(not_found) if it does not exist; Error(invalid_input) naming the file if it is a
/// directory, a device, a socket or FIFO, a symbolic link loop, unreadable, or larger than max_size.
std::string read_file(const std::string& path, const ReadOptions& options);

/// Returns the bytes of the regular file `path` ("-" reads standard input). Throws as above.
std::string read_file(const std::string& path, std::size_t max_size = max_input_file_size);

/// A path a directory walk could not read, and why ("cannot list: Permission denied", "symbolic link loop").
struct UnreadablePath {
    std::string path;
    std::string reason;
};

/// What a directory walk found.
struct DirectoryListing {
    std::vector<std::string> files;          ///< regular files (and symbolic links to them), sorted
    std::vector<UnreadablePath> unreadable;  ///< directories that cannot be listed, link loops; sorted
};

/// Whether a walk descends into subdirectories.
enum class Recursion { no, yes };

/// Returns the regular files in `dir`, and under its subdirectories when `recursion` is yes. Symbolic
/// links to directories are not followed (find(1) without -L); dangling links are not files. Nothing
/// is skipped silently: an unlistable directory or a link loop is in `unreadable`, so a report can
/// count it (an expiry check that silently read nothing would say all is well).
DirectoryListing list_files(const std::string& dir, Recursion recursion);

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
