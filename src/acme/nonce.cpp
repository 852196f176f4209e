#include "acme/nonce.hpp"

#include "acme/base64url.hpp"
#include "core/error.hpp"
#include "pki/openssl_handles.hpp"
#include "store/acme_records.hpp"
#include "store/record_codec.hpp"
#include "store/store_settings.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>

namespace certfleet::acme {
namespace {

constexpr std::size_t time_size = 8;
constexpr std::size_t random_size = 12;
constexpr std::size_t tag_size = 16;
constexpr std::size_t nonce_size = time_size + random_size + tag_size;

std::string random_bytes(std::size_t n) {
    std::string out(n, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
        pki::throw_openssl_error(core::ErrorCode::internal, "nonce: RAND_bytes failed");
    }
    return out;
}

Problem bad_nonce(std::string detail) {
    return {.type = ProblemType::bad_nonce, .detail = std::move(detail)};
}

}  // namespace

NonceBook::NonceBook(core::Secret key, store::Store* store, NonceOptions options)
    : m_key(std::move(key)), m_store(store), m_options(options) {
    if (m_key.reveal().size() < 16) {
        throw core::Error(core::ErrorCode::invalid_input, "acme nonce key: at least 16 bytes are required");
    }
    if (m_options.shared_replay_table && m_store == nullptr) {
        throw core::Error(core::ErrorCode::invalid_input, "acme nonces: a shared replay table needs a store");
    }
}

std::string NonceBook::tag(std::string_view body) const {
    std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
    std::size_t size = 0;
    if (EVP_Q_mac(nullptr,
                  "HMAC",
                  nullptr,
                  "SHA256",
                  nullptr,
                  m_key.reveal().data(),
                  m_key.reveal().size(),
                  reinterpret_cast<const unsigned char*>(body.data()),
                  body.size(),
                  mac.data(),
                  mac.size(),
                  &size) == nullptr) {
        pki::throw_openssl_error(core::ErrorCode::internal, "nonce: HMAC failed");
    }
    return {reinterpret_cast<const char*>(mac.data()), tag_size};
}

std::string NonceBook::issue(core::TimePoint now) const {
    const auto seconds = static_cast<std::uint64_t>(store::to_unix_seconds(now));
    std::string body(time_size, '\0');
    for (std::size_t i = 0; i < time_size; ++i) {
        body[i] = static_cast<char>((seconds >> (8 * (time_size - 1 - i))) & 0xffU);
    }
    body += random_bytes(random_size);
    return base64url_encode(body + tag(body));
}

std::optional<Problem> NonceBook::redeem(std::string_view nonce, core::TimePoint now) {
    const auto raw = base64url_decode(nonce);
    if (!raw || raw->size() != nonce_size) {
        return bad_nonce("JWS protected header: \"nonce\" is not a nonce this server issued");
    }
    const std::string_view body = std::string_view(*raw).substr(0, time_size + random_size);
    const std::string expected = tag(body);
    if (CRYPTO_memcmp(expected.data(), raw->data() + time_size + random_size, tag_size) != 0) {
        return bad_nonce("JWS protected header: \"nonce\" is not a nonce this server issued");
    }
    std::uint64_t seconds = 0;
    for (std::size_t i = 0; i < time_size; ++i) {
        seconds = (seconds << 8U) | static_cast<unsigned char>((*raw)[i]);
    }
    const core::TimePoint issued_at = store::from_unix_seconds(static_cast<std::int64_t>(seconds));
    if (issued_at > now + core::Seconds(60) || now - issued_at > m_options.lifetime) {
        return bad_nonce("JWS protected header: \"nonce\" has expired");
    }
    const std::string key(nonce);
    bool prune = false;
    {
        const std::scoped_lock lock(m_mutex);
        forget_expired(now);
        if (!m_redeemed.insert(key).second) {
            return bad_nonce("JWS protected header: \"nonce\" was already used");
        }
        m_by_age.emplace_back(issued_at, key);
        // Once a lifetime, the redemption also clears the shared table of nonces too old to be accepted
        // (their timestamps refuse them), so the table holds about one lifetime of orders, not all of them.
        if (m_options.shared_replay_table && now - m_table_pruned_at >= m_options.lifetime) {
            m_table_pruned_at = now;
            prune = true;
        }
    }
    if (m_options.shared_replay_table) {
        bool first = false;
        m_store->commit([&](store::Transaction& tx) {
            first = store::record_nonce_use(tx, key, issued_at, now);
            if (prune) {
                store::forget_nonces_before(tx, now - m_options.lifetime);
            }
        });
        if (!first) {
            return bad_nonce("JWS protected header: \"nonce\" was already used");
        }
    }
    return std::nullopt;
}

// Nonces arrive roughly in issue order, so the oldest sit at the front; one out of order only stays a
// little longer than needed.
void NonceBook::forget_expired(core::TimePoint now) {
    while (!m_by_age.empty() && now - m_by_age.front().first > m_options.lifetime) {
        m_redeemed.erase(m_by_age.front().second);
        m_by_age.pop_front();
    }
}

core::Secret nonce_key(store::Store& store) {
    constexpr std::string_view setting = "acme_nonce_key";
    if (auto existing =
            store.read([&](store::Transaction& tx) { return store::find_setting(tx, setting); })) {
        return core::Secret(*base64url_decode(*existing));
    }
    const std::string fresh = base64url_encode(random_bytes(32));
    try {
        store.commit([&](store::Transaction& tx) { store::insert_setting(tx, setting, fresh); });
    } catch (const core::Error& e) {
        if (e.code() != core::ErrorCode::conflict) {
            throw;
        }
    }
    const auto stored = store.read([&](store::Transaction& tx) { return store::find_setting(tx, setting); });
    const auto decoded = stored ? base64url_decode(*stored) : std::nullopt;
    if (!decoded || decoded->size() < 16) {
        throw core::Error(core::ErrorCode::internal, "store setting acme_nonce_key is damaged");
    }
    return core::Secret(*decoded);
}

}  // namespace certfleet::acme
