#include "core/file.hpp"

#include "core/error.hpp"
#include "core/file_descriptor.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <iostream>
#include <random>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace certfleet::core {
namespace {

std::string errno_text() {
    return std::strerror(errno);  // NOLINT(concurrency-mt-unsafe): thread-safe in glibc >= 2.32
}

std::string read_stream(std::istream& in, const std::string& name, std::size_t max_size) {
    std::string out;
    std::array<char, 65536> buf{};
    while (in.read(buf.data(), buf.size()) || in.gcount() > 0) {
        out.append(buf.data(), static_cast<std::size_t>(in.gcount()));
        if (out.size() > max_size) {
            throw Error(
                ErrorCode::invalid_input,
                fmt::format(
                    "{}: larger than the {} MiB input limit", name, max_size / (std::size_t{1024} * 1024)));
        }
    }
    return out;
}

void write_all(int fd, std::string_view bytes, const std::string& path) {
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw Error(ErrorCode::unavailable, fmt::format("{}: write failed: {}", path, errno_text()));
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

std::string_view file_kind(mode_t mode) {
    if (S_ISFIFO(mode)) {
        return "FIFO";
    }
    if (S_ISCHR(mode)) {
        return "character device";
    }
    if (S_ISBLK(mode)) {
        return "block device";
    }
    if (S_ISSOCK(mode)) {
        return "socket";
    }
    return "special file";
}

/// Returns true if `name` is one of our temporary files: ".NAME.tmp-" and eight hex digits.
bool is_temporary_name(std::string_view name) {
    constexpr std::string_view marker = ".tmp-";
    constexpr std::size_t digits = 8;
    if (name.size() < 1 + 1 + marker.size() + digits || name.front() != '.') {
        return false;
    }
    const std::string_view tail = name.substr(name.size() - digits);
    return name.substr(name.size() - digits - marker.size(), marker.size()) == marker &&
           tail.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

/// Removes the temporary files that killed writers left in `dir` (write_file_atomically holds a lock on
/// its temporary file until it is renamed, so an unlocked one belongs to nobody). One that is younger
/// than a few seconds is left alone: a writer may have created it and not locked it yet.
void remove_stale_temporaries(const std::filesystem::path& dir) {
    constexpr auto grace = std::chrono::seconds(5);
    std::error_code ec;
    for (std::filesystem::directory_iterator it(dir, ec); !ec && it != std::filesystem::directory_iterator();
         it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (!is_temporary_name(name)) {
            continue;
        }
        const FileDescriptor fd(::open(it->path().c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
        struct stat st {};
        if (fd.get() < 0 || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) ||
            std::chrono::system_clock::now() - std::chrono::system_clock::from_time_t(st.st_mtime) < grace ||
            ::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
            continue;
        }
        ::unlink(it->path().c_str());
    }
}

// Opens `path` for reading and says what it is (`st`): a regular file, or a pipe when `options` accept
// one; anything else (a directory, a device, a socket, nothing) is refused naming the path.
FileDescriptor open_input(const std::string& path, const ReadOptions& options, struct stat& st) {
    // O_NONBLOCK: opening a FIFO must not wait for a writer (inspect FIFO used to hang); it is cleared
    // below before reading a pipe that is accepted.
    FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    if (fd.get() < 0) {
        const int err = errno;
        if (err == ENOENT || err == ENOTDIR) {
            // A file named as input that is not there is invalid input (exit 2), not "not found" (4 is for
            // what certfleet looks up): README, "Exit status".
            throw Error(ErrorCode::invalid_input, fmt::format("{}: no such file", path));
        }
        if (err == ELOOP) {
            throw Error(ErrorCode::invalid_input, fmt::format("{}: symbolic link loop", path));
        }
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: cannot open: {}", path, std::strerror(err)));  // NOLINT
    }
    if (::fstat(fd.get(), &st) != 0) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: cannot stat: {}", path, errno_text()));
    }
    const bool is_pipe = S_ISFIFO(st.st_mode);
    if (S_ISDIR(st.st_mode)) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: is a directory", path));
    }
    if (!S_ISREG(st.st_mode) && !(is_pipe && options.pipes == PipeInput::accept)) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: is not a regular file (a {})", path, file_kind(st.st_mode)));
    }
    if (is_pipe && ::fcntl(fd.get(), F_SETFL, 0) != 0) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: cannot read: {}", path, errno_text()));
    }
    return fd;
}

