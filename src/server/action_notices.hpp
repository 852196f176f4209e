#pragma once

#include "store/store.hpp"

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace certfleet::server {

/// Hears at once of actions another process committed for this authority's nodes (another replica, or
/// `certfleet node renew` on the CA host), so the replica holding a node's long-poll answers it within
/// milliseconds instead of at its next look at the table: a thread on the store's LISTEN connection
/// (PostgreSQL NOTIFY, sent by store::insert_node_action when its unit commits).
class ActionNotices {
public:
    /// Called on the listening thread with the nodes that have news.
    using Wake = std::function<void(std::vector<std::string> nodes)>;
    /// Called on the listening thread when notices may have been lost (the connection was opened again
    /// after PostgreSQL restarted): the caller reads the table.
    using Missed = std::function<void()>;

    /// Starts listening; returns nullptr when the store has no notifications (SQLite: the caller polls).
    /// Throws Error(unavailable) naming the host if the first LISTEN connection cannot be opened.
    static std::unique_ptr<ActionNotices> start(const store::Store& store,
                                                std::string authority,
                                                Wake wake,
                                                Missed missed);

    ActionNotices(const ActionNotices&) = delete;
    ActionNotices& operator=(const ActionNotices&) = delete;
    ActionNotices(ActionNotices&&) = delete;
    ActionNotices& operator=(ActionNotices&&) = delete;
    /// Stops the thread (within one wait, about half a second) and joins it.
    ~ActionNotices();

private:
    ActionNotices(std::unique_ptr<store::NotificationListener> listener,
                  std::string authority,
                  Wake wake,
                  Missed missed);
    void listen(const std::stop_token& stop);

    std::unique_ptr<store::NotificationListener> m_listener;
    std::string m_authority;
    Wake m_wake;
    Missed m_missed;
    std::mutex m_mutex;
    std::condition_variable_any m_stopping;
    std::jthread m_thread;  // last: stopped and joined before the members it uses go
};

}  // namespace certfleet::server
