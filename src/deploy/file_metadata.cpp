#include "deploy/file_metadata.hpp"

#include "core/error.hpp"
#include "core/file_descriptor.hpp"

#include <fmt/format.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

namespace certfleet::deploy {
namespace {

using core::FileDescriptor;

using core::Error;
using core::ErrorCode;

/// Whether fsetxattr failed because the filesystem or kernel refuses the attribute.
bool attribute_refused(int err) {
    // ENOTSUP and EOPNOTSUPP are one value on Linux, not on every POSIX system.
    // NOLINTNEXTLINE(misc-redundant-expression)
    return err == ENOTSUP || err == EOPNOTSUPP || err == EPERM || err == EACCES;
}

std::string errno_text(int err) {
    return std::strerror(err);  // NOLINT(concurrency-mt-unsafe): messages only
}

std::vector<std::pair<std::string, std::string>> read_attributes(const std::string& path) {
    std::vector<std::pair<std::string, std::string>> out;
    const ssize_t size = ::listxattr(path.c_str(), nullptr, 0);
    if (size <= 0) {
        return out;
    }
    std::string names(static_cast<std::size_t>(size), '\0');
    const ssize_t got = ::listxattr(path.c_str(), names.data(), names.size());
    if (got <= 0) {
        return out;
    }
    names.resize(static_cast<std::size_t>(got));
    for (std::size_t start = 0; start < names.size();) {
        const std::string name(names.c_str() + start);
        start += name.size() + 1;
        const ssize_t length = ::getxattr(path.c_str(), name.c_str(), nullptr, 0);
        if (length < 0) {
            continue;
        }
        std::string value(static_cast<std::size_t>(length), '\0');
        const ssize_t read = ::getxattr(path.c_str(), name.c_str(), value.data(), value.size());
        if (read >= 0) {
            value.resize(static_cast<std::size_t>(read));
            out.emplace_back(name, std::move(value));
        }
    }
    return out;
}

}  // namespace

std::optional<FileMetadata> read_metadata(const std::string& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) {
            return std::nullopt;
        }
        throw Error(ErrorCode::unavailable, fmt::format("{}: cannot stat: {}", path, errno_text(errno)));
    }
    if (!S_ISREG(st.st_mode)) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: not a regular file (a symlink or directory is not replaced)", path));
    }
    return FileMetadata{.ownership = {.owner = st.st_uid, .group = st.st_gid, .mode = st.st_mode & 07777U},
                        .modified = st.st_mtim,
                        .attributes = read_attributes(path)};
}

void create_file(const std::string& path,
                 std::string_view bytes,
                 const FileOwnership& ownership,
                 const FileMetadata* metadata,
                 bool keep_time) {
    // Created 0600 first: nobody else may read a key before its owner and mode are set.
    FileDescriptor fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (fd.get() < 0) {
        throw Error(ErrorCode::unavailable, fmt::format("{}: cannot create: {}", path, errno_text(errno)));
    }
    try {
        if (::fchown(fd.get(), ownership.owner, ownership.group) != 0) {
            throw Error(ErrorCode::forbidden,
                        fmt::format("{}: cannot set owner {}:{}: {}",
                                    path,
                                    ownership.owner,
                                    ownership.group,
                                    errno_text(errno)));
        }
        if (::fchmod(fd.get(), ownership.mode) != 0) {
            throw Error(ErrorCode::unavailable, fmt::format("{}: chmod failed: {}", path, errno_text(errno)));
        }
        if (metadata != nullptr) {
            for (const auto& [name, value] : metadata->attributes) {
                // An attribute the filesystem or kernel refuses (SELinux off) is not a reason to stop.
                if (::fsetxattr(fd.get(), name.c_str(), value.data(), value.size(), 0) != 0 &&
                    !attribute_refused(errno)) {
                    throw Error(
                        ErrorCode::unavailable,
                        fmt::format("{}: cannot set attribute {}: {}", path, name, errno_text(errno)));
                }
            }
        }
        while (!bytes.empty()) {
            const ssize_t n = ::write(fd.get(), bytes.data(), bytes.size());
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n < 0) {
                throw Error(ErrorCode::unavailable,
                            fmt::format("{}: write failed: {}", path, errno_text(errno)));
            }
            bytes.remove_prefix(static_cast<std::size_t>(n));
        }
        if (keep_time && metadata != nullptr) {
            const std::array<timespec, 2> times{metadata->modified, metadata->modified};
            ::futimens(fd.get(), times.data());
        }
        if (::fsync(fd.get()) != 0) {
            throw Error(ErrorCode::unavailable, fmt::format("{}: fsync failed: {}", path, errno_text(errno)));
        }
        if (::close(fd.release()) != 0) {
            throw Error(ErrorCode::unavailable, fmt::format("{}: close failed: {}", path, errno_text(errno)));
        }
    } catch (...) {
        ::unlink(path.c_str());
        throw;
    }
}

void sync_directory(const std::string& path) {
    const FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0 || ::fsync(fd.get()) != 0) {
        throw Error(ErrorCode::unavailable,
                    fmt::format("{}: cannot sync the directory: {}", path, errno_text(errno)));
    }
}

void make_private_directories(const std::string& path) {
    namespace fs = std::filesystem;
    fs::path built;
    for (const fs::path& part : fs::path(path)) {
        built /= part;
        if (::mkdir(built.c_str(), 0700) != 0 && errno != EEXIST) {
            throw Error(ErrorCode::unavailable,
                        fmt::format("{}: cannot create directory: {}", built.string(), errno_text(errno)));
        }
    }
}

void rename_file(const std::string& from, const std::string& to) {
    if (::rename(from.c_str(), to.c_str()) != 0) {
        throw Error(ErrorCode::unavailable, fmt::format("{}: cannot replace: {}", to, errno_text(errno)));
    }
}

void remove_file(const std::string& path) {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
        throw Error(ErrorCode::unavailable, fmt::format("{}: cannot remove: {}", path, errno_text(errno)));
    }
}

}  // namespace certfleet::deploy