Error too_large(const std::string& path, std::size_t max_size) {
    constexpr std::size_t mib = std::size_t{1024} * 1024;
    return {ErrorCode::invalid_input,
            max_size >= mib ? fmt::format("{}: larger than the {} MiB input limit", path, max_size / mib)
                            : fmt::format("{}: larger than the {} byte limit", path, max_size)};
}

// Reads `fd` to its end (`size_hint`: a regular file's size, 0 for a pipe), refusing more than `max_size`
// bytes. The bytes are read straight into the result, and a small limit (a secret) is reserved whole:
// they never move to a new buffer, which would leave a copy behind in the freed one.
std::string read_descriptor(int fd, const std::string& path, std::size_t size_hint, std::size_t max_size) {
    constexpr std::size_t chunk = 65536;
    std::string out;
    out.reserve(max_size < chunk ? max_size + 1 : (size_hint > 0 ? size_hint + 1 : chunk));
    for (;;) {
        const std::size_t have = out.size();
        const std::size_t want = std::min(chunk, max_size + 1 - have);
        out.resize(have + want);
        const ssize_t n = ::read(fd, out.data() + have, want);
        if (n < 0) {
            out.resize(have);
            if (errno == EINTR) {
                continue;
            }
            throw Error(ErrorCode::invalid_input, fmt::format("{}: read failed: {}", path, errno_text()));
        }
        out.resize(have + static_cast<std::size_t>(n));
        if (n == 0) {
            return out;
        }
        if (out.size() > max_size) {
            throw too_large(path, max_size);
        }
    }
}

// The temporary file of an atomic write, before its bytes: locked until it is renamed or removed (an
// unlocked temporary file is a killed writer's), and given the mode (open() applied the umask), owner
// and group the caller asked for.
void prepare_temporary(int fd,
                       const std::string& tmp,
                       const std::string& path,
                       const AtomicWriteOptions& options) {
    if (::flock(fd, LOCK_EX) != 0) {
        throw Error(ErrorCode::unavailable, fmt::format("{}: cannot lock {}: {}", path, tmp, errno_text()));
    }
    if (::fchmod(fd, options.mode) != 0) {
        throw Error(ErrorCode::unavailable, fmt::format("{}: chmod failed: {}", path, errno_text()));
    }
    if (options.owner || options.group) {
        const uid_t uid = options.owner.value_or(static_cast<uid_t>(-1));
        const gid_t gid = options.group.value_or(static_cast<gid_t>(-1));
        if (::fchown(fd, uid, gid) != 0) {
            throw Error(ErrorCode::forbidden, fmt::format("{}: chown failed: {}", path, errno_text()));
        }
    }
}

// Puts the synced temporary file at `path`: rename() over what is there, or, when a file there must not
// be replaced, link(), which fails if the target appeared meanwhile where rename() would replace it.
void publish_temporary(const std::string& tmp, const std::string& path, Overwrite overwrite) {
    if (overwrite == Overwrite::refuse) {
        if (::link(tmp.c_str(), path.c_str()) != 0) {
            const int err = errno;
            throw Error(err == EEXIST ? ErrorCode::conflict : ErrorCode::unavailable,
                        fmt::format("{}: cannot create: {}", path, std::strerror(err)));  // NOLINT
        }
        ::unlink(tmp.c_str());
    } else if (::rename(tmp.c_str(), path.c_str()) != 0) {
        throw Error(ErrorCode::unavailable, fmt::format("{}: rename failed: {}", path, errno_text()));
    }
}

std::string temporary_name(const std::filesystem::path& target) {
    std::random_device rd;
    return (target.parent_path() / fmt::format(".{}.tmp-{:08x}", target.filename().string(), rd())).string();
}

}  // namespace

