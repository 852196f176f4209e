#include "cli/agent_status_command.hpp"

#include "agent/agent_config.hpp"
#include "agent/certificate_status.hpp"
#include "agent/server_trust.hpp"
#include "cli/json_output.hpp"
#include "core/error.hpp"
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

struct StatusOptions {
    std::string config;
    std::string ca_fingerprint;
    bool json = false;
};

agent::AgentConfig read_config(const std::string& path) {
    if (path.empty()) {
        throw core::Error(core::ErrorCode::invalid_input, "--config: required (the agent configuration)");
    }
    const std::string base = std::filesystem::absolute(path).parent_path().string();
    return agent::parse_agent_config(core::read_file(path), path, base);
}

nlohmann::json time_or_null(const std::optional<core::TimePoint>& at) {
    return at ? nlohmann::json(pki::format_time(*at)) : nlohmann::json(nullptr);
}

nlohmann::json text_or_null(const std::string& text) {
    return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
}

nlohmann::json status_json(const agent::CertificateStatus& s) {
    nlohmann::json flags = nlohmann::json::array();
    for (const agent::StatusFlag flag : s.flags) {
        flags.push_back(agent::to_string(flag));
    }
    nlohmann::json out{
        {"name", s.name},
        {"state", agent::to_string(s.state)},
        {"healthy", s.is_healthy()},
        {"flags", flags},
        {"subject", text_or_null(s.subject)},
        {"issuer", text_or_null(s.issuer)},
        {"key", text_or_null(s.key)},
        {"key_bits", s.key_bits},
        {"signature_algorithm", text_or_null(s.signature_algorithm)},
        {"activated", time_or_null(s.activated)},
        {"expires", time_or_null(s.expires)},
        {"sha1_fingerprint", text_or_null(s.sha1_fingerprint)},
        {"serial", text_or_null(s.serial)},
        {"problem", text_or_null(s.problem)},
        {"last_outcome", text_or_null(s.last_outcome)},
        {"detail", text_or_null(s.detail)},
        {"last_deployment",
         s.last_deployment.empty()
             ? nlohmann::json(nullptr)
             : nlohmann::json{{"id", s.last_deployment}, {"at", time_or_null(s.last_deployment_at)}}},
        {"next_renewal", time_or_null(s.next_renewal)}};
    if (s.state == agent::TrackingState::needs_operator) {
        out["presented_root"] = {{"sha256", s.presented_root_sha256}, {"subject", s.presented_root_subject}};
    }
    return out;
}

std::string time_text(const std::optional<core::TimePoint>& at) {
    return at ? pki::format_time(*at) : "-";
}

void print_status(const agent::CertificateStatus& s) {
    std::string flags;
    for (const agent::StatusFlag flag : s.flags) {
        flags += flags.empty() ? "" : ", ";
        flags += agent::to_string(flag);
    }
    std::cout << fmt::format(
        "{}: {}{}\n", s.name, agent::to_string(s.state), flags.empty() ? "" : " [" + flags + "]");
    const auto line = [](std::string_view field, const std::string& value) {
        if (!value.empty()) {
            std::cout << fmt::format("  {:<21}{}\n", std::string(field) + ":", value);
        }
    };
    line("subject", s.subject);
    line("issuer", s.issuer);
    line("key", s.key.empty() ? "" : fmt::format("{} ({} bits)", s.key, s.key_bits));
    line("signature algorithm", s.signature_algorithm);
    line("activated", s.activated ? pki::format_time(*s.activated) : "");
    line("expires", s.expires ? pki::format_time(*s.expires) : "");
    line("SHA-1 fingerprint", s.sha1_fingerprint);
    line("serial", s.serial);
    line("certificate files", s.problem);
    line("last deployment",
         s.last_deployment.empty()
             ? "none"
             : fmt::format("{} at {}", s.last_deployment, time_text(s.last_deployment_at)));
    line("next renewal", time_text(s.next_renewal));
    line("last pass", s.last_outcome);
    if (std::find(s.flags.begin(), s.flags.end(), agent::StatusFlag::expires_soon) != s.flags.end()) {
        std::cout << fmt::format("  WARNING: {} expires at {}: renew it now\n", s.name, time_text(s.expires));
    }
    if (s.state == agent::TrackingState::needs_operator) {
        line("presented root",
             fmt::format("{} SHA-256 {}", s.presented_root_subject, s.presented_root_sha256));
    }
    line("detail", s.detail);
}

