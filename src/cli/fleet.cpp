#include "cli/fleet.hpp"

#include "api/admin_client.hpp"
#include "authority/authority.hpp"
#include "cli/progress_line.hpp"
#include "core/clock.hpp"
#include "core/duration.hpp"
#include "core/error.hpp"
#include "enrollment/fleet_administration.hpp"

#include <fmt/format.h>

#include <chrono>
#include <optional>
#include <thread>
#include <utility>

namespace certfleet::cli {
namespace {

using core::Error;
using core::ErrorCode;

class StoreFleet final : public Fleet {
public:
    explicit StoreFleet(const AuthorityOptions& options)
        : m_options(options),
          m_store(open_store(options)),
          m_authority(authority::choose_authority(*m_store, options.ca)) {}

    [[nodiscard]] std::string where() const override { return fmt::format("authority \"{}\"", m_authority); }

    api::RequestList list_requests(bool all) override {
        return enrollment::list_requests(*m_store, m_authority, all);
    }

    api::RequestList approve_requests(const api::RequestDecision& decision) override {
        const core::Secret passphrase = read_ca_passphrase(m_options.passphrase_file, false);
        const authority::Authority ca =
            authority::Authority::open(*m_store, m_authority, passphrase, actor());
        return enrollment::approve_requests(*m_store, ca, decision, actor());
    }

    api::RequestSummary deny_request(const api::RequestDecision& decision) override {
        return enrollment::deny_pending_request(*m_store, m_authority, decision, actor());
    }

    api::NodeList list_nodes() override {
        return enrollment::list_nodes(*m_store, m_authority, core::SystemClock().now());
    }

    api::NodeActionStatus queue_node_action(const api::NodeActionRequest& request) override {
        return enrollment::queue_node_action(*m_store, m_authority, request, actor());
    }

    api::NodeActionStatus node_action(std::int64_t id) override {
        return enrollment::node_action(*m_store, m_authority, id);
    }

    api::TokenGrant create_token(const api::TokenRequest& request) override {
        return enrollment::grant_token(*m_store, m_authority, request, actor());
    }

private:
    static store::Actor actor() { return {.name = cli_actor(), .at = core::SystemClock().now()}; }

    AuthorityOptions m_options;
    std::unique_ptr<store::Store> m_store;
    std::string m_authority;
};

class ServerFleet final : public Fleet {
public:
    explicit ServerFleet(const ServerConnectionOptions& options)
        : m_url(options.server),
          m_client({.server_url = options.server,
                    .ca_file = options.ca_file,
                    .client_cert_file = options.admin_cert,
                    .client_key_file = options.admin_key}) {}

    [[nodiscard]] std::string where() const override { return fmt::format("the server {}", m_url); }

    api::RequestList list_requests(bool all) override { return m_client.list_requests(all); }

    api::RequestList approve_requests(const api::RequestDecision& decision) override {
        return m_client.approve_requests(decision);
    }

    api::RequestSummary deny_request(const api::RequestDecision& decision) override {
        return m_client.deny_request(decision);
    }

    api::NodeList list_nodes() override { return m_client.list_nodes(); }

    api::NodeActionStatus queue_node_action(const api::NodeActionRequest& request) override {
        return m_client.queue_node_action(request);
    }

    api::NodeActionStatus node_action(std::int64_t id) override { return m_client.node_action(id); }

    api::TokenGrant create_token(const api::TokenRequest& request) override {
        return m_client.create_token(request);
    }

private:
    std::string m_url;
    api::AdminClient m_client;
};

}  // namespace

std::unique_ptr<Fleet> open_fleet(const AuthorityOptions& authority, const ServerConnectionOptions& server) {
    if (!server.has_server()) {
        return std::make_unique<StoreFleet>(authority);
    }
    for (const auto& [flag, value] : {std::pair{"--store", &authority.store},
                                      std::pair{"--ca", &authority.ca},
                                      std::pair{"--passphrase-file", &authority.passphrase_file}}) {
        if (!value->empty()) {
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{} is for the store; with --server the server uses its own", flag));
        }
    }
    if (server.admin_cert.empty() != server.admin_key.empty()) {
        throw Error(ErrorCode::invalid_input, "--admin-cert and --admin-key go together");
    }
    return std::make_unique<ServerFleet>(server);
}

api::NodeActionStatus wait_for_report(Fleet& fleet,
                                      const api::NodeActionStatus& action,
                                      const std::string& timeout,
                                      bool progress) {
    const auto deadline = std::chrono::steady_clock::now() + core::parse_duration(timeout, "--timeout");
    ProgressLine line(progress);
    for (;;) {
        api::NodeActionStatus current = fleet.node_action(action.id);
        if (!current.is_open()) {
            return current;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            throw Error(
                ErrorCode::unavailable,
                fmt::format("{} did not report action {} within {} (it is {}; see certfleet node list)",
                            action.node,
                            action.id,
                            timeout,
                            current.state));
        }
        line.show(fmt::format(
            "waiting for {}: {} action {} {}", action.node, action.kind, action.id, current.state));
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
}

}  // namespace certfleet::cli
