#include "cli/authority_options.hpp"
#include "cli/command.hpp"
#include "cli/inventory_output.hpp"
#include "cli/json_output.hpp"
#include "core/duration.hpp"
#include "core/file.hpp"
#include "inventory/drift.hpp"
#include "inventory/file_scanner.hpp"
#include "inventory/prometheus_exposition.hpp"
#include "pki/certificate.hpp"

#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <unistd.h>

namespace certfleet::cli {
namespace {

struct ScanOptions {
    std::vector<std::string> paths;
    bool recursive = false;
    std::vector<std::string> include;
    bool json = false;
    bool csv = false;
    std::string prometheus_file;
    std::string expiring;
    std::string issuer;
    std::string name;
    std::string password_file;
    std::string passwords_yaml;
    std::string passphrase_file;
    std::string at;
    std::string store;
    bool quiet = false;
};

/// A progress line on standard error, only when it is a terminal.
class ProgressLine {
public:
    explicit ProgressLine(bool wanted) : m_enabled(wanted && ::isatty(STDERR_FILENO) == 1) {}
    ProgressLine(const ProgressLine&) = delete;
    ProgressLine& operator=(const ProgressLine&) = delete;
    ~ProgressLine() {
        if (m_shown) {
            std::cerr << "\r\033[K" << std::flush;
        }
    }
    void show(const inventory::ScanProgress& progress) {
        if (!m_enabled) {
            return;
        }
        m_shown = true;
        std::cerr << fmt::format("\rscanning: {}/{} files", progress.files_done, progress.files_total)
                  << std::flush;
    }

private:
    bool m_enabled;
    bool m_shown = false;
};

ExitCode run_scan(const ScanOptions& options) {
    const core::TimePoint now =
        options.at.empty() ? core::SystemClock().now() : pki::parse_time(options.at, "--at");
    inventory::InventoryFilter filter{
        .expiring_within = std::nullopt, .issuer = options.issuer, .name = options.name, .at = now};
    if (!options.expiring.empty()) {
        filter.expiring_within = core::parse_duration(options.expiring, "--expiring");
    }
    inventory::KeystorePasswords passwords;
    if (!options.passwords_yaml.empty()) {
        passwords = inventory::KeystorePasswords::from_yaml_file(options.passwords_yaml);
    }
    if (!options.password_file.empty()) {
        passwords.set_default(core::read_secret_file(options.password_file));
    }
    std::optional<core::Secret> passphrase;
    if (!options.passphrase_file.empty()) {
        passphrase = core::read_secret_file(options.passphrase_file);
    }
    const std::unique_ptr<store::Store> store = open_configured_store(options.store);

    inventory::InventoryReport report;
    {
        ProgressLine progress(!options.quiet);
        report = inventory::scan_files(
            options.paths,
            {.recursive = options.recursive,
             .include = options.include,
             .passwords = &passwords,
             .passphrase = passphrase ? &*passphrase : nullptr,
             .workers = 2,
             .on_progress = [&progress](const inventory::ScanProgress& p) { progress.show(p); }});
    }
    report.certificates = inventory::select(report.certificates, filter);
    if (store) {
        inventory::add_drift(report.certificates, *store);
    }

    for (const auto& error : report.errors) {
        std::cerr << fmt::format("certfleet: {}: {}\n", error.path, error.reason);
    }
    std::string out;
    if (options.json) {
        nlohmann::json certificates = nlohmann::json::array();
        for (const auto& record : report.certificates) {
            certificates.push_back(to_json(record, now));
        }
        nlohmann::json errors = nlohmann::json::array();
        for (const auto& error : report.errors) {
            errors.push_back({{"path", error.path}, {"error", error.reason}});
        }
        out = json_text(nlohmann::json{{"certificates", certificates}, {"errors", errors}}) + "\n";
    } else if (options.csv) {
        out = csv_header();
        for (const auto& record : report.certificates) {
            out += to_csv_line(record, now);
        }
    } else {
        out = table_header(store != nullptr);
        for (const auto& record : report.certificates) {
            out += to_table_row(record, now);
        }
        out += fmt::format("{} certificate(s) in {} file(s) read; {} could not be read\n",
                           report.certificates.size(),
                           report.files_read,
                           report.errors.size());
    }
    std::cout << out << std::flush;
    if (!options.prometheus_file.empty()) {
        core::write_file_atomically(options.prometheus_file,
                                    inventory::to_prometheus_text(report, now),
                                    {.mode = 0644, .overwrite = core::Overwrite::replace});
    }
    if (filter.expiring_within && !report.certificates.empty()) {
        return ExitCode::findings;
    }
    return report.errors.empty() ? ExitCode::ok : ExitCode::invalid_input;
}

}  // namespace

void add_scan_command(CLI::App& app, CommandAction& action) {
    auto options = std::make_shared<ScanOptions>();
    CLI::App* cmd = app.add_subcommand(
        "scan",
        "List every certificate in files, bundles and keystores, with its expiry.\n\n"
        "Reads PEM (bundles, HAProxy combined files), DER, PKCS#12 and JKS on two threads. Files that\n"
        "cannot be read are listed on standard error with the reason, and the scan goes on.\n"
        "A directory's files are read; -r also reads its subdirectories.\n\n"
        "Examples:\n"
        "  certfleet scan -r /etc/haproxy/certs /opt/cloudera/security\n"
        "  certfleet scan -r --expiring 30d /etc/ssl/private   # exit 1 if any expires within 30 days\n"
        "  certfleet scan -r --passwords passwords.yaml --prometheus /var/lib/node_exporter/certs.prom "
        "/opt\n\n"
        "--passwords YAML: a list of {glob: \"*.jks\", password_file: FILE} or {path: FILE, password: "
        "TEXT}.\n"
        "--prometheus writes x509_cert_not_after/not_before/expired and x509_read_errors, labelled as\n"
        "x509-certificate-exporter does (filepath, subject_CN, issuer_CN, serial_number).\n"
        "--expiring, --issuer and --name select the certificates of every output, --prometheus too.\n"
        "--store (or $CERTFLEET_STORE) compares each certificate with what our authorities issued: a DRIFT\n"
        "column (ok; STALE: a newer unrevoked one exists for its names; REVOKED; FOREIGN: not ours), and in\n"
        "JSON issued_by_us, authority, revoked, newest_for_names, newer_serial. No passphrase needed.\n\n"
        "Exit status: 0 every file read; 1 --expiring matched a certificate; 2 a file could not be read.");
    cmd->add_option("paths", options->paths, "Files or directories to scan")->required();
    cmd->add_flag("-r,--recursive", options->recursive, "Also scan subdirectories");
    cmd->add_option("--include", options->include, "Only files in directories whose name matches this glob");
    cmd->add_flag("--json", options->json, "Print JSON: {certificates: [...], errors: [...]}");
    cmd->add_flag("--csv", options->csv, "Print CSV, one line per certificate");
    cmd->add_option("--prometheus", options->prometheus_file, "Also write Prometheus text format to FILE");
    cmd->add_option("--expiring", options->expiring, "Only certificates expiring within this (30d, 12h)");
    cmd->add_option("--issuer", options->issuer, "Only certificates whose issuer contains this text");
    cmd->add_option("--name", options->name, "Only certificates whose subject or a SAN contains this text");
    cmd->add_option("--password-file", options->password_file, "Password of every keystore (first line)");
    cmd->add_option("--passwords", options->passwords_yaml, "YAML file of keystore passwords by path/glob");
    cmd->add_option("--passphrase-file", options->passphrase_file, "Passphrase of encrypted private keys");
    cmd->add_option("--at", options->at, "Compute remaining validity at this UTC time instead of now");
    cmd->add_option("--store",
                    options->store,
                    "Compare with the certificates issued in this store (sqlite:///path or postgresql://...; "
                    "default $CERTFLEET_STORE, else no comparison)");
    cmd->add_flag("-q,--quiet", options->quiet, "No progress line");
    cmd->callback([options, &action] {
        if (options->json && options->csv) {
            throw CLI::ValidationError("--json and --csv", "choose one");
        }
        action = [options] { return run_scan(*options); };
    });
}

}  // namespace certfleet::cli
