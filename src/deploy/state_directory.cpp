#include "deploy/state_directory.hpp"

#include "core/error.hpp"
#include "core/file.hpp"
#include "deploy/file_metadata.hpp"
#include "pki/fingerprint.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/file.h>
#include <unistd.h>

namespace certfleet::deploy {

std::string default_state_directory() {
    if (const char* dir = std::getenv("CERTFLEET_STATE_DIR"); dir != nullptr && *dir != '\0') {  // NOLINT
        return dir;
    }
    if (::geteuid() == 0) {
        return "/var/lib/certfleet";
    }
    const char* home = std::getenv("HOME");  // NOLINT(concurrency-mt-unsafe)
    return fmt::format("{}/.local/state/certfleet", home != nullptr ? home : ".");
}

std::optional<FileLock> FileLock::try_acquire(const std::string& path, const std::string& holder) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        throw core::Error(core::ErrorCode::unavailable,
                          fmt::format("{}: cannot open the lock: {}", path, std::strerror(errno)));  // NOLINT
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd);
        return std::nullopt;
    }
    const std::string text = holder + "\n";
    if (::ftruncate(fd, 0) == 0) {
        static_cast<void>(::pwrite(fd, text.data(), text.size(), 0));
    }
    return FileLock(fd);
}

FileLock::FileLock(FileLock&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}

FileLock::~FileLock() {
    if (m_fd >= 0) {
        ::close(m_fd);  // releases the flock
    }
}

std::string lock_holder(const std::string& path) {
    try {
        std::string text = core::read_file(path, 4096);
        while (!text.empty() && text.back() == '\n') {
            text.pop_back();
        }
        return text;
    } catch (const core::Error&) {
        return {};
    }
}

StateDirectory::StateDirectory(std::string path) : m_path(std::move(path)) {
    m_path = std::filesystem::absolute(m_path).lexically_normal().string();
    for (const char* sub : {"deployments", "locks"}) {
        make_private_directories(m_path + "/" + sub);
    }
}

std::string StateDirectory::journal_path(const std::string& id) const {
    return fmt::format("{}/deployments/{}.json", m_path, id);
}

std::string StateDirectory::journal_lock_path(const std::string& id) const {
    return fmt::format("{}/deployments/{}.lock", m_path, id);
}

std::string StateDirectory::target_lock_path(const std::string& target) const {
    const pki::Bytes hash = pki::digest(
        pki::DigestAlgorithm::sha256, reinterpret_cast<const unsigned char*>(target.data()), target.size());
    std::string hex;
    for (std::size_t i = 0; i < 16; ++i) {
        hex += fmt::format("{:02x}", hash[i]);
    }
    return fmt::format("{}/locks/{}.lock", m_path, hex);
}

std::string StateDirectory::default_backup_directory() const {
    return m_path + "/backups";
}

std::vector<Journal> StateDirectory::journals(std::vector<std::string>* problems) const {
    std::vector<std::string> paths;
    for (const auto& entry : std::filesystem::directory_iterator(m_path + "/deployments")) {
        if (entry.path().extension() == ".json") {
            paths.push_back(entry.path().string());
        }
    }
    std::sort(paths.begin(), paths.end());  // ids start with their UTC time
    std::vector<Journal> out;
    for (const std::string& path : paths) {
        try {
            out.push_back(parse_journal(core::read_file(path), path));
        } catch (const core::Error& e) {
            if (problems != nullptr) {
                problems->emplace_back(e.what());
            }
        }
    }
    return out;
}

Journal StateDirectory::journal(const std::string& id) const {
    const std::string path = journal_path(id);
    std::error_code ec;
    if (id.empty() || id.find('/') != std::string::npos || !std::filesystem::exists(path, ec)) {
        throw core::Error(core::ErrorCode::not_found, fmt::format("no deployment \"{}\" in {}", id, m_path));
    }
    return parse_journal(core::read_file(path), path);
}

}  // namespace certfleet::deploy
