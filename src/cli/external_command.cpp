#include "cli/command.hpp"
#include "core/file.hpp"
#include "external_ca/csr_batch.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

namespace certfleet::cli {
namespace {

struct ExternalCsrOptions {
    std::string hosts_file;
    std::vector<std::string> hosts;
    std::string subject = "CN={name}";
    std::string key_type = "rsa:2048";
    std::string out_dir;
    bool force = false;
    bool json = false;
};

ExitCode run_external_csr(const ExternalCsrOptions& options) {
    external_ca::CsrPlan plan;
    if (!options.hosts_file.empty()) {
        plan = external_ca::parse_host_list(core::read_file(options.hosts_file), options.hosts_file);
    } else {
        plan.key_spec = pki::KeySpec::parse(options.key_type, "--key-type");
    }
    for (const std::string& host : options.hosts) {
        plan.hosts.push_back(external_ca::parse_host_flag(host, options.subject));
    }
    if (plan.hosts.empty()) {
        throw core::Error(core::ErrorCode::invalid_input,
                          "give --hosts FILE or at least one --host NAME[,ALIAS...]");
    }
    const auto prepared = external_ca::prepare_csrs(plan);
    external_ca::write_csr_batch(
        options.out_dir, prepared, options.force ? core::Overwrite::replace : core::Overwrite::refuse);
    if (options.json) {
        std::cout << core::read_file(options.out_dir + "/" + external_ca::manifest_file_name);
    } else {
        std::cout << core::read_file(options.out_dir + "/csr-summary.txt");
        std::cout << fmt::format(
            "\nwrote {} keys (0600) and CSRs to {}; send the .csr files and csr-summary.txt "
            "to the CA\n",
            prepared.size(),
            options.out_dir);
    }
    return ExitCode::ok;
}

}  // namespace

void add_external_command(CLI::App& app, CommandAction& action) {
    CLI::App* external = app.add_subcommand(
        "external", "Work with a CA we do not hold (a customer's): make CSRs, then import what it signed.");
    external->require_subcommand(1);
    auto options = std::make_shared<ExternalCsrOptions>();
    CLI::App* csr = external->add_subcommand(
        "csr",
        "Make a key (0600) and a CSR per host, with its hostname and aliases as SANs and the subject the\n"
        "customer requires, plus csr-summary.txt/.json (names, SANs, CSR SHA-256) to send along.\n"
        "The summary is what `certfleet external import` checks the signed certificates against.\n\n"
        "Examples:\n"
        "  certfleet external csr --hosts hosts.yaml --out-dir /backup/new_certs/cert_requests\n"
        "  certfleet external csr --host node1.example.com,node1 --host edge1.example.com,vip.example.com "
        "\\\n"
        "      --subject 'O=Acme,C=GR' --out-dir requests");
    csr->add_option("--hosts", options->hosts_file, "YAML list of hosts (see README: External CA)");
    csr->add_option("--host", options->hosts, "NAME[,ALIAS...] (repeatable)");
    csr->add_option("--subject", options->subject, "Subject template; {name} is the host")
        ->capture_default_str();
    csr->add_option("--key-type", options->key_type, "Key type when not set by --hosts")
        ->capture_default_str();
    csr->add_option("--out-dir", options->out_dir, "Existing directory for keys, CSRs and the summary")
        ->required();
    csr->add_flag("--force", options->force, "Replace existing files");
    csr->add_flag("--json", options->json, "Print the summary as JSON");
    csr->callback([options, &action] { action = [options] { return run_external_csr(*options); }; });
}

}  // namespace certfleet::cli
