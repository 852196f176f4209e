#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace certfleet::server {

/// The long-polls held open right now, by key (a node's name), so that news for a node (an action queued
/// for it) answers its poll at once. Used on the server's I/O thread only: no locking.
class PollRegistry {
public:
    using Wake = std::function<void()>;

    /// Holds a poll under `key` until wake(key) calls `wake` or release(id) forgets it. Returns its id.
    std::uint64_t hold(const std::string& key, Wake wake);
    /// Forgets the poll `id` (its wait ran out); nothing if it was already woken.
    void release(std::uint64_t id);
    /// Calls and forgets every poll held under `key`.
    void wake(const std::string& key);
    /// Returns the keys with a poll held, each once.
    [[nodiscard]] std::vector<std::string> keys() const;
    /// Returns how many polls are held.
    [[nodiscard]] std::size_t size() const noexcept { return m_polls.size(); }

private:
    struct Poll {
        std::string key;
        Wake wake;
    };
    std::map<std::uint64_t, Poll> m_polls;
    std::uint64_t m_next = 1;
};

}  // namespace certfleet::server
