#include "authority/authority.hpp"
#include "authority/authority_setup.hpp"
#include "authority/ca_key_file.hpp"
#include "cli/authority_options.hpp"
#include "cli/command.hpp"
#include "cli/json_output.hpp"
#include "core/clock.hpp"
#include "core/file.hpp"
#include "pki/object_reader.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

namespace certfleet::cli {
namespace {

struct CaOptions {
    AuthorityOptions authority;
    std::string name;
    std::string subject;
    bool intermediate = false;
    std::string intermediate_subject;
    std::string key_type = "ec:p256";
    std::string validity = "10y";
    std::string offline_root;
    std::string profiles_file;
    std::string policy_file;
    std::string cert_file;
    std::string key_file;
    std::string key_passphrase_file;
    std::string chain_file;
    std::string out;
    bool root_only = false;
    bool remove = false;
    bool json = false;
    bool allow_weak_passphrase = false;
    int limit = 50;
};

// The passphrase protects CA keys at rest: too short and the PBKDF2 rounds only delay a guess.
constexpr std::size_t min_passphrase_length = 12;

core::Secret read_new_ca_passphrase(const CaOptions& o) {
    core::Secret passphrase = read_ca_passphrase(o.authority.passphrase_file, true);
    if (passphrase.reveal().size() < min_passphrase_length && !o.allow_weak_passphrase) {
        throw core::Error(core::ErrorCode::invalid_input,
                          fmt::format("the CA passphrase has {} characters; use at least {} (or say "
                                      "--allow-weak-passphrase)",
                                      passphrase.reveal().size(),
                                      min_passphrase_length));
    }
    return passphrase;
}

std::string optional_file(const std::string& path) {
    return path.empty() ? std::string{} : core::read_file(path);
}

void print_chain(const std::string& chain_pem, const std::string& name) {
    const auto chain = pki::read_certificates(chain_pem, name);
    for (std::size_t i = 0; i < chain.size(); ++i) {
        const auto& c = chain[i];
        std::cout << fmt::format("{} {}\n  issuer: {}\n  serial: {}\n  not after: {}\n  SHA-256: {}\n",
                                 i == 0 ? "issuing CA:" : (i + 1 == chain.size() ? "root:" : "CA:"),
                                 c.subject(),
                                 c.issuer(),
                                 c.serial_hex(),
                                 pki::format_time(c.not_after()),
                                 c.fingerprint(pki::DigestAlgorithm::sha256));
    }
}

ExitCode run_init(const CaOptions& o) {
    if (!o.offline_root.empty() && !o.intermediate) {
        throw core::Error(core::ErrorCode::invalid_input,
                          "--offline-root needs --intermediate (the root must not sign leaves)");
    }
    const core::Secret passphrase = read_new_ca_passphrase(o);
    NewStore store(o.authority);
    const core::SystemClock clock;
    const authority::InitResult result =
        authority::init_authority(store.get(),
                                  {.name = o.name,
                                   .subject = o.subject,
                                   .intermediate = o.intermediate,
                                   .intermediate_subject = o.intermediate_subject,
                                   .key = pki::KeySpec::parse(o.key_type, "--key-type"),
                                   .validity = core::parse_duration(o.validity, "--validity"),
                                   .offline_root = !o.offline_root.empty(),
                                   .profiles_yaml = optional_file(o.profiles_file),
                                   .policy_yaml = optional_file(o.policy_file)},
                                  passphrase,
                                  {.name = cli_actor(), .at = clock.now()});
    if (!o.offline_root.empty()) {
        core::write_file_atomically(o.offline_root, result.offline_root_key_pem, {.mode = 0600});
    }
    store.keep();
    std::cout << fmt::format("created authority \"{}\"\n", o.name);
    print_chain(result.chain_pem, o.name);
    if (!o.offline_root.empty()) {
        std::cout << fmt::format("root key written to {} (encrypted, mode 0600) and not kept in the store\n",
                                 o.offline_root);
    }
    return ExitCode::ok;
}

ExitCode run_import(const CaOptions& o) {
    NewStore store(o.authority);
    std::optional<core::Secret> key_passphrase;
    if (!o.key_passphrase_file.empty()) {
        key_passphrase = core::read_secret_file(o.key_passphrase_file);
    }
    const authority::ImportOptions import{.name = o.name,
                                          .certificate_pem = core::read_file(o.cert_file),
                                          .key_pem = core::read_file(o.key_file),
                                          .key_passphrase = key_passphrase ? &*key_passphrase : nullptr,
                                          .chain_pem = optional_file(o.chain_file),
                                          .profiles_yaml = optional_file(o.profiles_file),
                                          .policy_yaml = optional_file(o.policy_file),
                                          .certificate_source = o.cert_file,
                                          .key_source = o.key_file,
                                          .chain_source = o.chain_file};
    const core::Secret passphrase = read_new_ca_passphrase(o);
    const core::SystemClock clock;
    try {
        authority::import_authority(
            store.get(), import, passphrase, {.name = cli_actor(), .at = clock.now()});
    } catch (const core::Error& e) {
        // The key's own passphrase is --key-passphrase-file; --passphrase-file is the store's.
        if (!key_passphrase && std::string_view(e.what()).find("is encrypted") != std::string_view::npos) {
            throw core::Error(e.code(),
                              fmt::format("--key {}: the private key is encrypted; give its passphrase with "
                                          "--key-passphrase-file",
                                          o.key_file));
        }
        throw;
    }
    store.keep();
    std::cout << fmt::format("imported authority \"{}\"\n", o.name);
    print_chain(store.get().find_authority(o.name)->active_issuer().chain_pem, o.name);
    return ExitCode::ok;
}

store::AuthorityRecord load(store::Store& store, const AuthorityOptions& options) {
    const std::string name = authority::choose_authority(store, options.ca);
    auto record = store.find_authority(name);
    if (!record) {
        throw core::Error(core::ErrorCode::not_found, fmt::format("no authority \"{}\" in the store", name));
    }
    return *record;
}

ExitCode run_show(const CaOptions& o) {
    const auto store = open_store(o.authority);
    const store::AuthorityRecord record = load(*store, o.authority);
    if (o.json) {
        nlohmann::json chain = nlohmann::json::array();
        for (const auto& c : pki::read_certificates(record.active_issuer().chain_pem, record.name)) {
            chain.push_back({{"subject", c.subject()},
                             {"issuer", c.issuer()},
                             {"serial", c.serial_hex()},
                             {"not_after", pki::format_time(c.not_after())},
                             {"sha256", c.fingerprint(pki::DigestAlgorithm::sha256)}});
        }
        nlohmann::json issuers = nlohmann::json::array();
        for (const auto& i : record.issuers) {
            issuers.push_back({{"id", i.id},
                               {"generation", i.generation},
                               {"state", store::to_string(i.state)},
                               {"key_id", i.key_id}});
        }
        std::cout << json_text(nlohmann::json{{"name", record.name},
                                              {"chain", chain},
                                              {"issuers", issuers},
                                              {"root_key_in_store", !record.root_key_pem.empty()}})
                  << '\n';
        return ExitCode::ok;
    }
    std::cout << fmt::format("authority \"{}\"\n", record.name);
    const std::string& chain_pem = record.active_issuer().chain_pem;
    print_chain(chain_pem, record.name);
    std::cout << fmt::format("issuer generation {} (key id {})\n",
                             record.active_issuer().generation,
                             record.active_issuer().key_id);
    const bool has_intermediate = pki::read_certificates(chain_pem, record.name).size() > 1;
    if (has_intermediate) {
        std::cout << (record.root_key_pem.empty() ? "root key: offline (not in the store)\n"
                                                  : "root key: in the store (encrypted)\n");
    }
    return ExitCode::ok;
}

ExitCode run_export(const CaOptions& o) {
    const auto store = open_store(o.authority);
    const store::AuthorityRecord record = load(*store, o.authority);
    const std::string& chain_pem = record.active_issuer().chain_pem;
    const auto chain = pki::read_certificates(chain_pem, record.name);
    const std::string pem = o.root_only ? chain.back().pem() : chain_pem;
    if (o.out.empty()) {
        std::cout << pem;
    } else {
        core::write_file_atomically(o.out, pem, {.mode = 0644, .overwrite = core::Overwrite::replace});
        std::cerr << fmt::format("wrote {} ({} certificate{})\n",
                                 o.out,
                                 o.root_only ? 1 : chain.size(),
                                 o.root_only || chain.size() == 1 ? "" : "s");
    }
    return ExitCode::ok;
}

ExitCode run_export_root_key(const CaOptions& o) {
    const auto store = open_store(o.authority);
    const store::AuthorityRecord record = load(*store, o.authority);
    if (record.root_key_pem.empty()) {
        throw core::Error(
            core::ErrorCode::not_found,
            fmt::format(
                "authority \"{}\" keeps no root key in the store (no intermediate, or already offline)",
                record.name));
    }
    // Prove the operator holds the passphrase before the key leaves (and maybe is removed).
    const core::Secret passphrase = read_ca_passphrase(o.authority.passphrase_file, false);
    static_cast<void>(authority::open_ca_key(record.root_key_pem, passphrase, record.name));
    core::write_file_atomically(o.out, record.root_key_pem, {.mode = 0600});
    std::cout << fmt::format(
        "wrote the encrypted root key of \"{}\" to {} (mode 0600)\n", record.name, o.out);
    if (o.remove) {
        const core::SystemClock clock;
        store->update_root_key(record.name, "", {.name = cli_actor(), .at = clock.now()});
        std::cout << "removed the root key from the store: the root is offline\n";
    }
    return ExitCode::ok;
}

ExitCode run_audit(const CaOptions& o) {
    const auto store = open_store(o.authority);
    const auto entries =
        store->audit_log({.limit = static_cast<std::size_t>(o.limit), .authority = o.authority.ca});
    if (o.json) {
        nlohmann::json rows = nlohmann::json::array();
        for (const auto& e : entries) {
            rows.push_back({{"id", e.id},
                            {"at", pki::format_time(e.at)},
                            {"actor", e.actor},
                            {"action", e.action},
                            {"target", e.target},
                            {"outcome", e.outcome}});
        }
        std::cout << json_text(rows) << '\n';
        return ExitCode::ok;
    }
    for (const auto& e : entries) {
        std::cout << fmt::format("{}  {}  {:<24} {}  {}  {}\n",
                                 e.id,
                                 pki::format_time(e.at),
                                 e.action,
                                 e.actor,
                                 e.target,
                                 e.outcome);
    }
    return ExitCode::ok;
}

}  // namespace

void add_ca_command(CLI::App& app, CommandAction& action) {
    CLI::App* ca =
        app.add_subcommand("ca", "Create, import and show the certificate authorities certfleet operates.");
    ca->require_subcommand(1);
    auto o = std::make_shared<CaOptions>();
    const auto bind = [&action, o](CLI::App* command, ExitCode (*run)(const CaOptions&)) {
        command->callback([&action, o, run] { action = [o, run] { return run(*o); }; });
    };

    CLI::App* init = ca->add_subcommand(
        "init",
        "Create a new CA: a root, or with --intermediate a root and an intermediate that signs.\n"
        "The keys are stored encrypted (PKCS#8, AES-256-CBC, PBKDF2-SHA256 600,000 rounds).\n\n"
        "Example:\n  certfleet ca init --name main --subject \"CN=Acme Root,O=Acme\" --intermediate\n\n"
        "The CA passphrase (--passphrase-file, $CERTFLEET_CA_PASSPHRASE or a prompt) must have at least\n"
        "12 characters unless --allow-weak-passphrase is given.\n\n"
        "Exit status: 0 created; 2 invalid input (a passphrase too short); 4 the name is taken or a file\n"
        "exists; 5 store unavailable.");
    add_authority_options(*init, o->authority, true);
    init->remove_option(init->get_option("--ca"));  // the new authority is --name
    init->add_flag(
        "--allow-weak-passphrase", o->allow_weak_passphrase, "Accept a CA passphrase under 12 characters");
    init->add_option("--name", o->name, "Name of the new authority")->required();
    init->add_option("--subject", o->subject, "Subject of the root, \"CN=Acme Root,O=Acme\"")->required();
    init->add_flag(
        "--intermediate", o->intermediate, "Also create an intermediate CA that signs certificates");
    init->add_option("--intermediate-subject", o->intermediate_subject, "Subject of the intermediate");
    init->add_option("--key-type", o->key_type, "ec:p256, ec:p384, rsa:2048..4096 or ed25519")
        ->capture_default_str();
    init->add_option("--validity", o->validity, "Lifetime of the CA certificates")->capture_default_str();
    init->add_option(
        "--offline-root", o->offline_root, "Write the root key (encrypted) here instead of the store");
    init->add_option(
        "--profiles", o->profiles_file, "Profiles YAML (default: server, client, peer, intermediate)");
    init->add_option("--policy", o->policy_file, "Policy YAML (default: every name allowed)");
    bind(init, run_init);

    CLI::App* import = ca->add_subcommand(
        "import",
        "Import an existing CA certificate and its key.\n\n"
        "Example:\n  certfleet ca import --name legacy --cert ca.pem --key ca.key --key-passphrase-file "
        "pw\n\n"
        "The key's own passphrase is --key-passphrase-file; the store's (--passphrase-file) must have at\n"
        "least 12 characters unless --allow-weak-passphrase is given.\n\n"
        "Exit status: 0 imported; 2 invalid input (a key that does not match, a passphrase too short);\n"
        "3 a wrong --key-passphrase-file; 4 the name is taken; 5 store unavailable.");
    add_authority_options(*import, o->authority, true);
    import->remove_option(import->get_option("--ca"));  // the new authority is --name
    import->add_flag(
        "--allow-weak-passphrase", o->allow_weak_passphrase, "Accept a store passphrase under 12 characters");
    import->add_option("--name", o->name, "Name of the authority")->required();
    import->add_option("--cert", o->cert_file, "The CA certificate (PEM)")->required();
    import->add_option("--key", o->key_file, "Its private key (PEM, possibly encrypted)")->required();
    import->add_option("--key-passphrase-file", o->key_passphrase_file, "Passphrase of an encrypted --key");
    import->add_option("--chain", o->chain_file, "The CA's issuers up to the root (PEM)");
    import->add_option("--profiles", o->profiles_file, "Profiles YAML");
    import->add_option("--policy", o->policy_file, "Policy YAML");
    bind(import, run_import);

    CLI::App* show = ca->add_subcommand("show",
                                        "Print an authority's chain and fingerprints (never a key).\n\n"
                                        "Example:\n  certfleet ca show --ca main --json\n\n"
                                        "Exit status: 0 shown; 4 no such authority; 5 store unavailable.");
    add_authority_options(*show, o->authority, false);
    show->add_flag("--json", o->json, "Print JSON");
    bind(show, run_show);

    CLI::App* exp =
        ca->add_subcommand("export",
                           "Write an authority's certificate chain (issuing CA first).\n\n"
                           "Example:\n  certfleet ca export --ca main --root-only --out root.pem\n\n"
                           "Exit status: 0 written; 4 no such authority; 5 store unavailable.");
    add_authority_options(*exp, o->authority, false);
    exp->add_option("--out", o->out, "Output file (default: standard output)");
    exp->add_flag("--root-only", o->root_only, "Only the root certificate (for trust stores)");
    bind(exp, run_export);

    CLI::App* erk =
        ca->add_subcommand("export-root-key",
                           "Write the encrypted root key to a file; --remove takes it offline.\n\n"
                           "Example:\n  certfleet ca export-root-key --ca main --out "
                           "/media/offline/root.key --remove\n\n"
                           "Exit status: 0 written; 3 wrong passphrase; 4 no root key in the "
                           "store or the file exists.");
    add_authority_options(*erk, o->authority, true);
    erk->add_option("--out", o->out, "Output file (mode 0600)")->required();
    erk->add_flag("--remove", o->remove, "Remove the root key from the store afterwards");
    bind(erk, run_export_root_key);

    CLI::App* audit = ca->add_subcommand("audit",
                                         "Print the audit log: every mutation and refusal, newest first.\n\n"
                                         "Example:\n  certfleet ca audit --ca main --limit 20 --json\n\n"
                                         "Exit status: 0 printed; 2 invalid input; 5 store unavailable.");
    add_authority_options(*audit, o->authority, false);
    audit->add_option("--limit", o->limit, "How many entries")->capture_default_str();
    audit->add_flag("--json", o->json, "Print JSON");
    bind(audit, run_audit);
}

}  // namespace certfleet::cli
