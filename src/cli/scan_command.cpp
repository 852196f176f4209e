#include "cli/authority_options.hpp"
#include "cli/command.hpp"
#include "cli/inventory_output.hpp"
#include "cli/json_output.hpp"
#include "cli/progress_line.hpp"
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

// Collects standard output and writes it in large blocks.
class BufferedOutput {
public:
    BufferedOutput() = default;
    BufferedOutput(const BufferedOutput&) = delete;
    BufferedOutput& operator=(const BufferedOutput&) = delete;
    BufferedOutput(BufferedOutput&&) = delete;
    BufferedOutput& operator=(BufferedOutput&&) = delete;
    ~BufferedOutput() { flush(); }
    void write(std::string_view text) {
        m_buffer += text;
        if (m_buffer.size() >= (1U << 20U)) {
            flush();
        }
    }
    void flush() {
        std::cout.write(m_buffer.data(), static_cast<std::streamsize>(m_buffer.size()));
        std::cout.flush();
        m_buffer.clear();
    }

private:
    std::string m_buffer;
};

enum class OutputKind { table, json, csv };

// What each output needs of a record: the table shows common names, days and key, not the SANs,
// the DNs (unless a filter reads them) or the fingerprint; drift compares all of them.
inventory::RecordDetail detail_for(OutputKind kind, const inventory::InventoryFilter& filter, bool drift) {
    if (kind != OutputKind::table || drift) {
        return {};
    }
    return {.distinguished_names = !filter.issuer.empty() || !filter.name.empty(),
            .subject_alt_names = !filter.name.empty(),
            .fingerprint = false};
}

// Returns one file's records as output text. JSON records each start with ",\n" (the first record of
// the document drops the comma).
std::string format_records(const std::vector<inventory::CertificateRecord>& records,
                           OutputKind kind,
                           core::TimePoint now) {
    std::string out;
    for (const inventory::CertificateRecord& record : records) {
        switch (kind) {
            case OutputKind::json:
                out += ",\n    ";
                append_json(out, record, now, 2);
                break;
            case OutputKind::csv:
                out += to_csv_line(record, now);
                break;
            case OutputKind::table:
                out += to_table_row(record, now);
                break;
        }
    }
    return out;
}

std::string json_errors(const std::vector<inventory::ScanError>& errors) {
    if (errors.empty()) {
        return "[]";
    }
    std::string out = "[";
    for (std::size_t i = 0; i < errors.size(); ++i) {
        out += i == 0 ? "\n    {\n      \"error\": " : ",\n    {\n      \"error\": ";
        append_json_string(out, errors[i].reason);
        out += ",\n      \"path\": ";
        append_json_string(out, errors[i].path);
        out += "\n    }";
    }
    return out + "\n  ]";
}

OutputKind output_kind(const ScanOptions& options) {
    if (options.json) {
        return OutputKind::json;
    }
    return options.csv ? OutputKind::csv : OutputKind::table;
}

// --passwords (per keystore) and --password-file (for any other).
inventory::KeystorePasswords keystore_passwords(const ScanOptions& options) {
    inventory::KeystorePasswords passwords;
    if (!options.passwords_yaml.empty()) {
        passwords = inventory::KeystorePasswords::from_yaml_file(options.passwords_yaml);
    }
    if (!options.password_file.empty()) {
        passwords.set_default(core::read_secret_file(options.password_file));
    }
    return passwords;
}

// What follows the last certificate: the JSON array's end and the errors, or the table's count line.
std::string scan_trailer(OutputKind kind, std::size_t certificates, const inventory::InventoryReport& kept) {
    if (kind == OutputKind::json) {
        return (certificates == 0 ? "],\n  \"errors\": " : "\n  ],\n  \"errors\": ") +
               json_errors(kept.errors) + "\n}\n";
    }
    if (kind == OutputKind::table) {
        return fmt::format("{} certificate(s) in {} file(s) read; {} could not be read\n",
                           certificates,
                           kept.files_read,
                           kept.errors.size());
    }
    return "";
}

