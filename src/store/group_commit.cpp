#include "store/group_commit.hpp"

namespace certfleet::store {

void GroupCommit::submit(PendingUnit& pending, const BatchCommitter& commit_batch) {
    std::unique_lock lock(m_mutex);
    m_queue.push_back(&pending);
    while (!pending.done) {
        if (m_committing) {
            m_committed.wait(lock);
            continue;
        }
        m_committing = true;
        std::vector<PendingUnit*> batch;
        batch.swap(m_queue);
        lock.unlock();
        commit_batch(batch);
        lock.lock();
        for (PendingUnit* p : batch) {
            p->done = true;
        }
        m_committing = false;
        m_committed.notify_all();
    }
    if (pending.error) {
        std::rethrow_exception(pending.error);
    }
}

}  // namespace certfleet::store
