#include "acme/nonce.hpp"

#include "acme/base64url.hpp"
#include "store/store.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <set>

namespace certfleet::acme {
namespace {

const core::TimePoint t0{std::chrono::seconds{1'780'000'000}};
const core::Secret key{std::string(32, 'k')};

TEST(NonceBook, ANonceIsAcceptedOnceAndThenRefusedAsBadNonce) {
    NonceBook book(key, nullptr, {});
    const std::string nonce = book.issue(t0);
    EXPECT_FALSE(book.redeem(nonce, t0 + core::Seconds(1)).has_value());
    const auto again = book.redeem(nonce, t0 + core::Seconds(2));
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(again->type, ProblemType::bad_nonce);
    EXPECT_NE(again->detail.find("already used"), std::string::npos);
}

TEST(NonceBook, NoncesAreDistinctAndUrlSafe) {
    NonceBook book(key, nullptr, {});
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
        const std::string n = book.issue(t0);
        EXPECT_TRUE(base64url_decode(n).has_value());
        EXPECT_TRUE(seen.insert(n).second);
    }
}

TEST(NonceBook, RefusesANonceOlderThanTheLifetime) {
    NonceBook book(key, nullptr, {.lifetime = core::Seconds(300)});
    const std::string nonce = book.issue(t0);
    const auto p = book.redeem(nonce, t0 + core::Seconds(301));
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->type, ProblemType::bad_nonce);
    EXPECT_NE(p->detail.find("expired"), std::string::npos);
}

TEST(NonceBook, ReplicasSharingTheKeyAcceptEachOthersNoncesButNotForgedOnes) {
    NonceBook a(key, nullptr, {});
    NonceBook b(key, nullptr, {});
    NonceBook stranger(core::Secret(std::string(32, 'x')), nullptr, {});
    EXPECT_FALSE(b.redeem(a.issue(t0), t0).has_value());
    const auto forged = b.redeem(stranger.issue(t0), t0);
    ASSERT_TRUE(forged.has_value());
    EXPECT_EQ(forged->type, ProblemType::bad_nonce);
    // A flipped bit anywhere (here in the timestamp, to make a nonce look younger) breaks the tag.
    std::string raw = *base64url_decode(a.issue(t0));
    raw[7] = static_cast<char>(raw[7] ^ 1);
    EXPECT_TRUE(b.redeem(base64url_encode(raw), t0).has_value());
    EXPECT_TRUE(b.redeem("not-a-nonce", t0).has_value());
}

TEST(NonceBook, MemoryOfRedeemedNoncesIsPrunedOnlyOnceTheyHaveExpired) {
    NonceBook book(key, nullptr, {.lifetime = core::Seconds(60)});
    const std::string old_nonce = book.issue(t0);
    EXPECT_FALSE(book.redeem(old_nonce, t0).has_value());
    const std::string fresh = book.issue(t0 + core::Seconds(59));
    EXPECT_FALSE(book.redeem(fresh, t0 + core::Seconds(59)).has_value());
    EXPECT_TRUE(book.redeem(old_nonce, t0 + core::Seconds(60)).has_value());  // still remembered
    EXPECT_TRUE(book.redeem(fresh, t0 + core::Seconds(100)).has_value());     // remembered or expired
}

std::string fresh_store_url() {
    std::random_device random;
    const auto dir = std::filesystem::temp_directory_path() /
                     ("certfleet-acme-nonce-" + std::to_string(random()) + "-" + std::to_string(random()));
    std::filesystem::create_directories(dir);
    return "sqlite://" + (dir / "store.db").string();
}

// Two replicas on one store: the second replica refuses a nonce the first redeemed, through the table.
TEST(NonceBook, ASharedReplayTableCatchesAReplayAtAnotherReplica) {
    auto store = store::open_store(fresh_store_url());
    const core::Secret shared = nonce_key(*store);
    EXPECT_EQ(nonce_key(*store).reveal(), shared.reveal());  // created once, then read back
    NonceBook a(shared, store.get(), {.shared_replay_table = true});
    NonceBook b(shared, store.get(), {.shared_replay_table = true});
    const std::string nonce = a.issue(t0);
    EXPECT_FALSE(a.redeem(nonce, t0).has_value());
    const auto replay = b.redeem(nonce, t0 + core::Seconds(1));
    ASSERT_TRUE(replay.has_value());
    EXPECT_EQ(replay->type, ProblemType::bad_nonce);
    EXPECT_FALSE(b.redeem(b.issue(t0), t0).has_value());
}

// The shared table does not grow forever: once a lifetime a redemption deletes the rows of nonces too old
// to be accepted, and keeps the young ones (a replay of those is still caught).
TEST(NonceBook, TheSharedReplayTableForgetsNoncesOnceTheyHaveExpired) {
    auto store = store::open_store(fresh_store_url());
    const core::Secret shared = nonce_key(*store);
    const auto rows = [&] {
        return store->read([](store::Transaction& tx) {
            return tx.run("SELECT COUNT(*) FROM acme_nonces WHERE nonce <> '~epoch'").rows.at(0).integer(0);
        });
    };
    NonceBook a(shared, store.get(), {.lifetime = core::Seconds(60), .shared_replay_table = true});
    for (int i = 0; i < 5; ++i) {
        EXPECT_FALSE(a.redeem(a.issue(t0), t0).has_value());
    }
    EXPECT_EQ(rows(), 5);  // a pruned at its first redemption, when nothing was old
    const std::string young = a.issue(t0 + core::Seconds(100));
    EXPECT_FALSE(a.redeem(young, t0 + core::Seconds(100)).has_value());
    EXPECT_EQ(rows(), 1) << "the five nonces issued at t0 are past their lifetime at t0 + 100 s";
    NonceBook b(shared, store.get(), {.lifetime = core::Seconds(60), .shared_replay_table = true});
    EXPECT_FALSE(b.redeem(b.issue(t0 + core::Seconds(130)), t0 + core::Seconds(130)).has_value());
    EXPECT_EQ(rows(), 2);
    EXPECT_TRUE(b.redeem(young, t0 + core::Seconds(131)).has_value())
        << "a young nonce is still refused twice";
}

}  // namespace
}  // namespace certfleet::acme
