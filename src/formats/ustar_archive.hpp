#pragma once

#include "core/clock.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace certfleet::formats {

/// One regular file of a tar archive. `name` is a plain file name (no directory), `mode` its
/// permission bits (at most 0777).
struct ArchiveMember {
    std::string name;
    std::string content;
    mode_t mode = 0600;
};

/// What the writer puts in every header besides the member itself.
struct UstarWriteOptions {
    core::TimePoint mtime;  ///< every member's modification time
};

/// Limits of the reader: an archive is refused, not truncated, beyond them.
struct UstarLimits {
    std::size_t max_members = 16;
    std::size_t max_member_size = std::size_t{1024} * 1024;
};

/// Returns the POSIX ustar archive (POSIX.1-2001 "ustar" format, 512-byte blocks) of `members`, in
/// order: owner 0/0, the given mode, ended by two zero blocks.
/// Throws Error(invalid_input) naming the member and field: a name that is empty, longer than 100
/// bytes, ".", "..", or holds '/' or a control character; a mode beyond 0777; two members of one name.
std::string write_ustar_archive(const std::vector<ArchiveMember>& members, const UstarWriteOptions& options);

/// Reads a tar archive of regular files: POSIX ustar, or GNU tar's default format when it holds only
/// what ustar can say (`tar -cf` of small files). Strict: every header's checksum, magic, octal fields
/// and type are checked; anything but a regular file (directory, link, symlink, device, GNU long name,
/// pax header) is refused, as are a name that is not a plain file name (absolute, "..", a directory),
/// a mode beyond 0777, a member of the same name twice, a size beyond the end of the archive or
/// `limits`, and a truncated archive. Throws Error(invalid_input) naming `source`, the member (index
/// and name) and the field.
std::vector<ArchiveMember> read_ustar_archive(std::string_view archive,
                                              std::string_view source,
                                              const UstarLimits& limits = {});

}  // namespace certfleet::formats
