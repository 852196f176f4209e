#include "cli/command.hpp"
#include "cli/input_files.hpp"
#include "cli/json_output.hpp"
#include "cli/written_files.hpp"
#include "core/file.hpp"
#include "deploy/deployment_plan.hpp"
#include "external_ca/csr_batch.hpp"
#include "external_ca/import_deployment.hpp"
#include "formats/artifact_reader.hpp"
#include "pki/certificate.hpp"
#include "pki/object_reader.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>
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
    std::error_code ec;
    if (!std::filesystem::exists(options.out_dir, ec)) {
        std::filesystem::create_directories(options.out_dir, ec);
        if (ec) {
            throw core::Error(
                core::ErrorCode::unavailable,
                fmt::format("--out-dir {}: cannot create it: {}", options.out_dir, ec.message()));
        }
        std::cerr << fmt::format("created directory {}\n", options.out_dir);
    }
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

struct ExternalImportOptions {
    std::string dir;
    std::vector<std::string> signed_paths;
    std::string ca_chain;
    std::string issuer;
    std::string min_remaining = "30d";
    std::string at;
    std::vector<std::string> targets;
    std::string password_file;
    std::string backup_dir;
    std::string subject_match = "exact";
    std::vector<std::string> require_eku{"serverAuth"};
    bool json = false;
};

// A certificate file is PEM (a BEGIN line, maybe URL-encoded) or DER (an ASN.1 SEQUENCE); anything
// else in the directory (README.txt, a mail with the order number) is not one.
bool looks_like_certificate(std::string_view bytes) {
    return bytes.find("-----BEGIN") != std::string_view::npos || (!bytes.empty() && bytes.front() == 0x30);
}

struct SignedFiles {
    std::vector<pki::SourcedObject> certificates;
    std::vector<std::string> skipped;  ///< "PATH: why"
};

// Files that are not certificates are skipped and named; one that looks like a certificate but is
// damaged stops the import (exit 2) before anything is judged or written.
SignedFiles read_signed(const std::vector<std::string>& paths) {
    SignedFiles out;
    std::vector<core::UnreadablePath> unreadable;
    const std::vector<std::string> files = expand_input_paths(paths, Recursion::yes, unreadable);
    if (!unreadable.empty()) {
        throw core::Error(
            core::ErrorCode::invalid_input,
            fmt::format("--signed: {}: {}", unreadable.front().path, unreadable.front().reason));
    }
    for (const std::string& path : files) {
        const std::string bytes = core::read_file(path);
        if (!looks_like_certificate(bytes)) {
            out.skipped.push_back(fmt::format("{}: not a certificate (no PEM block, not DER)", path));
            continue;
        }
        std::size_t found = 0;
        for (auto& item : formats::read_artifact(bytes, path, {}).objects) {
            if (std::holds_alternative<pki::Certificate>(item.object)) {
                out.certificates.push_back(std::move(item));
                ++found;
            }
        }
        if (found == 0) {
            out.skipped.push_back(fmt::format("{}: holds no certificate", path));
        }
    }
    return out;
}

void print_table(const external_ca::ImportVerdict& verdict) {
    std::string header = fmt::format("{:<28}", "HOST");
    for (const auto check : external_ca::all_import_checks) {
        header += fmt::format(" {:<11}", external_ca::to_string(check));
    }
    std::cout << header << " RESULT\n";
    for (const auto& host : verdict.hosts) {
        std::string row = fmt::format("{:<28}", host.host);
        for (const auto check : external_ca::all_import_checks) {
            row += fmt::format(
                " {:<11}", host.failed(check) ? "FAIL" : (host.certificate_location.empty() ? "-" : "ok"));
        }
        std::cout << row << (host.passed() ? " ok" : " FAILED") << '\n';
    }
    for (const auto& host : verdict.hosts) {
        for (const auto& failure : host.failures) {
            std::cout << fmt::format(
                "{}: {}: {}\n", host.host, external_ca::to_string(failure.check), failure.message);
        }
    }
    for (const auto& location : verdict.unmatched) {
        std::cout << fmt::format("{}: names none of the requested hosts\n", location);
    }
}

