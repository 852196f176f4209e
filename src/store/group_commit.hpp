#pragma once

#include "store/transaction.hpp"

#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <vector>

namespace certfleet::store {

/// One unit of work waiting for a commit.
struct PendingUnit {
    const UnitOfWork* unit = nullptr;
    std::exception_ptr error;  ///< set by the batch when this unit failed (its savepoint was rolled back)
    bool done = false;
};

/// Group commit: concurrent units share one transaction and one sync. The first caller to find no
/// commit running becomes the leader, takes everything queued into one batch, commits it and wakes the
/// others; nobody returns before the commit holding its unit has completed.
class GroupCommit {
public:
    /// Commits one batch; records per-unit failures in PendingUnit::error and does not throw.
    using BatchCommitter = std::function<void(const std::vector<PendingUnit*>&)>;

    /// Returns once `pending` is committed; rethrows its error if its unit failed.
    void submit(PendingUnit& pending, const BatchCommitter& commit_batch);

private:
    std::mutex m_mutex;
    std::condition_variable m_committed;
    std::vector<PendingUnit*> m_queue;
    bool m_committing = false;
};

}  // namespace certfleet::store
