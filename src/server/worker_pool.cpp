#include "server/worker_pool.hpp"

namespace certfleet::server {

WorkerPool::WorkerPool(std::size_t threads, std::size_t queue_limit) : m_queue_limit(queue_limit) {
    m_threads.reserve(threads);
    for (std::size_t i = 0; i < threads; ++i) {
        m_threads.emplace_back([this] { run(); });
    }
}

WorkerPool::~WorkerPool() {
    {
        const std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_ready.notify_all();
    for (auto& thread : m_threads) {
        thread.join();
    }
}

bool WorkerPool::try_submit(std::function<void()> task) {
    {
        const std::lock_guard lock(m_mutex);
        if (m_stopping || m_tasks.size() >= m_queue_limit) {
            return false;
        }
        m_tasks.push_back(std::move(task));
    }
    m_ready.notify_one();
    return true;
}

std::size_t WorkerPool::queued() const {
    const std::lock_guard lock(m_mutex);
    return m_tasks.size();
}

void WorkerPool::run() {
    for (;;) {
        std::function<void()> task;
        {
            std::unique_lock lock(m_mutex);
            m_ready.wait(lock, [this] { return m_stopping || !m_tasks.empty(); });
            if (m_tasks.empty()) {
                return;  // stopping, and everything queued has run
            }
            task = std::move(m_tasks.front());
            m_tasks.pop_front();
        }
        task();
    }
}

}  // namespace certfleet::server