// The --json report of an import: each host's verdict, the certificates that named no requested host,
// the files skipped as not certificates, and the files written (with their backups).
nlohmann::json import_json(const external_ca::ImportVerdict& verdict,
                           const SignedFiles& signed_files,
                           const std::vector<WrittenFile>& written) {
    nlohmann::json out = {{"hosts", nlohmann::json::array()},
                          {"unmatched", verdict.unmatched},
                          {"skipped", signed_files.skipped},
                          {"written", nlohmann::json::array()}};
    for (const auto& host : verdict.hosts) {
        nlohmann::json failures = nlohmann::json::array();
        for (const auto& failure : host.failures) {
            failures.push_back(
                {{"check", external_ca::to_string(failure.check)}, {"message", failure.message}});
        }
        out["hosts"].push_back({{"host", host.host},
                                {"certificate", host.certificate_location},
                                {"passed", host.passed()},
                                {"failures", failures}});
    }
    for (const auto& file : written) {
        out["written"].push_back(
            {{"path", file.path},
             {"backup", file.backup ? nlohmann::json(*file.backup) : nlohmann::json(nullptr)}});
    }
    return out;
}

ExitCode run_external_import(const ExternalImportOptions& options) {
    const core::TimePoint now = core::SystemClock().now();
    const external_ca::ImportExpectations expectations{
        .at = options.at.empty() ? now : pki::parse_time(options.at, "--at"),
        .min_remaining = core::parse_duration(options.min_remaining, "--min-remaining"),
        .issuer = options.issuer,
        .subject_match = external_ca::parse_subject_match(options.subject_match, "--subject-match"),
        .required_eku = options.require_eku};
    std::vector<external_ca::TargetSpec> targets;
    for (const std::string& target : options.targets) {
        targets.push_back(external_ca::parse_target_spec(target));
    }
    std::optional<core::Secret> password;
    if (!options.password_file.empty()) {
        password = core::read_secret_file(options.password_file);
    }
    const auto hosts = external_ca::read_requested_hosts(options.dir);
    const SignedFiles signed_files = read_signed(options.signed_paths);
    const auto& signed_objects = signed_files.certificates;
    auto ca_chain = pki::read_certificates(core::read_file(options.ca_chain), options.ca_chain);
    const auto verdict =
        external_ca::judge_signed_certificates(hosts, signed_objects, std::move(ca_chain), expectations);

    // Build every passing host's files first: a bad target stops the import before anything is written.
    const auto files =
        external_ca::make_deployment(hosts,
                                     signed_objects,
                                     verdict,
                                     targets,
                                     {.password = password ? &*password : nullptr, .created = now});
    // Through the deployment engine: every host's files or none, owners and modes kept, backups in the
    // state directory (or --backup-dir).
    const deploy::DeploymentPlan plan = deploy::plan_files(files, {});
    const deploy::DeploymentReport deployed = deploy_files(plan, options.backup_dir, "external import", now);
    if (deployed.outcome == deploy::DeploymentOutcome::rolled_back) {
        throw core::Error(
            core::ErrorCode::unavailable,
            fmt::format("nothing deployed: {} failed: {}", deployed.failed_step, deployed.failure));
    }
    const std::vector<WrittenFile> written = written_files(plan, deployed);

    if (options.json) {
        std::cout << json_text(import_json(verdict, signed_files, written)) << '\n';
    } else {
        for (const std::string& skipped : signed_files.skipped) {
            std::cout << "skipped " << skipped << '\n';
        }
        print_table(verdict);
        for (const auto& file : written) {
            std::cout << fmt::format("wrote {}{}\n",
                                     file.path,
                                     file.backup ? fmt::format(" (previous kept as {})", *file.backup) : "");
        }
    }
    return verdict.all_passed() ? ExitCode::ok : ExitCode::findings;
}

}  // namespace