ExitCode run_scan(const ScanOptions& options) {
    const core::TimePoint now =
        options.at.empty() ? core::SystemClock().now() : pki::parse_time(options.at, "--at");
    const inventory::InventoryFilter filter{
        .expiring_within = options.expiring.empty()
                               ? std::nullopt
                               : std::optional(core::parse_duration(options.expiring, "--expiring")),
        .issuer = options.issuer,
        .name = options.name,
        .at = now};
    const inventory::KeystorePasswords passwords = keystore_passwords(options);
    std::optional<core::Secret> passphrase;
    if (!options.passphrase_file.empty()) {
        passphrase = core::read_secret_file(options.passphrase_file);
    }
    const std::unique_ptr<store::Store> store = open_configured_store(options.store);
    const OutputKind kind = output_kind(options);

    // Streamed: each file's records are filtered and formatted on the scan's workers and written in
    // path order as they come, so no document of every certificate is held. Drift needs the store,
    // which is used from this thread only; --prometheus needs every record (not their text).
    BufferedOutput out;
    out.write(kind == OutputKind::json  ? "{\n  \"certificates\": ["
              : kind == OutputKind::csv ? csv_header()
                                        : table_header(store != nullptr));
    inventory::InventoryReport kept;  // errors always; certificates only for --prometheus
    std::size_t certificates = 0;
    inventory::ScanSink sink;
    sink.process = [&](inventory::ScannedFile& file) {
        std::erase_if(file.certificates, [&](const inventory::CertificateRecord& record) {
            return !inventory::matches(record, filter);
        });
        if (!store) {
            file.text = format_records(file.certificates, kind, now);
        }
    };
    sink.deliver = [&](inventory::ScannedFile& file) {
        if (file.error) {
            std::cerr << fmt::format("certfleet: {}: {}\n", file.error->path, file.error->reason);
            kept.errors.push_back(std::move(*file.error));
            return;
        }
        ++kept.files_read;
        if (store) {
            inventory::add_drift(file.certificates, *store);
            file.text = format_records(file.certificates, kind, now);
        }
        out.write(kind == OutputKind::json && certificates == 0 && !file.text.empty()
                      ? std::string_view(file.text).substr(1)
                      : std::string_view(file.text));
        certificates += file.certificates.size();
        if (!options.prometheus_file.empty()) {
            std::move(
                file.certificates.begin(), file.certificates.end(), std::back_inserter(kept.certificates));
        }
    };
    {
        // Output is written as the scan goes: no progress line on a terminal that shows it.
        ProgressLine progress(!options.quiet && ::isatty(STDOUT_FILENO) != 1);
        inventory::stream_scan(
            options.paths,
            {.recursive = options.recursive,
             .include = options.include,
             .passwords = &passwords,
             .passphrase = passphrase ? &*passphrase : nullptr,
             .workers = 2,
             .on_progress =
                 [&progress](const inventory::ScanProgress& p) {
                     progress.show(fmt::format("scanning: {}/{} files", p.files_done, p.files_total));
                 },
             .detail = detail_for(kind, filter, store != nullptr)},
            sink);
    }
    out.write(scan_trailer(kind, certificates, kept));
    out.flush();
    if (!options.prometheus_file.empty()) {
        core::write_file_atomically(options.prometheus_file,
                                    inventory::to_prometheus_text(kept, now),
                                    {.mode = 0644, .overwrite = core::Overwrite::replace});
    }
    if (filter.expiring_within && certificates > 0) {
        return ExitCode::findings;
    }
    return kept.errors.empty() ? ExitCode::ok : ExitCode::invalid_input;
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
    // One glob per --include (repeatable): `--include '*.pem' DIR` must not take DIR as a second glob.
    cmd->add_option("--include", options->include, "Only files whose name matches this glob (repeatable)")
        ->allow_extra_args(false);
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