ExitCode run_status(const StatusOptions& o) {
    const agent::AgentConfig config = read_config(o.config);
    const std::vector<agent::CertificateStatus> statuses =
        agent::read_certificate_status(config, core::SystemClock().now());
    if (o.json) {
        nlohmann::json out = nlohmann::json::array();
        for (const agent::CertificateStatus& s : statuses) {
            out.push_back(status_json(s));
        }
        std::cout << json_text(out) << '\n';
    } else {
        for (const agent::CertificateStatus& s : statuses) {
            print_status(s);
        }
    }
    const bool healthy = std::all_of(
        statuses.begin(), statuses.end(), [](const agent::CertificateStatus& s) { return s.is_healthy(); });
    return healthy ? ExitCode::ok : ExitCode::findings;
}

ExitCode run_trust(const StatusOptions& o) {
    const agent::AgentConfig config = read_config(o.config);
    if (o.ca_fingerprint.empty()) {
        throw core::Error(core::ErrorCode::invalid_input,
                          "--ca-fingerprint: required (the SHA-256 of the new CA root, from its operator)");
    }
    const agent::TrustChange change =
        agent::trust_presented_root(config, o.ca_fingerprint, "--ca-fingerprint", core::SystemClock().now());
    if (o.json) {
        std::cout << json_text({{"ca_file", config.ca_file},
                                {"root_subject", change.root_subject},
                                {"root_sha256", change.root_sha256},
                                {"reenrolling", change.reenrolling}})
                  << '\n';
        return ExitCode::ok;
    }
    std::cout << fmt::format("trusted root \"{}\" (SHA-256 {}): written to {}\n",
                             change.root_subject,
                             change.root_sha256,
                             config.ca_file);
    for (const std::string& name : change.reenrolling) {
        std::cout << fmt::format("{}: needs_key: the next pass enrolls it again with the bootstrap token\n",
                                 name);
    }
    return ExitCode::ok;
}

}  // namespace

void add_agent_status_commands(CLI::App& agent, CommandAction& action) {
    auto o = std::make_shared<StatusOptions>();
    CLI::App* status = agent.add_subcommand(
        "status",
        "Show each tracked certificate as this node holds it; needs no server.\n\n"
        "For every certificate of the configuration: its state (monitoring, needs_key, rejected,\n"
        "needs_operator...), seed 001's fields read from its certificate file (subject, issuer, key and\n"
        "bits, signature algorithm, activated, expires, SHA-1 fingerprint), its last deployment, its next\n"
        "renewal and the last pass's outcome. Flagged: expired; expires_soon (less than 1/10 of its\n"
        "lifetime left, or past its renewal time while failing); failing; needs_operator (the server\n"
        "presents a CA this node does not trust: the presented root's SHA-256 is shown).\n\n"
        "Example:\n  certfleet agent status --config /etc/certfleet/agent.yaml --json\n\n"
        "Exit status: 0 every certificate monitoring and none failing or expired; 1 a certificate failed,\n"
        "is expired, needs an operator or is not yet monitoring; 2 invalid configuration.");
    status->add_option("--config", o->config, "The agent configuration (YAML)");
    status->add_flag("--json", o->json, "Print as JSON");
    status->callback([o, &action] { action = [o] { return run_status(*o); }; });

    CLI::App* trust = agent.add_subcommand(
        "trust",
        "Trust the server's new CA after it was regenerated (seed 003), by the root's fingerprint.\n\n"
        "Connects to the server, takes the chain it presents (and its root), and requires the root's\n"
        "SHA-256 to equal --ca-fingerprint (with or without colons, any case): ask the CA's operator for\n"
        "it (certfleet ca show, or openssl x509 -fingerprint -sha256 -in root.pem). Then writes the root\n"
        "as the configuration's ca_file (atomically) and moves every needs_operator certificate to\n"
        "needs_key: the next pass enrolls it again with bootstrap.token_file (put a new token there;\n"
        "the old certificate is from the old CA and cannot renew itself). Nothing is trusted silently.\n\n"
        "Example:\n  certfleet agent trust --config /etc/certfleet/agent.yaml --ca-fingerprint "
        "3F:1C:...:7A\n\n"
        "Exit status: 0 trusted and written; 2 invalid configuration or fingerprint; 3 the server's\n"
        "root has another fingerprint (both are named; nothing written); 5 the server cannot be reached.");
    trust->add_option("--config", o->config, "The agent configuration (YAML)");
    trust->add_option(
        "--ca-fingerprint", o->ca_fingerprint, "SHA-256 of the new CA root (hex, colons optional)");
    trust->add_flag("--json", o->json, "Print as JSON");
    trust->callback([o, &action] { action = [o] { return run_trust(*o); }; });
}

}  // namespace certfleet::cli