void add_external_command(CLI::App& app, CommandAction& action) {
    CLI::App* external = app.add_subcommand(
        "external", "Work with a CA we do not hold (a customer's): make CSRs, then import what it signed.");
    external->require_subcommand(1);
    auto options = std::make_shared<ExternalCsrOptions>();
    CLI::App* csr = external->add_subcommand(
        "csr",
        "Make a key and a CSR per host for a customer's CA, and a summary to send along.\n\n"
        "Each key is 0600; each CSR has the hostname and aliases as SANs and the subject the customer\n"
        "requires; csr-summary.txt/.json list names, SANs, each CSR file's SHA-256 (what `sha256sum`\n"
        "prints) and its DER SHA-256. --out-dir is made if it does not exist.\n"
        "The summary is what `certfleet external import` checks the signed certificates against.\n\n"
        "Examples:\n"
        "  certfleet external csr --hosts hosts.yaml --out-dir /backup/new_certs/cert_requests\n"
        "  certfleet external csr --host node1.example.com,node1 --host edge1.example.com,vip.example.com "
        "\\\n"
        "      --subject 'O=Acme,C=GR' --out-dir requests\n\n"
        "Exit status: 0 written; 2 invalid input (nothing written); 4 a file exists (use --force).");
    csr->add_option("--hosts", options->hosts_file, "YAML list of hosts (see README: External CA)");
    csr->add_option("--host", options->hosts, "NAME[,ALIAS...] (repeatable)");
    csr->add_option("--subject", options->subject, "Subject template; {name} is the host")
        ->capture_default_str();
    csr->add_option("--key-type", options->key_type, "Key type when not set by --hosts")
        ->capture_default_str();
    csr->add_option(
           "--out-dir", options->out_dir, "Directory for keys, CSRs and the summary (made if missing)")
        ->required();
    csr->add_flag("--force", options->force, "Replace existing files");
    csr->add_flag("--json", options->json, "Print the summary as JSON");
    csr->callback([options, &action] { action = [options] { return run_external_csr(*options); }; });

    auto import_options = std::make_shared<ExternalImportOptions>();
    CLI::App* import = external->add_subcommand(
        "import",
        "Check the certificates the external CA signed, host by host, and deploy those that pass.\n\n"
        "Each signed certificate is matched to its host (commonName or SAN) from the csr-summary.json\n"
        "that `external csr` wrote, then checked as seed 000 does by hand: issuer is the customer CA,\n"
        "subject (--subject-match) and SANs are what was asked, extendedKeyUsage has serverAuth (TLS Web\n"
        "Server Authentication; --require-eku for more), dates (not yet valid, expired, less than "
        "--min-remaining left), the key is the\n"
        "host's (the modulus comparison, for every key type), and the chain is complete to the customer\n"
        "root. Hosts that pass get their --target files (atomic writes, previous files backed up);\n"
        "nothing is written for a host that fails. Files under --signed that are not certificates\n"
        "(README.txt) are skipped and named; a damaged certificate file stops the import.\n\n"
        "Examples:\n"
        "  certfleet external import --dir requests --signed signed/ --ca-chain customer-chain.pem\n"
        "  certfleet external import --dir requests --signed signed/ --ca-chain customer-chain.pem \\\n"
        "      --target haproxy:/opt/haproxy/security/x509/{name}.pem \\\n"
        "      --target jks:/opt/cloudera/security/jks/{name}.jks --password-file storepass\n"
        "  certfleet external import --dir requests --signed signed/ --ca-chain customer-chain.pem \\\n"
        "      --subject-match cn --require-eku serverAuth,clientAuth\n\n"
        "Exit status: 0 every host passed; 1 a host failed or a certificate fits no host; 2 bad input.");
    import->add_option("--dir", import_options->dir, "The directory `external csr` wrote")->required();
    import->add_option("--signed", import_options->signed_paths, "Signed certificate files or directories")
        ->required();
    import->add_option("--ca-chain", import_options->ca_chain, "The customer CA chain, up to its root (PEM)")
        ->required();
    import->add_option(
        "--issuer", import_options->issuer, "Expected issuer DN (default: the chain's issuing CA)");
    import->add_option("--min-remaining", import_options->min_remaining, "Least validity left to accept")
        ->capture_default_str();
    import->add_option("--at", import_options->at, "Check at this UTC time instead of now");
    import->add_option(
        "--target", import_options->targets, "FORMAT:PATH to write per passing host; {name} is the host");
    import->add_option(
        "--password-file", import_options->password_file, "Keystore password for jks/pkcs12 targets");
    import->add_option(
        "--backup-dir", import_options->backup_dir, "Where replaced files are kept (default: beside them)");
    import
        ->add_option("--subject-match",
                     import_options->subject_match,
                     "exact (default): the subject asked for; cn: the same commonName, for a CA that\n"
                     "rewrites the rest (adds O=, OU=)")
        ->check(CLI::IsMember({"exact", "cn"}));
    import
        ->add_option("--require-eku",
                     import_options->require_eku,
                     "Extended key usages every certificate must have (default serverAuth), e.g.\n"
                     "serverAuth,clientAuth")
        ->delimiter(',')
        ->check(CLI::IsMember(
            {"serverAuth", "clientAuth", "codeSigning", "emailProtection", "timeStamping", "OCSPSigning"}));
    import->add_flag("--json", import_options->json, "Print the verdict as JSON");
    import->callback([import_options, &action] {
        action = [import_options] { return run_external_import(*import_options);
};
}  // namespace certfleet::cli
);
}

}  // namespace certfleet::cli
