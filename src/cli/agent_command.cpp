#include "agent/agent_config.hpp"
#include "agent/agent_daemon.hpp"
#include "agent/renewal_pass.hpp"
#include "cli/agent_adopt_command.hpp"
#include "cli/agent_status_command.hpp"
#include "cli/command.hpp"
#include "cli/daemon_logging.hpp"
#include "cli/json_output.hpp"
#include "core/error.hpp"
#include "core/file.hpp"
#include "pki/certificate.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <memory>
#include <systemd/sd-daemon.h>

namespace certfleet::cli {
namespace {

struct AgentOptions {
    std::string config;
    bool once = false;
    bool force = false;
    bool json = false;
    std::string interval = "30m";
};

nlohmann::json reports_json(const std::vector<agent::CertificateReport>& reports) {
    nlohmann::json out = nlohmann::json::array();
    for (const agent::CertificateReport& r : reports) {
        out.push_back(
            {{"name", r.name},
             {"outcome", agent::to_string(r.outcome)},
             {"state", agent::to_string(r.state)},
             {"serial", r.serial},
             {"renewed_from",
              r.renewed_from.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.renewed_from)},
             {"next_renewal",
              r.serial.empty() ? nlohmann::json(nullptr) : nlohmann::json(pki::format_time(r.next_renewal))},
             {"deployment", r.deployment.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.deployment)},
             {"detail", r.detail}});
    }
    return out;
}

void print_reports(const std::vector<agent::CertificateReport>& reports) {
    for (const agent::CertificateReport& r : reports) {
        switch (r.outcome) {
            case agent::PassOutcome::monitoring:
                std::cout << fmt::format("{}: monitoring serial {}, renewal due {}\n",
                                         r.name,
                                         r.serial,
                                         pki::format_time(r.next_renewal));
                break;
            case agent::PassOutcome::renewed:
                std::cout << fmt::format("{}: renewed {} -> {}, deployed ({}); next renewal {}\n",
                                         r.name,
                                         r.renewed_from,
                                         r.serial,
                                         r.deployment,
                                         pki::format_time(r.next_renewal));
                break;
            case agent::PassOutcome::enrolled:
                std::cout << fmt::format("{}: enrolled serial {}, deployed ({}); next renewal {}\n",
                                         r.name,
                                         r.serial,
                                         r.deployment,
                                         pki::format_time(r.next_renewal));
                break;
            case agent::PassOutcome::failed:
                std::cout << fmt::format("{}: FAILED: {}\n", r.name, r.detail);
                break;
            case agent::PassOutcome::needs_operator:
                std::cout << fmt::format("{}: NEEDS OPERATOR: {}\n", r.name, r.detail);
                break;
            case agent::PassOutcome::pending:
                std::cout << fmt::format("{}: pending: {}\n", r.name, r.detail);
                break;
        }
    }
    std::cout << std::flush;
}

// Loud on purpose, on stderr too (the journal, cron's mail), whatever the output format: the node
// stops renewing until an operator decides (seed 003).
void warn_operator(const std::vector<agent::CertificateReport>& reports) {
    for (const agent::CertificateReport& r : reports) {
        if (r.outcome == agent::PassOutcome::needs_operator) {
            std::cerr << fmt::format("certfleet agent: {}: NEEDS OPERATOR: {}\n", r.name, r.detail);
        }
    }
}

// Set by the SIGTERM/SIGINT handler, which can reach nothing but a global.
std::atomic<bool> stop_requested{false};  // NOLINT(cppcoreguidelines-avoid-non-const-global-variables)

extern "C" void request_stop(int /*signal*/) {
    stop_requested.store(true);
}

// The daemon: SIGTERM or SIGINT end it after the exchange in progress; systemd hears READY, WATCHDOG
// and STOPPING through sd_notify (nothing happens without $NOTIFY_SOCKET).
ExitCode run_daemon(const AgentOptions& options, const agent::AgentConfig& config) {
    struct sigaction action {};
    action.sa_handler = request_stop;
    sigemptyset(&action.sa_mask);
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
    const core::SystemClock clock;
    agent::run_daemon(config,
                      {.pass_interval = core::parse_duration(options.interval, "--interval"),
                       .stop = &stop_requested,
                       .notify = [](std::string_view state) { sd_notify(0, std::string(state).c_str()); },
                       .on_reports =
                           [&options](const std::vector<agent::CertificateReport>& reports) {
                               warn_operator(reports);
                               if (options.json) {
                                   std::cout << reports_json(reports).dump() << std::endl;
                               } else {
                                   print_reports(reports);
                               }
                           }},
                      clock);
    return ExitCode::ok;
}

// --once checks in after its pass, as the daemon does (without holding the long-poll), so `node list`
// shows the node as seen. A server that cannot be reached does not fail a pass whose certificates are
// fine: it is a warning on stderr, and the next check-in catches up. Nothing is sent to a server whose
// CA this node does not trust (needs_operator), and a node not enrolled yet (its request pending, its
// token refused) has no certificate to check in with: its first check-in follows its first certificate.
void check_in_once(const agent::AgentConfig& config, const std::vector<agent::CertificateReport>& reports) {
    if (std::any_of(reports.begin(), reports.end(), [](const agent::CertificateReport& r) {
            return r.outcome == agent::PassOutcome::needs_operator;
        })) {
        return;
    }
    if (!agent::is_enrolled(config)) {
        return;
    }
    try {
        agent::check_in(config, reports);
    } catch (const core::Error& e) {
        std::cerr << fmt::format(
            "certfleet agent: WARNING: no check-in: {} (the node's files are as the "
            "report says; the next pass checks in again)\n",
            e.what());
    }
}