std::string read_file(const std::string& path, const ReadOptions& options) {
    if (path == "-") {
        return read_stream(std::cin, "<stdin>", options.max_size);
    }
    struct stat st {};
    const FileDescriptor fd = open_input(path, options, st);
    if (S_ISREG(st.st_mode) && static_cast<std::uintmax_t>(st.st_size) > options.max_size) {
        throw too_large(path, options.max_size);
    }
    return read_descriptor(
        fd.get(), path, S_ISREG(st.st_mode) ? static_cast<std::size_t>(st.st_size) : 0, options.max_size);
}

std::string read_file(const std::string& path, std::size_t max_size) {
    return read_file(path, ReadOptions{.max_size = max_size});
}

DirectoryListing list_files(const std::string& dir, Recursion recursion) {
    namespace fs = std::filesystem;
    DirectoryListing out;
    std::vector<fs::path> pending{dir};
    while (!pending.empty()) {
        const fs::path current = std::move(pending.back());
        pending.pop_back();
        std::error_code ec;
        fs::directory_iterator it(current, ec);
        for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
            std::error_code type_ec;
            if (!it->is_symlink(type_ec) && it->is_directory(type_ec)) {
                if (recursion == Recursion::yes) {
                    pending.push_back(it->path());
                }
                continue;
            }
            const fs::file_status target = it->status(type_ec);
            if (type_ec == std::errc::too_many_symbolic_link_levels) {
                out.unreadable.push_back({it->path().string(), "symbolic link loop"});
            } else if (!type_ec && fs::is_regular_file(target)) {
                out.files.push_back(it->path().string());
            }
        }
        if (ec) {
            out.unreadable.push_back({current.string(), fmt::format("cannot list: {}", ec.message())});
        }
    }
    std::sort(out.files.begin(), out.files.end());
    std::sort(out.unreadable.begin(), out.unreadable.end(), [](const auto& a, const auto& b) {
        return a.path < b.path;
    });
    return out;
}

void write_file_atomically(const std::string& path,
                           std::string_view bytes,
                           const AtomicWriteOptions& options) {
    const std::filesystem::path target(path);
    const auto dir = target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: directory {} does not exist", path, dir.string()));
    }
    // A device or a pipe (`--out /dev/stdout`, `/dev/null`, `>(gpg -e)`) is written to, never replaced:
    // renaming over /dev/null as root would put a regular file in its place.
    struct stat existing {};
    if (::stat(path.c_str(), &existing) == 0 && (S_ISCHR(existing.st_mode) || S_ISFIFO(existing.st_mode))) {
        const FileDescriptor out(::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY));
        if (out.get() < 0) {
            throw Error(ErrorCode::unavailable, fmt::format("{}: cannot open: {}", path, errno_text()));
        }
        write_all(out.get(), bytes, path);
        return;
    }
    if (options.overwrite == Overwrite::refuse &&
        std::filesystem::exists(std::filesystem::symlink_status(target))) {
        throw Error(ErrorCode::conflict, fmt::format("{}: already exists (use --force to replace it)", path));
    }
    remove_stale_temporaries(dir);
    const std::string tmp = temporary_name(target);
    FileDescriptor fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, options.mode));
    if (fd.get() < 0) {
        throw Error(ErrorCode::unavailable, fmt::format("{}: cannot create {}: {}", path, tmp, errno_text()));
    }
    try {
        prepare_temporary(fd.get(), tmp, path, options);
        write_all(fd.get(), bytes, path);
        if (::fsync(fd.get()) != 0) {
            throw Error(ErrorCode::unavailable, fmt::format("{}: fsync failed: {}", path, errno_text()));
        }
        publish_temporary(tmp, path, options.overwrite);
    } catch (...) {
        ::unlink(tmp.c_str());
        throw;
    }
    if (::close(fd.release()) != 0) {
        throw Error(ErrorCode::unavailable, fmt::format("{}: close failed: {}", path, errno_text()));
    }
    const FileDescriptor dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir_fd.get() >= 0) {
        ::fsync(dir_fd.get());
    }
}

}  // namespace certfleet::core
