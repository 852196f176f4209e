#pragma once

#include "authority/authority.hpp"
#include "core/clock.hpp"
#include "server/acme_service.hpp"
#include "server/action_notices.hpp"
#include "server/admin_routes.hpp"
#include "server/crl_publisher.hpp"
#include "server/https_server.hpp"
#include "server/metrics.hpp"
#include "server/puppet_ca_routes.hpp"
#include "server/router.hpp"
#include "server/server_config.hpp"
#include "server/server_identity.hpp"
#include "store/store.hpp"

#include <atomic>
#include <memory>
#include <mutex>

namespace certfleet::server {

/// `certfleet serve`: one authority on the network. Puts the routes together, keeps its own TLS
/// certificate (issued at start when missing, renewed at two thirds of its life) and the CRL current.
class CaServer {
public:
    /// Gets or issues the server certificate and binds the listening socket.
    /// `tls_directory` holds server.crt/server.key. Throws as issue_server_identity and HttpsServer do.
    CaServer(const ServerConfig& config,
             std::string tls_directory,
             store::Store& store,
             const authority::Authority& ca,
             const core::Clock& clock);

    /// Returns the bound port.
    [[nodiscard]] unsigned short port() const noexcept { return m_https->port(); }
    /// Serves until SIGINT or SIGTERM (or stop()).
    void run();
    /// Ends run(); safe from any thread.
    void stop() { m_https->stop(); }

private:
    void add_routes();
    void add_node_routes();
    void schedule_poll_wakeup();
    void listen_for_action_notices();
    void renew_identity_if_due();
    void schedule_maintenance();
    HttpResponse handle_metrics();
    std::shared_ptr<const TlsContext> make_tls(const ServerIdentity& identity) const;

    ServerConfig m_config;
    store::Store* m_store;
    const authority::Authority* m_ca;
    const core::Clock* m_clock;
    ServerIdentityOptions m_identity_options;
    core::TimePoint m_identity_due;
    ServerMetrics m_metrics;
    CrlPublisher m_crl;
    std::unique_ptr<AcmeService> m_acme;  // before m_https: its workers may still run ACME handlers
    PuppetCaContext m_puppet;
    AdminContext m_admin;
    Router m_router;
    std::unique_ptr<HttpsServer> m_https;
    std::unique_ptr<asio::steady_timer> m_maintenance;
    std::unique_ptr<asio::steady_timer> m_poll_wakeup;
    std::atomic<std::size_t> m_held_polls{0};  ///< polls().size(), copied each second on the I/O thread
    std::mutex m_counts_mutex;
    std::chrono::steady_clock::time_point m_counts_at{};
    std::chrono::steady_clock::time_point m_table_looked_at{};  ///< I/O thread only
    std::atomic<bool> m_table_look_due{false};                  ///< set when notices may have been lost
    std::unique_ptr<ActionNotices> m_action_notices;            // last: its thread posts to m_https's I/O
};

}  // namespace certfleet::server
