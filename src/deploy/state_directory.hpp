#pragma once

#include "deploy/journal.hpp"

#include <optional>
#include <string>
#include <vector>

namespace certfleet::deploy {

/// Returns the state directory: $CERTFLEET_STATE_DIR, else /var/lib/certfleet for root, else
/// ~/.local/state/certfleet (the store's default lives there too).
std::string default_state_directory();

/// An exclusive flock(2) on a lock file, released when this goes away (or the process dies, which is
/// how recovery knows a journal's holder is gone).
class FileLock {
public:
    /// Takes the lock without waiting; std::nullopt if another process holds it. The lock file is made
    /// 0600 and records `holder` (shown to whoever finds it taken). Throws Error(unavailable).
    static std::optional<FileLock> try_acquire(const std::string& path, const std::string& holder);
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;
    FileLock(FileLock&& other) noexcept;
    FileLock& operator=(FileLock&&) = delete;
    ~FileLock();

private:
    explicit FileLock(int fd) : m_fd(fd) {}
    int m_fd;
};

/// Returns who holds the lock file at `path`, as recorded ("" if unknown).
std::string lock_holder(const std::string& path);

/// Where deployments keep their journals, locks and (by default) backups:
/// STATE/deployments/ID.json and ID.lock, STATE/locks/HASH.lock (one per target path, kept out of
/// service directories), STATE/backups/ID/<absolute path of each target>.
class StateDirectory {
public:
    /// Creates the directories (0700) if needed. Throws Error(unavailable) naming the path.
    explicit StateDirectory(std::string path);
    [[nodiscard]] const std::string& path() const noexcept { return m_path; }
    [[nodiscard]] std::string journal_path(const std::string& id) const;
    [[nodiscard]] std::string journal_lock_path(const std::string& id) const;
    [[nodiscard]] std::string target_lock_path(const std::string& target) const;
    [[nodiscard]] std::string default_backup_directory() const;
    /// Returns every journal, oldest first. A journal that cannot be parsed is skipped with a
    /// warning in `problems`.
    [[nodiscard]] std::vector<Journal> journals(std::vector<std::string>* problems = nullptr) const;
    /// Returns the journal `id`. Throws Error(not_found).
    [[nodiscard]] Journal journal(const std::string& id) const;

private:
    std::string m_path;
};

}  // namespace certfleet::deploy
