#include "cli/agent_adopt_command.hpp"

#include "agent/adoption.hpp"
#include "agent/agent_config.hpp"
#include "cli/json_output.hpp"
#include "core/error.hpp"
#include "core/file.hpp"
#include "formats/node_package.hpp"
#include "pki/certificate.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <iostream>
#include <memory>

namespace certfleet::cli {
namespace {

using core::Error;
using core::ErrorCode;

struct AdoptOptions {
    std::string config;
    std::string from;
    std::string cert;
    std::string key;
    std::string chain;
    std::string certificate;
    bool json = false;
};

// The package to adopt: the tar of `node package`, or loose PEM files.
formats::NodePackage read_package(const AdoptOptions& o) {
    if (o.from.empty() == o.cert.empty()) {
        throw Error(ErrorCode::invalid_input, "give --from PACKAGE.tar, or --cert and --key (and --chain)");
    }
    if (!o.from.empty()) {
        if (!o.key.empty() || !o.chain.empty()) {
            throw Error(ErrorCode::invalid_input,
                        "--from: the package holds the key and chain: no --key or --chain");
        }
        return formats::read_node_package(core::read_file(o.from), o.from);
    }
    if (o.key.empty()) {
        throw Error(ErrorCode::invalid_input, "--key: required with --cert (the certificate's private key)");
    }
    return formats::NodePackage{.certificate_pem = core::read_file(o.cert),
                                .chain_pem = o.chain.empty() ? std::string() : core::read_file(o.chain),
                                .key_pem = core::read_file(o.key)};
}

ExitCode run_adopt(const AdoptOptions& o) {
    if (o.config.empty()) {
        throw Error(ErrorCode::invalid_input, "--config: required (the agent configuration)");
    }
    const std::string base = std::filesystem::absolute(o.config).parent_path().string();
    const agent::AgentConfig config = agent::parse_agent_config(core::read_file(o.config), o.config, base);
    const formats::NodePackage package = read_package(o);
    const std::string source = o.from.empty() ? o.cert : o.from;
    const agent::AdoptionReport report = agent::adopt_certificate(
        config, package, {.now = core::SystemClock().now(), .only = o.certificate}, source);
    const bool rolled_back = report.outcome == deploy::DeploymentOutcome::rolled_back;
    if (o.json) {
        std::cout << json_text(nlohmann::json{{"name", report.name},
                                              {"serial", report.serial},
                                              {"outcome", rolled_back ? "rolled_back" : "adopted"},
                                              {"state", rolled_back ? nullptr : nlohmann::json("adopted")},
                                              {"expires", pki::format_time(report.not_after)},
                                              {"next_renewal", pki::format_time(report.next_renewal)},
                                              {"deployment",
                                               report.deployment.empty() ? nlohmann::json(nullptr)
                                                                         : nlohmann::json(report.deployment)},
                                              {"detail", report.failure}})
                  << '\n';
    } else if (rolled_back) {
        std::cout << fmt::format(
            "{}: NOT ADOPTED: the deployment was rolled back ({}), the previous files are back: {}\n",
            report.name,
            report.deployment,
            report.failure);
    } else {
        std::cout << fmt::format("{}: adopted serial {} (expires {}), deployed ({}); next renewal {}\n",
                                 report.name,
                                 report.serial,
                                 pki::format_time(report.not_after),
                                 report.deployment.empty() ? "files unchanged" : report.deployment,
                                 pki::format_time(report.next_renewal));
    }
    return rolled_back ? ExitCode::findings : ExitCode::ok;
}

}  // namespace

void add_agent_adopt_command(CLI::App& agent, CommandAction& action) {
    auto o = std::make_shared<AdoptOptions>();
    CLI::App* adopt = agent.add_subcommand(
        "adopt",
        "Deploy a certificate brought to this node by hand: the offline fallback (seed 001).\n\n"
        "Takes the package `certfleet node package NODE --out node.tar` wrote on the CA host (or loose\n"
        "files: --cert, --key, --chain) and checks, before anything is written, that the key matches the\n"
        "certificate, that the certificate is valid now, that it chains to the CA this node trusts\n"
        "(ca_file), and that its names are those of a tracked certificate (its subject or sans in the\n"
        "configuration, or the certificate in its files). Then deploys it with that certificate's deploy\n"
        "spec through the deploy engine (its certificate files and every target, hooks, health checks;\n"
        "backups, rollback) and marks it `adopted` in its state: `agent status` shows it, the next\n"
        "check-in reports it, and it renews as usual when due. Needs no server.\n\n"
        "Example:\n  certfleet agent adopt --config /etc/certfleet/agent.yaml --from node1.tar\n"
        "  certfleet agent adopt --config agent.yaml --cert node1.pem --key node1.key --chain chain.pem\n\n"
        "Exit status: 0 adopted and deployed; 1 the deployment was rolled back (the previous files are\n"
        "back; the report says why); 2 invalid input or configuration, or a package that is refused\n"
        "(damaged or hostile tar, key not matching, expired, another CA, another node's names: nothing\n"
        "written); 4 --certificate names no tracked certificate.");
    adopt->add_option("--config", o->config, "The agent configuration (YAML)");
    adopt->add_option("--from", o->from, "The package written by `certfleet node package` (tar)");
    adopt->add_option("--cert", o->cert, "The certificate (PEM), instead of --from");
    adopt->add_option("--key", o->key, "Its private key (PEM), with --cert");
    adopt->add_option("--chain", o->chain, "Its issuers (PEM), with --cert");
    adopt->add_option(
        "--certificate", o->certificate, "The tracked certificate it is for (default: by its names)");
    adopt->add_flag("--json", o->json, "Print the outcome as JSON");
    adopt->callback([o, &action] { action = [o] { return run_adopt(*o); }; });
}

}  // namespace certfleet::cli