ExitCode run_agent(const AgentOptions& options) {
    if (options.config.empty()) {
        throw core::Error(core::ErrorCode::invalid_input, "--config: required (the agent configuration)");
    }
    const std::string base = std::filesystem::absolute(options.config).parent_path().string();
    const agent::AgentConfig config =
        agent::parse_agent_config(core::read_file(options.config), options.config, base);
    log_to_stderr("info");  // reports (and --json) on standard output, the daemon's log on standard error
    if (!options.once) {
        return run_daemon(options, config);
    }
    const std::vector<agent::CertificateReport> reports =
        agent::run_renewal_pass(config, {.now = core::SystemClock().now(), .force = options.force});
    if (options.json) {
        std::cout << json_text(reports_json(reports)) << '\n';
    } else {
        print_reports(reports);
    }
    warn_operator(reports);
    check_in_once(config, reports);
    const bool failed = std::any_of(reports.begin(), reports.end(), [](const agent::CertificateReport& r) {
        return r.outcome == agent::PassOutcome::failed || r.outcome == agent::PassOutcome::needs_operator;
    });
    const bool pending = std::any_of(reports.begin(), reports.end(), [](const agent::CertificateReport& r) {
        return r.outcome == agent::PassOutcome::pending;
    });
    return failed ? ExitCode::findings : pending ? ExitCode::unavailable : ExitCode::ok;
}

}  // namespace

void add_agent_command(CLI::App& app, CommandAction& action) {
    configure_agent_command(*app.add_subcommand("agent"), action);
}

void configure_agent_command(CLI::App& cmd, CommandAction& action) {
    auto o = std::make_shared<AgentOptions>();
    cmd.description(
        "Keep this node's certificates valid and deployed: a daemon, or one pass with --once.\n\n"
        "For each certificate of the configuration (YAML, docs/agent.md) the agent reads the current\n"
        "certificate from its deploy spec's certificate files and, when it is due (two thirds of its\n"
        "lifetime less a jitter of up to 1/20, or renew_before ahead of its end), makes a new key here,\n"
        "renews over mTLS with the current certificate (POST /v1/renew: same subject and names), and\n"
        "deploys the renewal with the spec (every target and the certificate files themselves, or none;\n"
        "hooks, health checks, rollback). A certificate that fails keeps its files; the others go on.\n\n"
        "--once checks in after its pass (certfleet node list shows the node); a server that cannot be\n"
        "reached then is a warning, not a failure of certificates that are fine.\n"
        "As a daemon (no --once) it does a pass and a check-in every --interval, and in between holds\n"
        "the server's actions long-poll: `certfleet node renew NODE` reaches it within a second, and it\n"
        "reports the outcome; `certfleet node run NODE NAME` runs the operation NAME of its own\n"
        "configuration (operations:), never a command the server sent. The node authenticates with its first "
        "certificate (its commonName is the\n"
        "node's name). When the server is down the files stay and it retries with backoff and jitter.\n"
        "Reports go to standard output, the log to standard error (the journal under systemd).\nsystemd: "
        "Type=notify, WatchdogSec= (examples/certfleet-agent.service).\n\n"
        "Example:\n  certfleet agent --config /etc/certfleet/agent.yaml --once\n"
        "  certfleet-agent --config /etc/certfleet/agent.yaml          (the node package, daemon)\n\n"
        "Each certificate's state (needs_key, submitting, deploying, monitoring, rejected,\n"
        "needs_operator...) is kept in STATE_DIR/agent/NAME.json, written at every step; a pass resumes\n"
        "from the last stable state. If the server presents a CA this node does not trust (a regenerated\n"
        "CA), nothing is sent: every certificate goes to needs_operator with the presented root's\n"
        "SHA-256, until `agent trust --ca-fingerprint` (see `agent status` for what the node holds).\n\n"
        "First enrollment (no certificate files yet) is by bootstrap.token_file (POST /v1/enroll), or by\n"
        "bootstrap.pending_request: the CSR goes to POST /v1/requests with no token, its key stays in\n"
        "STATE_DIR/agent/NAME.key (0600), the certificate waits in pending_at_ca, and every later pass\n"
        "asks GET /v1/requests/ID: issued deploys it, denied makes it rejected with the reason.\n"
        "A certificate copied by hand is deployed with `agent adopt` (the offline fallback).\n\n"
        "Exit status: 0 every certificate renewed or not due (the daemon: stopped by SIGTERM); 1 a\n"
        "certificate failed (refused, denied, server unreachable, or its deployment rolled back: the\n"
        "report says why) or needs an operator (the server's CA is not trusted); 2 invalid\n"
        "configuration; 5 none failed but a request waits for an operator's approval (pending_at_ca).");
    cmd.add_option("--config", o->config, "The agent configuration (YAML)");
    cmd.add_flag("--once", o->once, "Do one pass and exit (for cron and tests); without it, run as a daemon");
    cmd.add_option(
        "--interval", o->interval, "Daemon: time between renewal passes and check-ins (default 30m)");
    cmd.add_flag("--force", o->force, "Renew every certificate now, due or not");
    cmd.add_flag("--json", o->json, "Print the report as JSON");
    cmd.require_subcommand(0, 1);
    add_agent_status_commands(cmd, action);
    add_agent_adopt_command(cmd, action);
    cmd.callback([o, &cmd, &action] {
        if (cmd.get_subcommands().empty()) {
            action = [o] { return run_agent(*o); };
        }
    });
}

}  // namespace certfleet::cli
