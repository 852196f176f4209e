#include "cli/command.hpp"
#include "cli/target_ownership.hpp"
#include "cli/written_files.hpp"
#include "core/file.hpp"
#include "deploy/deployment_plan.hpp"
#include "deploy/source_reader.hpp"
#include "formats/artifact_reader.hpp"
#include "formats/bundle_targets.hpp"
#include "formats/certified_key_reader.hpp"
#include "formats/haproxy_bundle.hpp"
#include "formats/puppet_ssl_dir.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

namespace certfleet::cli {
namespace {

struct BundleOptions {
    std::string cert;
    std::string key;
    std::string chain;
    std::string from;
    std::string splice;
    std::string import_into;
    std::string format;
    std::string out;
    std::string password_file;
    bool empty_password = false;
    std::string from_password_file;
    std::string passphrase_file;
    std::string alias;
    std::string owner;
    std::string group;
    std::string mode;
    std::string backup_dir;
    std::string crl;
    std::string order = "leaf-first";
    std::string truststore_type = "jks";
    std::string name;
    std::string name_space = "default";
    bool legacy = false;
    bool replace = false;
    bool with_ca = false;
};

// --cert/--key/--chain as given: the first certificate of --cert is the leaf, the rest of --cert and
// then --chain its issuers, in the order written (checked, not repaired: a wrong order is an error).
formats::CertifiedKey read_loose_inputs(const BundleOptions& options) {
    return deploy::read_source({.cert = options.cert,
                                .key = options.key,
                                .chain = options.chain,
                                .passphrase_file = options.passphrase_file});
}

// Puppet's layout has fixed subdirectories: made (0755) only once every file has been built. A missing
// ssl dir is made too (0771, as puppet makes its ssldir): operators empty it with `rm -rf ssl/*` or
// remove it before re-bootstrapping a node.
void make_puppet_subdirectories(const std::string& out) {
    std::error_code ec;
    if (!std::filesystem::is_directory(out, ec)) {
        if (std::filesystem::exists(out, ec)) {
            throw core::Error(core::ErrorCode::invalid_input, fmt::format("--out {}: not a directory", out));
        }
        std::filesystem::create_directories(out, ec);
        if (ec) {
            throw core::Error(core::ErrorCode::unavailable, fmt::format("--out {}: {}", out, ec.message()));
        }
        using std::filesystem::perms;
        std::filesystem::permissions(out, perms::owner_all | perms::group_all | perms::others_exec, ec);
        std::cout << "created directory " << out << '\n';
    }
    for (const std::string& dir : formats::puppet_ssl_subdirectories(out)) {
        std::filesystem::create_directories(dir, ec);
        if (ec) {
            throw core::Error(core::ErrorCode::unavailable, fmt::format("{}: {}", dir, ec.message()));
        }
    }
}

// The secrets of a bundle run: the output keystore's password, the input keystore's (--from-password-file,
// else the output's), and the passphrase of an encrypted input key.
struct BundleSecrets {
    std::optional<core::Secret> password;
    std::optional<core::Secret> from_password;
    std::optional<core::Secret> passphrase;

