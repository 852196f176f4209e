#include "core/file.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <iostream>
#include <random>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace certfleet::core {
namespace {

std::string errno_text() {
    return std::strerror(errno);  // NOLINT(concurrency-mt-unsafe): thread-safe in glibc >= 2.32
}

// Owns a POSIX file descriptor.
class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : m_fd(fd) {}
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    FileDescriptor(FileDescriptor&&) = delete;
    FileDescriptor& operator=(FileDescriptor&&) = delete;
    ~FileDescriptor() {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
    }
    [[nodiscard]] int get() const noexcept { return m_fd; }
    int release() noexcept { return std::exchange(m_fd, -1); }

private:
    int m_fd;
};

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

std::string temporary_name(const std::filesystem::path& target) {
    std::random_device rd;
    return (target.parent_path() / fmt::format(".{}.tmp-{:08x}", target.filename().string(), rd())).string();
}

}  // namespace

std::string read_file(const std::string& path, std::size_t max_size) {
    if (path == "-") {
        return read_stream(std::cin, "<stdin>", max_size);
    }
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status)) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: no such file", path));
    }
    if (std::filesystem::is_directory(status)) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: is a directory", path));
    }
    const FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: cannot open: {}", path, errno_text()));
    }
    std::string out;
    std::array<char, 65536> buf{};
    for (;;) {
        const ssize_t n = ::read(fd.get(), buf.data(), buf.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw Error(ErrorCode::invalid_input, fmt::format("{}: read failed: {}", path, errno_text()));
        }
        if (n == 0) {
            break;
        }
        out.append(buf.data(), static_cast<std::size_t>(n));
        if (out.size() > max_size) {
            throw Error(
                ErrorCode::invalid_input,
                fmt::format(
                    "{}: larger than the {} MiB input limit", path, max_size / (std::size_t{1024} * 1024)));
        }
    }
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
    if (options.overwrite == Overwrite::refuse &&
        std::filesystem::exists(std::filesystem::symlink_status(target))) {
        throw Error(ErrorCode::conflict, fmt::format("{}: already exists (use --force to replace it)", path));
    }
    const std::string tmp = temporary_name(target);
    FileDescriptor fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, options.mode));
    if (fd.get() < 0) {
        throw Error(ErrorCode::unavailable, fmt::format("{}: cannot create {}: {}", path, tmp, errno_text()));
    }
    try {
        // open() applies the umask; the mode the caller asked for is the mode the file gets.
        if (::fchmod(fd.get(), options.mode) != 0) {
            throw Error(ErrorCode::unavailable, fmt::format("{}: chmod failed: {}", path, errno_text()));
        }
        if (options.owner || options.group) {
            const uid_t uid = options.owner.value_or(static_cast<uid_t>(-1));
            const gid_t gid = options.group.value_or(static_cast<gid_t>(-1));
            if (::fchown(fd.get(), uid, gid) != 0) {
                throw Error(ErrorCode::forbidden, fmt::format("{}: chown failed: {}", path, errno_text()));
            }
        }
        write_all(fd.get(), bytes, path);
        if (::fsync(fd.get()) != 0) {
            throw Error(ErrorCode::unavailable, fmt::format("{}: fsync failed: {}", path, errno_text()));
        }
        if (::close(fd.release()) != 0) {
            throw Error(ErrorCode::unavailable, fmt::format("{}: close failed: {}", path, errno_text()));
        }
        if (options.overwrite == Overwrite::refuse) {
            // link() fails if the target appeared meanwhile, where rename() would silently replace it.
            if (::link(tmp.c_str(), path.c_str()) != 0) {
                const int err = errno;
                throw Error(err == EEXIST ? ErrorCode::conflict : ErrorCode::unavailable,
                            fmt::format("{}: cannot create: {}", path, std::strerror(err)));  // NOLINT
            }
            ::unlink(tmp.c_str());
        } else if (::rename(tmp.c_str(), path.c_str()) != 0) {
            throw Error(ErrorCode::unavailable, fmt::format("{}: rename failed: {}", path, errno_text()));
        }
    } catch (...) {
        ::unlink(tmp.c_str());
        throw;
    }
    const FileDescriptor dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir_fd.get() >= 0) {
        ::fsync(dir_fd.get());
    }
}

}  // namespace certfleet::core
