#include "server/ca_server.hpp"

#include "core/error.hpp"
#include "enrollment/node_presence.hpp"
#include "server/acme_routes.hpp"
#include "server/ca_handler.hpp"
#include "server/client_authentication.hpp"
#include "server/enrollment_routes.hpp"
#include "server/health_handler.hpp"
#include "server/node_handlers.hpp"
#include "server/puppet_ca_routes.hpp"
#include "server/renew_handler.hpp"
#include "store/node_records.hpp"
#include "store/request_records.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <csignal>

namespace certfleet::server {
namespace {

// Certificate counts cost a scan of the certificate table: refreshed at most this often per scrape.
constexpr auto counts_max_age = std::chrono::seconds(30);
// With PostgreSQL notices, how often the table of queued actions is still read (notices are not kept
// while a replica's LISTEN connection is down, and one that commits between a poll's read and its hold
// is missed: this bounds how late such an action is).
constexpr auto table_look_interval = std::chrono::seconds(5);
// The maintenance check (own certificate, CRL) runs at least this often.
constexpr auto maintenance_period = std::chrono::seconds(60);

}  // namespace

CaServer::CaServer(const ServerConfig& config,
                   std::string tls_directory,
                   store::Store& store,
                   const authority::Authority& ca,
                   const core::Clock& clock)
    : m_config(config), m_store(&store), m_ca(&ca), m_clock(&clock), m_crl(ca, store, config.crl_validity) {
    m_identity_options.directory = std::move(tls_directory);
    m_identity_options.profile = config.tls_profile;
    if (config.tls_validity.count() > 0) {
        m_identity_options.validity = config.tls_validity;
    }
    if (config.tls_names.empty()) {
        m_identity_options.names = default_server_names(config.listen_host);
    } else {
        for (const std::string& name : config.tls_names) {
            m_identity_options.names.push_back(pki::parse_general_name(name, "tls.names"));
        }
    }
    const core::TimePoint now = m_clock->now();
    std::optional<ServerIdentity> identity = load_server_identity(ca, m_identity_options, now);
    if (!identity) {
        identity = issue_server_identity(ca, m_identity_options, now);
        spdlog::info("issued the server certificate serial={} for {}",
                     identity->certificate.serial_hex(),
                     pki::to_string(m_identity_options.names.front()));
    }
    m_identity_due = renewal_due_at(identity->certificate);
    m_acme = std::make_unique<AcmeService>(config.acme, store, ca, clock, config.crl_validity);
    if (!config.acme.eab_keys_file.empty()) {
        spdlog::info("acme: {} external account binding kids from {}; a binding is {}",
                     m_acme->eab_keys().size(),
                     config.acme.eab_keys_file,
                     config.acme.external_account_required ? "required" : "optional");
    }
    add_routes();
    m_https = std::make_unique<HttpsServer>(
        HttpsServerOptions{.host = config.listen_host, .port = config.listen_port, .limits = config.limits},
        m_router,
        make_tls(*identity),
        [this](const ClientCertificate& certificate) {
            authenticate_client(certificate, *m_store, m_clock->now());
        },
        m_metrics);
    m_maintenance = std::make_unique<asio::steady_timer>(m_https->io());
    m_poll_wakeup = std::make_unique<asio::steady_timer>(m_https->io());
    const std::string& host = config.listen_host;
    m_acme->set_default_external_url(fmt::format(
        "https://{}:{}", host.find(':') != std::string::npos ? "[" + host + "]" : host, m_https->port()));
}

std::shared_ptr<const TlsContext> CaServer::make_tls(const ServerIdentity& identity) const {
    TlsSettings settings{.certificate = &identity.certificate, .key = &identity.key};
    for (const pki::Certificate& issuer : identity.chain) {
        settings.chain.push_back(&issuer);
    }
    for (const pki::Certificate& ca : m_ca->chain()) {
        settings.client_trust.push_back(&ca);
    }
    return std::make_shared<const TlsContext>(settings);
}

void CaServer::add_routes() {
    m_router.add({.method = http::verb::get,
                  .pattern = "/healthz",
                  .execution = Execution::io_thread,
                  .handler = handle_healthz});
    m_router.add({.method = http::verb::get,
                  .pattern = "/readyz",
                  .handler = [this](const RequestContext& c) { return handle_readyz(c, *m_store); }});
    m_router.add({.method = http::verb::get,
                  .pattern = "/v1/ca",
                  .execution = Execution::io_thread,
                  .handler = [this](const RequestContext& c) { return handle_get_ca(c, *m_ca); }});
    m_router.add(
        {.method = http::verb::get, .pattern = "/v1/crl", .handler = [this](const RequestContext& c) {
             return handle_get_crl(c, m_crl, m_clock->now());
         }});
    m_router.add({.method = http::verb::post,
                  .pattern = "/v1/renew",
                  .access = Access::client_certificate,
                  .handler = [this](const RequestContext& c) {
                      return handle_renew(c, *m_store, *m_ca, m_clock->now());
                  }});
    add_node_routes();
    add_enrollment_routes(m_router, *m_store, *m_ca, *m_clock, m_config.requests);
    m_puppet =
        PuppetCaContext{.store = m_store,
                        .ca = m_ca,
                        .crl = &m_crl,
                        .clock = m_clock,
                        .queue = queue_settings(m_config.requests),
                        .csr_rules = {.allow_subject_alt_names = m_config.puppet_ca_allow_subject_alt_names},
                        .crl_validity = m_config.crl_validity};
    m_puppet.queue.source = "puppet";
    add_puppet_ca_routes(m_router, m_puppet);
    m_admin = AdminContext{.store = m_store, .ca = m_ca, .clock = m_clock};
    add_admin_routes(m_router, m_admin);
    m_router.add({.method = http::verb::get, .pattern = "/metrics", .handler = [this](const RequestContext&) {
                      return handle_metrics();
                  }});
    add_acme_routes(m_router, *m_acme);
}

void CaServer::add_node_routes() {
    const NodeRoutes nodes{.store = m_store, .authority = m_ca->name()};
    m_router.add(
        {.method = http::verb::post,
         .pattern = "/v1/checkin",
         .access = Access::client_certificate,
         .handler = [this, nodes](const RequestContext& c) { return nodes.checkin(c, m_clock->now()); }});
    m_router.add(
        {.method = http::verb::get,
         .pattern = "/v1/actions",
         .access = Access::client_certificate,
         .handler = [this, nodes](const RequestContext& c) { return nodes.poll_actions(c, m_clock->now()); },
         .hold = Hold{.wait =
                          [](const RequestContext& c) {
                              return enrollment::action_wait(c.query_parameter("wait"), "wait");
                          },
                      .key = node_name_of}});
    m_router.add({.method = http::verb::post,
                  .pattern = "/v1/actions/{id}",
                  .access = Access::client_certificate,
                  .handler = [this, nodes](const RequestContext& c) {
                      return nodes.finish_action(c, m_clock->now());
                  }});
}

// Once a second while polls are held, one query for the nodes with queued actions (whichever process
// queued them: `certfleet node renew`, another replica) wakes their polls: one query per replica per
// second, whatever the number of nodes. On PostgreSQL the notices of ActionNotices wake a poll at once,
// and the query runs only every table_look_interval as a safety net, or at once after notices were lost.
void CaServer::schedule_poll_wakeup() {  // NOLINT(misc-no-recursion): see server/asio.hpp
    m_poll_wakeup->expires_after(std::chrono::seconds(1));
    m_poll_wakeup->async_wait([this](const ErrorCodeValue& ec) {
        if (ec) {
            return;
        }
        m_held_polls.store(m_https->polls().size());
        const auto steady_now = std::chrono::steady_clock::now();
        const bool look = !m_action_notices || m_table_look_due.exchange(false) ||
                          steady_now - m_table_looked_at >= table_look_interval;
        if (look && m_https->polls().size() > 0) {
            m_table_looked_at = steady_now;
            const bool queued = m_https->submit([this] {
                std::vector<std::string> names;
                try {
                    names = m_store->read([&](store::Transaction& tx) {
                        return store::nodes_with_queued_actions(tx, m_ca->name());
                    });
                } catch (const core::Error& e) {
                    spdlog::warn("looking for queued node actions failed: {}", e.what());
                }
                asio::post(m_https->io(), [this, names = std::move(names)] {
                    for (const std::string& name : names) {
                        m_https->polls().wake(name);
                    }
                    schedule_poll_wakeup();
                });
            });
            if (queued) {
                return;
            }
        }
        schedule_poll_wakeup();
    });
}

void CaServer::listen_for_action_notices() {
    m_action_notices = ActionNotices::start(
        *m_store,
        m_ca->name(),
        [this](std::vector<std::string> nodes) {
            asio::post(m_https->io(), [this, nodes = std::move(nodes)] {
                for (const std::string& node : nodes) {
                    m_https->polls().wake(node);
                }
            });
        },
        [this] { m_table_look_due.store(true); });
    if (m_action_notices) {
        spdlog::info("node actions: woken by PostgreSQL notices on {}", store::node_action_channel);
    }
}

HttpResponse CaServer::handle_metrics() {
    const core::TimePoint now = m_clock->now();
    {
        const std::lock_guard lock(m_counts_mutex);
        const auto steady_now = std::chrono::steady_clock::now();
        if (m_counts_at == std::chrono::steady_clock::time_point{} ||
            steady_now - m_counts_at > counts_max_age) {
            double valid = 0;
            double expired = 0;
            double revoked = 0;
            for (const auto& record : m_store->list_certificates({.authority = m_ca->name()})) {
                if (record.status == store::CertificateStatus::revoked) {
                    ++revoked;
                } else if (record.not_after < now) {
                    ++expired;
                } else {
                    ++valid;
                }
            }
            m_metrics.set_certificates("valid", valid);
            m_metrics.set_certificates("expired", expired);
            m_metrics.set_certificates("revoked", revoked);
            m_counts_at = steady_now;
        }
    }
    m_store->read([&](store::Transaction& tx) {
        const auto pending = store::list_certificate_requests(tx, m_ca->name(), false).size();
        const auto nodes = store::list_nodes(tx, m_ca->name());
        const auto connected = std::count_if(nodes.begin(), nodes.end(), [&](const store::NodeRecord& n) {
            return enrollment::is_connected(n.last_poll_at, now);
        });
        m_metrics.set_fleet(static_cast<double>(pending),
                            static_cast<double>(connected),
                            static_cast<double>(m_held_polls.load()));
        return 0;
    });
    if (const auto crl = m_store->latest_crl(m_crl.issuer_id())) {
        m_metrics.set_crl_seconds_to_expiry(m_ca->name(),
                                            std::chrono::duration<double>(crl->next_update - now).count());
    }
    m_metrics.set_open_connections(static_cast<double>(m_https->open_connections()));
    return content_response(m_metrics.exposition(), "text/plain; version=0.0.4; charset=utf-8");
}

void CaServer::renew_identity_if_due() {
    const core::TimePoint now = m_clock->now();
    if (now < m_identity_due) {
        return;
    }
    try {
        const ServerIdentity identity = issue_server_identity(*m_ca, m_identity_options, now);
        m_https->replace_tls(make_tls(identity));
        m_identity_due = renewal_due_at(identity.certificate);
        spdlog::info("renewed the server certificate serial={}", identity.certificate.serial_hex());
    } catch (const core::Error& e) {
        spdlog::error("renewing the server certificate failed (retrying in {}s): {}",
                      maintenance_period.count(),
                      e.what());
    }
}

void CaServer::schedule_maintenance() {  // NOLINT(misc-no-recursion): see server/asio.hpp
    const auto until_due = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::max(m_identity_due - m_clock->now(), core::TimePoint::duration::zero()));
    m_maintenance->expires_after(
        std::min<std::chrono::steady_clock::duration>(until_due, maintenance_period));
    m_maintenance->async_wait([this](const ErrorCodeValue& ec) {
        if (ec) {
            return;
        }
        renew_identity_if_due();
        try {
            static_cast<void>(m_crl.current(m_clock->now()));
        } catch (const core::Error& e) {
            spdlog::error("refreshing the CRL failed: {}", e.what());
        }
        schedule_maintenance();
    });
}

void CaServer::run() {
    asio::signal_set signals(m_https->io(), SIGINT, SIGTERM);
    signals.async_wait([this](const ErrorCodeValue& ec, int signal) {
        if (!ec) {
            spdlog::info("signal {}: stopping", signal);
            m_https->stop();
        }
    });
    schedule_maintenance();
    listen_for_action_notices();
    schedule_poll_wakeup();
    spdlog::info(
        "serving authority={} on https://{}:{}", m_ca->name(), m_config.listen_host, m_https->port());
    m_https->run();
}

}  // namespace certfleet::server
