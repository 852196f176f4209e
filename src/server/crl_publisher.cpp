#include "server/crl_publisher.hpp"

#include "core/error.hpp"

#include <spdlog/spdlog.h>

namespace certfleet::server {

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
    if (latest && !authority::crl_is_due(*latest, now)) {
        return *latest;
    }
    // One signer at a time in this process; across replicas, generate_crl signs under a store claim and
    // re-checks whether the CRL is still due once it holds it, so a fleet of replicas signs one CRL.
    const std::lock_guard lock(m_regenerating);
    const std::int64_t before = latest ? latest->number : 0;
    const pki::Crl crl =
        m_ca->generate_crl(m_validity, {.name = "server:crl", .at = now}, authority::CrlRefresh::when_due);
    latest = m_store->latest_crl(m_issuer_id);
    if (!latest) {
        throw core::Error(core::ErrorCode::internal, "the CRL just signed is not in the store");
    }
    if (latest->number != before) {
        spdlog::info("authority={} CRL #{} is current", m_ca->name(), crl.crl_number().value_or("?"));
    }
    return *latest;
}

}  // namespace certfleet::server
