#pragma once

#include <unistd.h>
#include <utility>

namespace certfleet::core {

/// Owns a POSIX file descriptor (a file, a directory or a socket) and closes it when it goes away.
/// A negative value owns nothing (what a failed open() returns).
class FileDescriptor {
public:
    explicit FileDescriptor(int fd) noexcept : m_fd(fd) {}
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    FileDescriptor(FileDescriptor&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
    FileDescriptor& operator=(FileDescriptor&&) = delete;
    ~FileDescriptor() {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
    }

    [[nodiscard]] int get() const noexcept { return m_fd; }
    /// Gives the descriptor up (to close it and check close()'s result, or hand it on).
    int release() noexcept { return std::exchange(m_fd, -1); }

private:
    int m_fd;
};

}  // namespace certfleet::core
