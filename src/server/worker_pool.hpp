#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace certfleet::server {

/// A fixed set of threads for the CPU- and disk-bound work of requests (CSR checks, signing, store
/// commits), with a bounded queue: when it is full, try_submit refuses and the caller answers 503 with
/// Retry-After instead of letting latency grow without bound (back-pressure).
class WorkerPool {
public:
    /// Starts `threads` workers; at most `queue_limit` tasks wait beyond those running.
    WorkerPool(std::size_t threads, std::size_t queue_limit);
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;
    WorkerPool(WorkerPool&&) = delete;
    WorkerPool& operator=(WorkerPool&&) = delete;
    /// Runs the queued tasks, then joins the workers.
    ~WorkerPool();

    /// Queues `task`; returns false (and drops it) when the queue is full or the pool is stopping.
    /// Tasks must not throw.
    [[nodiscard]] bool try_submit(std::function<void()> task);

    /// Returns the number of tasks waiting (not running).
    [[nodiscard]] std::size_t queued() const;

private:
    void run();

    mutable std::mutex m_mutex;
    std::condition_variable m_ready;
    std::deque<std::function<void()>> m_tasks;
    std::size_t m_queue_limit;
    bool m_stopping = false;
    std::vector<std::thread> m_threads;
};

}  // namespace certfleet::server
