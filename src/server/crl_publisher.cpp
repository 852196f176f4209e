#include "server/crl_publisher.hpp"

#include "core/error.hpp"

#include <spdlog/spdlog.h>

namespace certfleet::server {

bool crl_is_due(const store::CrlRecord& crl, core::TimePoint now) {
    const auto lifetime = crl.next_update - crl.this_update;
    return now >= crl.next_update - lifetime / 3;
}

namespace {

std::int64_t active_issuer_id(store::Store& store, const std::string& authority) {
    const auto record = store.find_authority(authority);
    if (!record) {
        throw core::Error(core::ErrorCode::not_found, "authority \"" + authority + "\": not in the store");
    }
    return record->active_issuer().id;
}

}  // namespace

CrlPublisher::CrlPublisher(const authority::Authority& ca, store::Store& store, core::Seconds validity)
    : m_ca(&ca), m_store(&store), m_issuer_id(active_issuer_id(store, ca.name())), m_validity(validity) {}

store::CrlRecord CrlPublisher::current(core::TimePoint now) {
    auto latest = m_store->latest_crl(m_issuer_id);
    if (latest && !crl_is_due(*latest, now)) {
        return *latest;
    }
    // One signer at a time in this process; TODO(#14): across replicas, a PostgreSQL advisory lock.
    const std::lock_guard lock(m_regenerating);
    latest = m_store->latest_crl(m_issuer_id);
    if (latest && !crl_is_due(*latest, now)) {
        return *latest;
    }
    const pki::Crl crl = m_ca->generate_crl(m_validity, {.name = "server:crl", .at = now});
    spdlog::info("authority={} signed CRL #{}", m_ca->name(), crl.crl_number().value_or("?"));
    latest = m_store->latest_crl(m_issuer_id);
    if (!latest) {
        throw core::Error(core::ErrorCode::internal, "the CRL just signed is not in the store");
    }
    return *latest;
}

}  // namespace certfleet::server