    [[nodiscard]] const core::Secret* input_password() const {
        return from_password ? &*from_password : (password ? &*password : nullptr);
    }
};

BundleSecrets read_bundle_secrets(const BundleOptions& options) {
    if (options.empty_password && !options.password_file.empty()) {
        throw core::Error(core::ErrorCode::invalid_input, "give one of --password-file and --empty-password");
    }
    BundleSecrets secrets;
    if (options.empty_password) {
        secrets.password = core::Secret();
    } else if (!options.password_file.empty()) {
        secrets.password = core::read_secret_file(
            options.password_file,
            {.empty_hint = "a keystore without a password needs --empty-password, not an empty file"});
    }
    if (!options.from_password_file.empty()) {
        secrets.from_password = core::read_secret_file(options.from_password_file);
    }
    if (!options.passphrase_file.empty()) {
        secrets.passphrase = core::read_secret_file(options.passphrase_file);
    }
    return secrets;
}

// What goes into the bundle: an HAProxy bundle spliced with a new certificate (--splice), any artifact
// (--from), or loose files (--cert, --key, --chain).
formats::CertifiedKey read_bundle_input(const BundleOptions& options, const BundleSecrets& secrets) {
    if (!options.splice.empty()) {
        if (options.cert.empty()) {
            throw core::Error(core::ErrorCode::invalid_input,
                              "--splice needs --cert with the new certificate");
        }
        formats::CertifiedKey fresh = read_loose_inputs(options);
        return formats::splice_haproxy_bundle(core::read_file(options.splice),
                                              options.splice,
                                              std::move(fresh.certificate),
                                              std::move(fresh.chain));
    }
    if (!options.from.empty()) {
        return formats::read_certified_key(core::read_file(options.from),
                                           options.from,
                                           {.password = secrets.input_password(),
                                            .passphrase = secrets.passphrase ? &*secrets.passphrase : nullptr,
                                            .alias = options.alias});
    }
    if (options.cert.empty()) {
        throw core::Error(core::ErrorCode::invalid_input, "give --cert (with --key and --chain), or --from");
    }
    return read_loose_inputs(options);
}

// The input's files as messages name them: "cert.pem + key.pem + chain.pem", or the one artifact.
std::string bundle_source(const BundleOptions& options) {
    if (!options.splice.empty()) {
        return options.splice;
    }
    if (!options.from.empty()) {
        return options.from;
    }
    std::string source = options.cert;
    for (const std::string* extra : {&options.key, &options.chain}) {
        if (!extra->empty()) {
            source += " + " + *extra;
        }
    }
    return source;
}

// --out, else the spliced bundle or the keystore imported into (both rewritten in place).
std::string bundle_output(const BundleOptions& options) {
    std::string out = options.out;
    if (out.empty()) {
        out = !options.splice.empty() ? options.splice : options.import_into;
    }
    if (out.empty()) {
        throw core::Error(core::ErrorCode::invalid_input, "--out is required");
    }
    return out;
}

ExitCode run_bundle(const BundleOptions& options) {
    const core::SystemClock clock;
    const BundleSecrets secrets = read_bundle_secrets(options);
    formats::CertifiedKey bundle = read_bundle_input(options, secrets);
    formats::require_consistent(bundle, bundle_source(options));

    const std::string format = !options.splice.empty() && options.format.empty() ? "haproxy" : options.format;
    const std::string out = bundle_output(options);
    std::optional<std::string> existing;
    if (!options.import_into.empty()) {
        existing = core::read_file(options.import_into);
    }
    const formats::BundleTargetRequest request{
        .format = formats::parse_bundle_format(format),
        .out = out,
        .password = secrets.password ? &*secrets.password : nullptr,
        .alias = options.alias,
        .created = clock.now(),
        .order = formats::parse_chain_order(options.order, "--order"),
        .legacy = options.legacy,
        .truststore_type = formats::parse_truststore_type(options.truststore_type, "--truststore-type"),
        .secret_name = options.name,
        .secret_namespace = options.name_space,
        .include_ca = options.with_ca,
        .existing_keystore = existing ? &*existing : nullptr,
        .existing_source = options.import_into,
        .alias_clash = options.replace ? formats::AliasClash::replace : formats::AliasClash::refuse,
        .crl_pem = options.crl.empty() ? std::string() : core::read_file(options.crl),
        .service_group = !options.group.empty(),
    };
    std::vector<formats::TargetFile> files = formats::make_bundle_targets(bundle, request);
    if (request.format == formats::BundleFormat::pem && bundle.intermediates().empty()) {
        std::cout << "chain.pem not written: the root issued the certificate, there is no intermediate\n";
    }
    if (request.format == formats::BundleFormat::puppet_ssl_dir) {
        make_puppet_subdirectories(out);
    }
    // Through the deployment engine: all files or none, a replaced file keeps its owner, group and mode
    // (unless --owner/--group/--mode), and its backup goes to the state directory (or --backup-dir).
    const formats::TargetWriteOptions write_options =
        target_write_options(options.owner, options.group, options.mode, {});
    const deploy::DeploymentPlan plan = deploy::plan_files(
        std::move(files),
        {.owner = write_options.owner, .group = write_options.group, .mode = write_options.mode});
    return print_written(plan, deploy_files(plan, options.backup_dir, "bundle", clock.now()));
}

}  // namespace

void add_bundle_command(CLI::App& app, CommandAction& action) {
    auto o = std::make_shared<BundleOptions>();
    CLI::App* cmd = app.add_subcommand(
        "bundle",
        "Write the files a service reads from a certificate, its key and its chain.\n\n"
        "Formats: pem (cert/key/chain/fullchain/ca.pem in the --out directory), haproxy (leaf +\n"
        "intermediates + key), pkcs12 (--legacy for old Java), jks, truststore (--truststore-type "
        "jks|pkcs12),\n"
        "k8s-secret (--name, --namespace, --with-ca), chain-files (the ordered files of a custom-chain "
        "upload,\n"
        "in the --out directory), puppet-ssl-dir (--name, --out = the ssl dir).\n"
        "Every file is written atomically, a file it replaces is first copied to NAME.<UTC time>.bak\n"
        "(beside it, or in --backup-dir), and owner, group and mode are set.\n\n"
        "Examples:\n"
        "  certfleet bundle --cert node.pem --key node.key --chain chain.pem --format jks --alias $HOSTNAME "
        "\\\n"
        "      --password-file pw --out node.jks\n"
        "  certfleet bundle --format haproxy --splice /etc/haproxy/certs/site.pem --cert new.pem\n"
        "  certfleet bundle --from node.p12 --password-file pw --format jks --import-into server.jks "
        "--replace\n\n"
        "Exit status: 0 written; 2 invalid input (nothing written); 3 a wrong keystore password or key\n"
        "passphrase; 4 alias exists or file conflict.");
    cmd->add_option("--cert", o->cert, "The certificate (its file may hold the chain after it)");
    cmd->add_option("--key", o->key, "Its private key");
    cmd->add_option("--chain", o->chain, "The issuers, leaf first (intermediates, then optionally the root)");
    cmd->add_option(
        "--from", o->from, "Read certificate, key and chain from this artifact instead (any format)");
    cmd->add_option(
        "--from-password-file", o->from_password_file, "Password of --from (default: --password-file)");
    cmd->add_option(
        "--splice", o->splice, "HAProxy: replace the certificate in this bundle, keeping its key");
    cmd->add_option("--import-into",
                    o->import_into,
                    "jks, truststore: add to this JKS keystore, other entries kept (backup kept)");
    cmd->add_option(
        "--format", o->format, "pem|haproxy|pkcs12|jks|truststore|k8s-secret|chain-files|puppet-ssl-dir");
    cmd->add_option("--out", o->out, "The file (or directory for pem, chain-files, puppet-ssl-dir) to write");
    cmd->add_option("--password-file", o->password_file, "Keystore password (first line)");
    cmd->add_flag("--empty-password",
                  o->empty_password,
                  "Write the keystore with the empty password (only when a client needs exactly that)");
    cmd->add_option("--passphrase-file", o->passphrase_file, "Passphrase of an encrypted input key");
    cmd->add_option("--alias", o->alias, "Keystore alias / PKCS#12 friendly name");
    cmd->add_option("--owner", o->owner, "Owner of written files (user name or uid)");
    cmd->add_option("--group", o->group, "Group of written files (group name or gid)");
    cmd->add_option(
        "--mode", o->mode, "Mode of written files, octal (default 0600 for keys, 0644 otherwise)");
    cmd->add_option(
        "--backup-dir", o->backup_dir, "Where backups of replaced files go (default: beside them)");
    cmd->add_option("--order",
                    o->order,
                    "Chain order in PEM and chain-files: leaf-first (the leaf's issuer first; default)\n"
                    "or root-first")
        ->check(CLI::IsMember({"leaf-first", "root-first"}));
    cmd->add_option("--truststore-type", o->truststore_type, "jks (default) or pkcs12");
    cmd->add_option("--name", o->name, "k8s-secret: Secret name; puppet-ssl-dir: the node's certname");
    cmd->add_option("--namespace", o->name_space, "k8s-secret: namespace (default: default)");
    cmd->add_option("--crl", o->crl, "puppet-ssl-dir: the CA's CRL, written as crl.pem");
    cmd->add_flag("--legacy", o->legacy, "PKCS#12 with 3DES and a SHA-1 MAC, for Java 8 and older");
    cmd->add_flag("--replace", o->replace, "Replace an existing alias (with --import-into)");
    cmd->add_flag("--with-ca", o->with_ca, "k8s-secret: add ca.crt (the root)");
    cmd->callback([o, &action] { action = [o] { return run_bundle(*o); }; });
}

}  // namespace certfleet::cli
