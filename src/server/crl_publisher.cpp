#include "server/crl_publisher.hpp"

#include "core/error.hpp"

#include <spdlog/spdlog.h>

namespace certfleet::server {

bool crl_is_due(const store::CrlRecord& crl, core::TimePoint now) {
    const auto lifetime = crl.next_update - crl.this_update;
    return now >= crl.next_update - lifetime / 3;
}

CrlPublisher::CrlPublisher(authority::Authority& ca, store::Store& store, core::Seconds validity)
    : m_ca(&ca), m_store(&store), m_validity(validity) {}

store::CrlRecord CrlPublisher::current(core::TimePoint now) {
    auto latest = m_store->latest_crl(m_ca->name());
    if (latest && !crl_is_due(*latest, now)) {
        return *latest;
    }
    // One signer at a time in this process; TODO(#14): across replicas, a PostgreSQL advisory lock.
    const std::lock_guard lock(m_regenerating);
    latest = m_store->latest_crl(m_ca->name());
    if (latest && !crl_is_due(*latest, now)) {
        return *latest;
    }
    const pki::Crl crl = m_ca->generate_crl(m_validity, {.name = "server:crl", .at = now});
    spdlog::info("authority={} signed CRL #{}", m_ca->name(), crl.crl_number().value_or("?"));
    latest = m_store->latest_crl(m_ca->name());
    if (!latest) {
        throw core::Error(core::ErrorCode::internal, "the CRL just signed is not in the store");
    }
    return *latest;
}

}  // namespace certfleet::server
