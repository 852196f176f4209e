#pragma once

#include "core/error.hpp"
#include "store/store.hpp"

#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <vector>

namespace certfleet::store {

/// One certificate waiting for a commit.
struct PendingInsert {
    const CertificateRecord* certificate = nullptr;
    const Actor* actor = nullptr;
    std::exception_ptr error;  ///< set by the batch when this insert failed (e.g. Error(conflict))
    bool done = false;
};

/// Group commit: concurrent inserts share one transaction and one sync. The first caller to find no
/// commit running becomes the leader, takes everything queued into one batch, commits it and wakes the
/// others; nobody returns before the commit holding its certificate has completed.
class GroupCommit {
public:
    /// Commits one batch; must record per-item failures in PendingInsert::error and not throw.
    using BatchCommitter = std::function<void(const std::vector<PendingInsert*>&)>;

    /// Returns once `pending` is committed; rethrows its error if its insert failed.
    void submit(PendingInsert& pending, const BatchCommitter& commit_batch);

private:
    std::mutex m_mutex;
    std::condition_variable m_committed;
    std::vector<PendingInsert*> m_queue;
    bool m_committing = false;
};

/// Records one batch in one transaction and never throws, the same way for every back end.
/// `transaction(insert_each)` opens the store's transaction, calls `insert_each(insert)` and commits;
/// `insert_each` calls `insert(pending)` for every item. An Error(conflict) (a serial already taken) fails
/// that item only; any other failure aborts the transaction, and every item not already failed gets it.
template <class Transaction>
void record_batch(const std::vector<PendingInsert*>& batch, Transaction&& transaction) noexcept {
    try {
        transaction([&batch](auto&& insert) {
            for (PendingInsert* pending : batch) {
                try {
                    insert(*pending);
                } catch (const core::Error& e) {
                    if (e.code() != core::ErrorCode::conflict) {
                        throw;
                    }
                    pending->error = std::current_exception();
                }
            }
        });
    } catch (...) {
        for (PendingInsert* pending : batch) {
            if (!pending->error) {
                pending->error = std::current_exception();
            }
        }
    }
}

}  // namespace certfleet::store
