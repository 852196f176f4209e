#include "agent/agent_daemon.hpp"

#include "agent/node_operation.hpp"
#include "api/json_codec.hpp"
#include "api/protocol.hpp"
#include "core/error.hpp"
#include "core/file.hpp"
#include "pki/certificate.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>
#include <random>
#include <thread>

namespace certfleet::agent {
namespace {

using core::Error;
using core::ErrorCode;

bool stopping(const DaemonOptions& options) {
    return options.stop != nullptr && options.stop->load();
}

// Sleeps up to `delay`, waking early when the daemon is told to stop.
void pause(const DaemonOptions& options, std::chrono::milliseconds delay) {
    const auto until = std::chrono::steady_clock::now() + delay;
    while (!stopping(options) && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
            until - std::chrono::steady_clock::now(), std::chrono::milliseconds(200)));
    }
}

api::Checkin checkin_of(const std::vector<CertificateReport>& reports) {
    api::Checkin checkin{.agent_version = std::string(api::certfleet_version)};
    for (const CertificateReport& r : reports) {
        checkin.certificates.push_back({.name = r.name,
                                        .serial = r.serial,
                                        .not_after = r.serial.empty() ? "" : pki::format_time(r.not_after),
                                        .state = std::string(to_string(r.state)),
                                        .targets = {}});
    }
    return checkin;
}

std::string summary_of(const std::vector<CertificateReport>& reports) {
    std::string out;
    for (const CertificateReport& r : reports) {
        if (!out.empty()) {
            out += "; ";
        }
        out +=
            r.outcome == PassOutcome::renewed
                ? fmt::format(
                      "{}: renewed {} -> {}, deployment {}", r.name, r.renewed_from, r.serial, r.deployment)
                : fmt::format(
                      "{}: {}{}{}", r.name, to_string(r.outcome), r.detail.empty() ? "" : ": ", r.detail);
    }
    return out.empty() ? "no tracked certificate has that name" : out;
}

class Daemon {
public:
    Daemon(const AgentConfig& config, const DaemonOptions& options, const core::Clock& clock)
        : m_config(config), m_options(options), m_clock(clock) {}

    void run() {
        auto next_pass = std::chrono::steady_clock::now();
        unsigned failures = 0;
        bool ready = false;
        std::mt19937_64 random(std::random_device{}());
        std::uniform_real_distribution<double> share(0.0, 1.0);
        while (!stopping(m_options)) {
            try {
                if (std::chrono::steady_clock::now() >= next_pass) {
                    std::vector<CertificateReport> reports = pass({.now = m_clock.now()});
                    if (!is_enrolled(m_config)) {
                        next_pass = wait_for_first_certificate(ready);
                        continue;
                    }
                    // The next pass is set once the server has the check-in: while it cannot be reached,
                    // each retry runs the pass again, so a due certificate renews as soon as it is back.
                    checkin(reports);
                    next_pass = std::chrono::steady_clock::now() + m_options.pass_interval;
                }
                if (!ready) {
                    notify("READY=1");
                    ready = true;
                }
                notify("WATCHDOG=1");
                poll_once(std::min(m_options.poll_wait,
                                   std::chrono::ceil<std::chrono::seconds>(
                                       std::max(next_pass - std::chrono::steady_clock::now(),
                                                std::chrono::steady_clock::duration::zero()))));
                failures = 0;
            } catch (const Error& e) {
                if (stopping(m_options)) {
                    break;  // the call was cancelled by the stop: no failure to report
                }
                ++failures;
                m_connection.reset();
                const auto delay = backoff_delay(failures, m_options.max_backoff, share(random));
                spdlog::warn("agent: {} (retrying in {} ms)", e.what(), delay.count());
                if (!ready) {
                    notify("READY=1");  // running, in backoff: systemd should not time the start out
                    ready = true;
                }
                pause(m_options, delay);
            }
        }
        notify("STOPPING=1");
    }

private:
    // Without a certificate the pass runs again every minute (or every pass_interval when shorter), as
    // puppet agent's waitforcert asks for its signed certificate: an approval is picked up within a minute,
    // without the warnings and growing backoff of a server that fails. Returns when the next pass is due.
    std::chrono::steady_clock::time_point wait_for_first_certificate(bool& ready) {
        const std::chrono::seconds wait = std::min(m_options.pass_interval, std::chrono::seconds(60));
        if (!m_waiting_logged) {
            spdlog::info("agent: no certificate yet (see the pass report); asking again every {} s",
                         wait.count());
            m_waiting_logged = true;
        }
        if (!ready) {
            notify("READY=1");
            ready = true;
        }
        notify("WATCHDOG=1");
        pause(m_options, wait);
        return std::chrono::steady_clock::now();
    }

    void notify(std::string_view state) const {
        if (m_options.notify) {
            m_options.notify(state);
        }
    }

    std::vector<CertificateReport> pass(const PassOptions& pass_options) const {
        auto reports = run_renewal_pass(m_config, pass_options);
        if (m_options.on_reports) {
            m_options.on_reports(reports);
        }
        return reports;
    }

