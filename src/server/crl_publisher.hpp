#pragma once

#include "authority/authority.hpp"
#include "core/duration.hpp"
#include "store/store.hpp"

#include <mutex>

namespace certfleet::server {

/// Keeps the served authority's CRL current: GET /v1/crl and a periodic check regenerate it when it is
/// missing or has less than a third of its lifetime left, so it never expires while the server runs.
class CrlPublisher {
public:
    /// Publishes the CRL of the active issuer of `ca` (both must outlive this), each new one valid for
    /// `validity`. Throws Error(not_found) if the authority has no active issuer.
    CrlPublisher(const authority::Authority& ca, store::Store& store, core::Seconds validity);

    /// Returns the current CRL at `now`, signing a new one first when it is missing or due.
    store::CrlRecord current(core::TimePoint now);
    /// Returns the id of the issuer generation whose CRL this publishes.
    [[nodiscard]] std::int64_t issuer_id() const noexcept { return m_issuer_id; }

private:
    const authority::Authority* m_ca;
    store::Store* m_store;
    std::int64_t m_issuer_id;
    core::Seconds m_validity;
    std::mutex m_regenerating;
};

}  // namespace certfleet::server
