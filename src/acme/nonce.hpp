#pragma once

#include "acme/problem.hpp"
#include "core/clock.hpp"
#include "core/duration.hpp"
#include "core/secret.hpp"
#include "store/store.hpp"

#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

namespace certfleet::acme {

/// How long a nonce is accepted after it was issued, and whether replicas share a replay table.
struct NonceOptions {
    core::Seconds lifetime{300};  ///< RFC 8555 leaves it to the server; certbot uses one within seconds
    /// Also record each redeemed nonce in the store's acme_nonces table, so a nonce redeemed at one
    /// replica is refused at every other (PostgreSQL, where the table is UNLOGGED: no WAL, no fsync).
    /// Off for SQLite, which serves from one process only.
    bool shared_replay_table = false;
};

/// Replay-Nonce values (RFC 8555 6.5) that cost no database write to issue and no fsync to redeem.
///
/// A nonce is base64url(issued_at (8 bytes, big-endian Unix seconds) || 12 random bytes || the first 16
/// bytes of HMAC-SHA-256 over both under a key every replica shares). So any replica can tell a nonce one
/// of them issued from a forged or damaged one, and how old it is, without looking anything up. Single
/// use: every redeemed nonce is remembered until it is older than the lifetime (after which its timestamp
/// refuses it anyway) in memory, which catches a replay at the same replica at no cost, and, with
/// shared_replay_table, in the store (store/acme_records.hpp: record_nonce_use), which catches a replay
/// at another replica. Thread-safe.
class NonceBook {
public:
    /// Uses `key` (see nonce_key) for the HMAC; `store` for the shared replay table when enabled.
    NonceBook(core::Secret key, store::Store* store, NonceOptions options);

    /// Returns a fresh nonce issued at `now`.
    [[nodiscard]] std::string issue(core::TimePoint now) const;
    /// Redeems `nonce` once. Returns badNonce (the route answers it with a fresh nonce) when the nonce is
    /// not one of ours, older than the lifetime, from the future, or already redeemed; nullopt when it is
    /// accepted. Throws Error(unavailable) if the shared replay table cannot be reached.
    std::optional<Problem> redeem(std::string_view nonce, core::TimePoint now);

private:
    [[nodiscard]] std::string tag(std::string_view body) const;
    void forget_expired(core::TimePoint now);

    core::Secret m_key;
    store::Store* m_store;
    NonceOptions m_options;
    std::mutex m_mutex;
    std::unordered_set<std::string> m_redeemed;
    std::deque<std::pair<core::TimePoint, std::string>> m_by_age;  // issued_at order
    core::TimePoint m_table_pruned_at{};  // when this replica last cleared the shared table's old rows
};

/// Returns the HMAC key every replica sharing `store` uses for nonces: the setting "acme_nonce_key",
/// created with 32 random bytes by whichever replica needs it first (a second creator loses the insert
/// race and reads the winner's).
core::Secret nonce_key(store::Store& store);

}  // namespace certfleet::acme
