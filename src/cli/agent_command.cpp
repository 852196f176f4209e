#include "agent/agent_config.hpp"
#include "agent/renewal_pass.hpp"
#include "cli/command.hpp"
#include "cli/json_output.hpp"
#include "core/file.hpp"
#include "pki/certificate.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>

namespace certfleet::cli {
namespace {

struct AgentOptions {
    std::string config;
    bool once = false;
    bool force = false;
    bool json = false;
};

ExitCode run_agent(const AgentOptions& options) {
    if (!options.once) {
        throw core::Error(core::ErrorCode::invalid_input,
                          "give --once: the agent daemon is not built yet (run --once from a systemd timer "
                          "or cron)");
    }
    const std::string base = std::filesystem::absolute(options.config).parent_path().string();
    const agent::AgentConfig config =
        agent::parse_agent_config(core::read_file(options.config), options.config, base);
    const std::vector<agent::CertificateReport> reports =
        agent::run_renewal_pass(config, {.now = core::SystemClock().now(), .force = options.force});
    if (options.json) {
        nlohmann::json out = nlohmann::json::array();
        for (const agent::CertificateReport& r : reports) {
            out.push_back(
                {{"name", r.name},
                 {"outcome", agent::to_string(r.outcome)},
                 {"serial", r.serial},
                 {"renewed_from",
                  r.renewed_from.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.renewed_from)},
                 {"next_renewal",
                  r.serial.empty() ? nlohmann::json(nullptr)
                                   : nlohmann::json(pki::format_time(r.next_renewal))},
                 {"deployment",
                  r.deployment.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.deployment)},
                 {"detail", r.detail}});
        }
        std::cout << json_text(out) << '\n';
    } else {
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
                case agent::PassOutcome::failed:
                    std::cout << fmt::format("{}: FAILED: {}\n", r.name, r.detail);
                    break;
            }
        }
    }
    const bool failed = std::any_of(reports.begin(), reports.end(), [](const agent::CertificateReport& r) {
        return r.outcome == agent::PassOutcome::failed;
    });
    return failed ? ExitCode::findings : ExitCode::ok;
}

}  // namespace

void add_agent_command(CLI::App& app, CommandAction& action) {
    configure_agent_command(*app.add_subcommand("agent"), action);
}

void configure_agent_command(CLI::App& cmd, CommandAction& action) {
    auto o = std::make_shared<AgentOptions>();
    cmd.description(
        "Keep this node's certificates valid and deployed (one pass: --once).\n\n"
        "For each certificate of the configuration (YAML, docs/agent.md) the agent reads the current\n"
        "certificate from its deploy spec's certificate files and, when it is due (two thirds of its\n"
        "lifetime less a jitter of up to 1/20, or renew_before ahead of its end), makes a new key here,\n"
        "renews over mTLS with the current certificate (POST /v1/renew: same subject and names), and\n"
        "deploys the renewal with the spec (every target and the certificate files themselves, or none;\n"
        "hooks, health checks, rollback). A certificate that fails keeps its files; the others go on.\n\n"
        "Example:\n  certfleet agent --config /etc/certfleet/agent.yaml --once\n"
        "  certfleet-agent --config /etc/certfleet/agent.yaml --once   (the node package)\n\n"
        "Exit status: 0 every certificate renewed or not due; 1 a certificate failed (refused, server\n"
        "unreachable, or its deployment rolled back: the report says why); 2 invalid configuration.");
    cmd.add_option("--config", o->config, "The agent configuration (YAML)")->required();
    cmd.add_flag("--once", o->once, "Do one pass and exit (the daemon is not built yet)");
    cmd.add_flag("--force", o->force, "Renew every certificate now, due or not");
    cmd.add_flag("--json", o->json, "Print the report as JSON");
    cmd.callback([o, &action] { action = [o] { return run_agent(*o); }; });
}

}  // namespace certfleet::cli
