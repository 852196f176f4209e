#include "server/worker_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

namespace certfleet::server {
namespace {

TEST(WorkerPool, RefusesWorkBeyondItsQueueInsteadOfGrowing) {
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::promise<void> started;
    std::atomic<int> done{0};
    {
        WorkerPool pool(1, 2);
        ASSERT_TRUE(pool.try_submit([&] {
            started.set_value();
            released.wait();
            ++done;
        }));
        started.get_future().wait();  // the one worker is busy: what follows can only queue
        EXPECT_TRUE(pool.try_submit([&] { ++done; }));
        EXPECT_TRUE(pool.try_submit([&] { ++done; }));
        EXPECT_FALSE(pool.try_submit([&] { ++done; })) << "a third waiting task must be refused";
        EXPECT_EQ(pool.queued(), 2U);
        release.set_value();
    }  // the destructor runs what was queued, then joins
    EXPECT_EQ(done.load(), 3);
}

}  // namespace
}  // namespace certfleet::server
