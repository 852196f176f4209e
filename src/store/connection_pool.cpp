#include "store/connection_pool.hpp"

namespace certfleet::store {

ConnectionLease::~ConnectionLease() {
    if (m_pool != nullptr && m_connection) {
        m_pool->give_back(std::move(m_connection));
    }
}

ConnectionLease ConnectionPool::lease() {
    std::unique_lock lock(m_mutex);
    m_returned.wait(lock, [this] { return !m_idle.empty() || m_open < m_size; });
    if (!m_idle.empty()) {
        std::unique_ptr<SqlConnection> connection = std::move(m_idle.back());
        m_idle.pop_back();
        lock.unlock();
        if (!connection->is_healthy()) {
            try {
                connection->reconnect();
            } catch (...) {
                const std::lock_guard relock(m_mutex);
                --m_open;
                m_returned.notify_one();
                throw;
            }
        }
        return {*this, std::move(connection)};
    }
    ++m_open;
    lock.unlock();
    try {
        return {*this, m_connect()};
    } catch (...) {
        const std::lock_guard relock(m_mutex);
        --m_open;
        m_returned.notify_one();
        throw;
    }
}

void ConnectionPool::give_back(std::unique_ptr<SqlConnection> connection) noexcept {
    const std::lock_guard lock(m_mutex);
    if (connection->is_healthy()) {
        m_idle.push_back(std::move(connection));
    } else {
        --m_open;  // a broken connection is closed; the next lease opens a new one
    }
    m_returned.notify_one();
}

}  // namespace certfleet::store
