#pragma once

#include <chrono>
#include <memory>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <string>
#include <string_view>

namespace certfleet::server {

/// The server's Prometheus metrics (prometheus-cpp's registry and text exposition). Thread-safe.
class ServerMetrics {
public:
    ServerMetrics();

    /// Counts one answered request: `route` is the route pattern ("unmatched" for a 404), never the raw
    /// path, so the label set stays bounded whatever clients send.
    void count_request(std::string_view route, std::string_view method, unsigned status);
    /// Records how long one issuance took (CSR check, signing, durable commit).
    void observe_issuance(std::chrono::duration<double> elapsed);
    /// Sets the number of issued certificates by status ("valid", "expired", "revoked").
    void set_certificates(std::string_view status, double count);
    /// Sets the seconds until the current CRL of `authority` passes its nextUpdate (negative when past).
    void set_crl_seconds_to_expiry(std::string_view authority, double seconds);
    /// Sets the number of open client connections.
    void set_open_connections(double count);
    /// Sets the fleet's counts: pending certificate requests, nodes connected (polled within two wait
    /// periods, whichever replica they poll), and actions long-polls held by this server now.
    void set_fleet(double pending_requests, double connected_nodes, double held_polls);

    /// Returns the Prometheus text exposition (version 0.0.4) of every metric.
    [[nodiscard]] std::string exposition() const;

private:
    std::shared_ptr<prometheus::Registry> m_registry;
    prometheus::Family<prometheus::Counter>* m_requests;
    prometheus::Family<prometheus::Histogram>* m_issuance;
    prometheus::Histogram* m_issuance_all;
    prometheus::Family<prometheus::Gauge>* m_certificates;
    prometheus::Family<prometheus::Gauge>* m_crl_expiry;
    prometheus::Gauge* m_connections;
    prometheus::Gauge* m_pending_requests;
    prometheus::Gauge* m_connected_nodes;
    prometheus::Gauge* m_held_polls;
};

}  // namespace certfleet::server