    // One connection for the polls, check-ins and action results, kept between them: a new TLS handshake
    // for each poll would cost the server about 2.5 ms of CPU per node and minute (bench/RESULTS.md, fleet
    // capacity). Opened again when the node's certificate file changed (a renewal: the server must see
    // the new certificate) and after any failure.
    api::ApiClient& connection() const {
        const api::ClientOptions identity = node_identity(m_config);
        std::string certificate = core::read_file(identity.client_cert_file);
        if (!m_connection || certificate != m_connection_certificate) {
            api::ClientOptions options = identity;
            options.timeout = m_options.poll_wait + std::chrono::seconds(15);
            options.cancel = m_options.stop;  // SIGTERM ends a held poll at once, not at its wait's end
            m_connection.emplace(std::move(options));
            m_connection_certificate = std::move(certificate);
        }
        return *m_connection;
    }

    void checkin(const std::vector<CertificateReport>& reports) const {
        check_in(connection(), m_config, reports);
    }

    void poll_once(std::chrono::seconds wait) const {
        const api::HttpReply reply = connection().get(fmt::format("/v1/actions?wait={}", wait.count()));
        api::throw_for_reply(reply, fmt::format("{}: actions", m_config.server));
        if (reply.status == 204) {
            return;
        }
        for (const api::NodeAction& action :
             api::decode<api::ActionList>(reply.body, fmt::format("{}: actions", m_config.server)).actions) {
            run_action(action);
        }
    }

    void run_action(const api::NodeAction& action) const {
        api::ActionResult result;
        std::vector<CertificateReport> reports;
        if (action.kind == "renew") {
            spdlog::info(
                "agent: action {}: renew {}", action.id, action.argument.empty() ? "all" : action.argument);
            reports = pass({.now = m_clock.now(), .force = true, .only = action.argument});
            const bool failed =
                reports.empty() || std::any_of(reports.begin(), reports.end(), [](const auto& r) {
                    return r.outcome == PassOutcome::failed || r.outcome == PassOutcome::needs_operator;
                });
            result = {.outcome = failed ? "failed" : "succeeded", .detail = summary_of(reports)};
        } else if (action.kind == "report") {
            reports = pass({.now = m_clock.now()});
            result = {.outcome = "succeeded", .detail = summary_of(reports)};
        } else if (action.kind == "operation") {
            // Only a name travels: the argv is this node's own (agent.yaml operations); an unknown name
            // is refused and nothing runs.
            spdlog::info("agent: action {}: operation {}", action.id, action.argument);
            const OperationResult ran = run_operation(m_config, action.argument);
            spdlog::info("agent: action {}: {}: {}", action.id, to_string(ran.outcome), ran.detail);
            result = {.outcome = std::string(to_string(ran.outcome)), .detail = ran.detail};
        } else {
            // A newer server's action: refused by name, never run.
            result = {.outcome = "failed",
                      .detail = fmt::format("this agent does not know action \"{}\"", action.kind)};
        }
        const api::HttpReply reply =
            connection().post_json(fmt::format("/v1/actions/{}", action.id), api::encode(result));
        api::throw_for_reply(reply, fmt::format("{}: action {}", m_config.server, action.id));
        if (!reports.empty()) {
            checkin(reports);
        }
    }

    const AgentConfig& m_config;
    const DaemonOptions& m_options;
    const core::Clock& m_clock;
    mutable std::optional<api::ApiClient> m_connection;  // connection(); reset after a failure
    mutable std::string m_connection_certificate;        // the certificate file it was opened with
    bool m_waiting_logged = false;                       // "no certificate yet" said once
};

}  // namespace

std::chrono::milliseconds backoff_delay(unsigned failures, std::chrono::seconds max, double random) {
    const unsigned exponent = std::min(failures == 0 ? 0U : failures - 1, 20U);
    const auto ceiling =
        std::min<std::chrono::milliseconds>(std::chrono::milliseconds(1000LL << exponent), max);
    const auto jittered = std::chrono::milliseconds(
        static_cast<long long>(static_cast<double>(ceiling.count()) * std::clamp(random, 0.0, 1.0)));
    return std::max(jittered, std::chrono::milliseconds(100));
}

void check_in(const AgentConfig& config, const std::vector<CertificateReport>& reports) {
    api::ClientOptions options = node_identity(config);
    options.timeout = std::chrono::seconds(30);
    api::ApiClient client(std::move(options));
    check_in(client, config, reports);
}

void check_in(api::ApiClient& client,
              const AgentConfig& config,
              const std::vector<CertificateReport>& reports) {
    const api::HttpReply reply = client.post_json("/v1/checkin", api::encode(checkin_of(reports)));
    api::throw_for_reply(reply, fmt::format("{}: check-in", config.server));
}

void run_daemon(const AgentConfig& config, const DaemonOptions& options, const core::Clock& clock) {
    if (config.certificates.empty()) {
        throw Error(ErrorCode::invalid_input, "the agent configuration tracks no certificate");
    }
    Daemon(config, options, clock).run();
}

}  // namespace certfleet::agent
