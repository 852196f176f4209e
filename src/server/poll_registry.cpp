#include "server/poll_registry.hpp"

#include <algorithm>

namespace certfleet::server {

std::uint64_t PollRegistry::hold(const std::string& key, Wake wake) {
    const std::uint64_t id = m_next++;
    m_polls.emplace(id, Poll{key, std::move(wake)});
    return id;
}

void PollRegistry::release(std::uint64_t id) {
    m_polls.erase(id);
}

void PollRegistry::wake(const std::string& key) {
    std::vector<Wake> woken;
    for (auto it = m_polls.begin(); it != m_polls.end();) {
        if (it->second.key == key) {
            woken.push_back(std::move(it->second.wake));
            it = m_polls.erase(it);
        } else {
            ++it;
        }
    }
    for (const Wake& w : woken) {  // after erasing: a woken poll may hold again
        w();
    }
}

std::vector<std::string> PollRegistry::keys() const {
    std::vector<std::string> keys;
    for (const auto& [id, poll] : m_polls) {
        keys.push_back(poll.key);
    }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    return keys;
}

}  // namespace certfleet::server
