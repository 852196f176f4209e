#include "server/metrics.hpp"

#include <prometheus/text_serializer.h>

namespace certfleet::server {

ServerMetrics::ServerMetrics()
    : m_registry(std::make_shared<prometheus::Registry>()),
      m_requests(&prometheus::BuildCounter()
                      .Name("certfleet_http_requests_total")
                      .Help("HTTP requests answered, by route pattern, method and status")
                      .Register(*m_registry)),
      m_issuance(&prometheus::BuildHistogram()
                      .Name("certfleet_issuance_duration_seconds")
                      .Help("Time to issue one certificate: CSR check, signature and durable commit")
                      .Register(*m_registry)),
      m_issuance_all(
          &m_issuance->Add({},
                           prometheus::Histogram::BucketBoundaries{
                               0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5})),
      m_certificates(&prometheus::BuildGauge()
                          .Name("certfleet_certificates")
                          .Help("Certificates issued by the served authority, by status")
                          .Register(*m_registry)),
      m_crl_expiry(&prometheus::BuildGauge()
                        .Name("certfleet_crl_seconds_to_expiry")
                        .Help("Seconds until the current CRL passes its nextUpdate")
                        .Register(*m_registry)),
      m_connections(&prometheus::BuildGauge()
                         .Name("certfleet_open_connections")
                         .Help("Client connections open now (held long-polls included)")
                         .Register(*m_registry)
                         .Add({})),
      m_pending_requests(&prometheus::BuildGauge()
                              .Name("certfleet_pending_requests")
                              .Help("Certificate requests waiting for an operator (any protocol)")
                              .Register(*m_registry)
                              .Add({})),
      m_connected_nodes(&prometheus::BuildGauge()
                             .Name("certfleet_connected_nodes")
                             .Help("Nodes whose agent polled for actions within two wait periods")
                             .Register(*m_registry)
                             .Add({})),
      m_held_polls(&prometheus::BuildGauge()
                        .Name("certfleet_held_polls")
                        .Help("Actions long-polls held open by this server now")
                        .Register(*m_registry)
                        .Add({})) {}

void ServerMetrics::set_fleet(double pending_requests, double connected_nodes, double held_polls) {
    m_pending_requests->Set(pending_requests);
    m_connected_nodes->Set(connected_nodes);
    m_held_polls->Set(held_polls);
}

void ServerMetrics::count_request(std::string_view route, std::string_view method, unsigned status) {
    m_requests
        ->Add({{"route", std::string(route)},
               {"method", std::string(method)},
               {"status", std::to_string(status)}})
        .Increment();
}

void ServerMetrics::observe_issuance(std::chrono::duration<double> elapsed) {
    m_issuance_all->Observe(elapsed.count());
}

void ServerMetrics::set_certificates(std::string_view status, double count) {
    m_certificates->Add({{"status", std::string(status)}}).Set(count);
}

void ServerMetrics::set_crl_seconds_to_expiry(std::string_view authority, double seconds) {
    m_crl_expiry->Add({{"authority", std::string(authority)}}).Set(seconds);
}

void ServerMetrics::set_open_connections(double count) {
    m_connections->Set(count);
}

std::string ServerMetrics::exposition() const {
    return prometheus::TextSerializer().Serialize(m_registry->Collect());
}

}  // namespace certfleet::server
