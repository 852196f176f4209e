#include "cli/authority_options.hpp"
#include "cli/command.hpp"
#include "cli/json_output.hpp"
#include "core/error.hpp"
#include "core/file.hpp"
#include "external_ca/custom_chain.hpp"
#include "external_ca/custom_chain_upload.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>
#include <memory>

namespace certfleet::cli {
namespace {

struct ChainOptions {
    external_ca::CustomChainSources sources;
    std::string domain_suffix;
    std::vector<std::string> hosts;
    std::string name;
    std::string at;
    bool url_encode = false;
    bool json = false;
    // upload
    AuthorityOptions store;
    std::string out_dir;
    std::string truststore;
    std::string truststore_password_file;
    std::string truststore_alias = "root";
    std::string backup_dir;
    std::string order = "leaf-first";
};

struct ChainListOptions {
    AuthorityOptions store;
    std::string name;
    std::string domain_suffix;
    bool history = false;
    bool json = false;
};

external_ca::CustomChainExpectations expectations_of(const ChainOptions& options) {
    return {.domain_suffix = options.domain_suffix,
            .hosts = options.hosts,
            .at = options.at.empty() ? core::SystemClock().now() : pki::parse_time(options.at, "--at")};
}

std::string short_name(const pki::Certificate& certificate) {
    const std::string cn = certificate.subject_common_name();
    return cn.empty() ? certificate.subject() : "CN=" + cn;
}

nlohmann::json certificates_json(const external_ca::CustomChain& chain, bool url_encode) {
    nlohmann::json out = nlohmann::json::array();
    const auto certificates = chain.leaf_first();
    for (std::size_t i = 0; i < certificates.size(); ++i) {
        const pki::Certificate& c = *certificates[i];
        nlohmann::json entry{{"index", i},
                             {"role", chain.role_of(i)},
                             {"subject", c.subject()},
                             {"issuer", c.issuer()},
                             {"serial", c.serial_hex()},
                             {"not_after", pki::format_time(c.not_after())},
                             {"sha256", c.fingerprint(pki::DigestAlgorithm::sha256)}};
        if (url_encode) {
            entry["url_encoded"] = external_ca::url_encode(c.pem());
        }
        out.push_back(std::move(entry));
    }
    return out;
}

// The API call takes the private key too: unencrypted PKCS#8, URL-encoded as the certificates are.
std::string url_encoded_key(const external_ca::CustomChain& chain) {
    return chain.key ? external_ca::url_encode(chain.key->to_pkcs8_pem()) : std::string{};
}

nlohmann::json findings_json(const external_ca::CustomChainVerdict& verdict) {
    nlohmann::json out = nlohmann::json::array();
    for (const pki::Finding& f : verdict.findings) {
        out.push_back({{"code", pki::to_string(f.code)},
                       {"certificate_index",
                        f.certificate_index ? nlohmann::json(*f.certificate_index) : nlohmann::json(nullptr)},
                       {"message", f.message}});
    }
    return out;
}

void print_verdict(const external_ca::CustomChain& chain, const external_ca::CustomChainVerdict& verdict) {
    for (const pki::Finding& f : verdict.findings) {
        std::cout << fmt::format("{}: {}\n", pki::to_string(f.code), f.message);
    }
    std::string path;
    for (const pki::Certificate* c : chain.leaf_first()) {
        path += (path.empty() ? "" : " <- ") + short_name(*c);
    }
    const std::size_t n = verdict.findings.size();
    std::cout << (verdict.is_clean()
                      ? fmt::format("OK (chain: {})\n", path)
                      : fmt::format("FAILED, {} finding{} (chain: {})\n", n, n == 1 ? "" : "s", path));
}

// In upload order (root first), as the API calls take them.
void print_url_encoded(const external_ca::CustomChain& chain) {
    const auto certificates = chain.leaf_first();
    for (std::size_t i = certificates.size(); i-- > 0;) {
        std::string role = chain.role_of(i);
        std::replace(role.begin(), role.end(), ' ', '-');
        std::cout << fmt::format("{} {}\n", role, external_ca::url_encode(certificates[i]->pem()));
    }
    std::cout << fmt::format("key {}\n", url_encoded_key(chain));
}

ExitCode run_check(const ChainOptions& options) {
    const external_ca::CustomChain chain = external_ca::read_custom_chain(options.sources);
    const external_ca::CustomChainVerdict verdict =
        external_ca::judge_custom_chain(chain, expectations_of(options));
    if (options.json) {
        nlohmann::json out{{"name", options.name},
                           {"domain_suffix", options.domain_suffix},
                           {"clean", verdict.is_clean()},
                           {"certificates", certificates_json(chain, options.url_encode)},
                           {"findings", findings_json(verdict)}};
        if (options.url_encode) {
            out["key_url_encoded"] = url_encoded_key(chain);
        }
        std::cout << json_text(out) << '\n';
    } else {
        print_verdict(chain, verdict);
        if (options.url_encode) {
            print_url_encoded(chain);
        }
    }
    return verdict.is_clean() ? ExitCode::ok : ExitCode::findings;
}

nlohmann::json record_json(const store::CustomChainRecord& r) {
    const external_ca::CustomChain chain = external_ca::chain_of(r);
    return {{"id", r.id},
            {"name", r.name},
            {"domain_suffix", r.domain_suffix},
            {"seq", r.seq},
            {"uploaded_at", pki::format_time(r.uploaded_at)},
            {"replaced_at",
             r.replaced_at ? nlohmann::json(pki::format_time(*r.replaced_at)) : nlohmann::json(nullptr)},
            {"certificates", certificates_json(chain, false)}};
}

ExitCode run_upload(const ChainOptions& options) {
    const external_ca::CustomChain chain = external_ca::read_custom_chain(options.sources);
    std::optional<core::Secret> truststore_password;
    if (!options.truststore_password_file.empty()) {
        truststore_password = core::read_secret_file(options.truststore_password_file);
    }
    const core::Secret passphrase = read_ca_passphrase(options.store.passphrase_file, false);
    const auto store = open_store(options.store);
    const auto outcome = external_ca::upload_custom_chain(
        *store,
        chain,
        passphrase,
        {.name = options.name,
         .expected = expectations_of(options),
         .out_dir = options.out_dir,
         .order = options.order == "root-first" ? formats::ChainOrder::root_first
                                                : formats::ChainOrder::leaf_first,
         .truststore = options.truststore,
         .truststore_password = truststore_password ? &*truststore_password : nullptr,
         .truststore_alias = options.truststore_alias,
         .backup_dir = options.backup_dir},
        {.name = cli_actor(), .at = core::SystemClock().now()});
    if (options.json) {
        nlohmann::json out{
            {"clean", outcome.verdict.is_clean()},
            {"findings", findings_json(outcome.verdict)},
            {"record", outcome.record ? record_json(*outcome.record) : nlohmann::json(nullptr)},
            {"replaced", outcome.replaced ? record_json(*outcome.replaced) : nlohmann::json(nullptr)},
            {"written", nlohmann::json::array()}};
        for (const auto& file : outcome.written) {
            out["written"].push_back(
                {{"path", file.path},
                 {"backup", file.backup ? nlohmann::json(*file.backup) : nlohmann::json(nullptr)}});
        }
        std::cout << json_text(out) << '\n';
        return outcome.verdict.is_clean() ? ExitCode::ok : ExitCode::findings;
    }
    if (!outcome.verdict.is_clean()) {
        print_verdict(chain, outcome.verdict);
        std::cout << "nothing uploaded\n";
        return ExitCode::findings;
    }
    const store::CustomChainRecord& record = *outcome.record;
    std::cout << fmt::format("uploaded {} for *.{} (seq {}, key encrypted in the store)\n",
                             record.name,
                             record.domain_suffix,
                             record.seq);
    if (outcome.replaced) {
        std::cout << fmt::format("replaced seq {} (kept in the history: certfleet chain list --history)\n",
                                 outcome.replaced->seq);
    }
    for (const auto& file : outcome.written) {
        std::cout << fmt::format("wrote {}{}\n",
                                 file.path,
                                 file.backup ? fmt::format(" (previous kept as {})", *file.backup) : "");
    }
    return ExitCode::ok;
}

ExitCode run_list(const ChainListOptions& options) {
    const auto store = open_store(options.store);
    const auto records = store->list_custom_chains(
        {.name = options.name, .domain_suffix = options.domain_suffix, .include_replaced = options.history});
    if (options.json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& r : records) {
            out.push_back(record_json(r));
        }
        std::cout << json_text(out) << '\n';
        return ExitCode::ok;
    }
    std::cout << fmt::format("{:<20} {:<24} {:>4} {:<8} {:<32} {}\n",
                             "NAME",
                             "DOMAIN SUFFIX",
                             "SEQ",
                             "STATE",
                             "SERVER",
                             "NOT AFTER");
    for (const auto& r : records) {
        const pki::Certificate server = pki::Certificate::from_pem(r.certificate_pem, "stored certificate");
        std::cout << fmt::format("{:<20} {:<24} {:>4} {:<8} {:<32} {}\n",
                                 r.name,
                                 r.domain_suffix,
                                 r.seq,
                                 r.replaced_at ? "replaced" : "current",
                                 short_name(server),
                                 pki::format_time(server.not_after()));
    }
    return ExitCode::ok;
}

void add_chain_inputs(CLI::App& command, ChainOptions& options) {
    command
        .add_option("--root", options.sources.root, "The root CA certificate (PEM, URL-encoded PEM or DER)")
        ->required();
    command.add_option("--intermediate",
                       options.sources.intermediates,
                       "An intermediate, root-down: first the one the root signed (repeatable)");
    command.add_option("--cert", options.sources.server, "The server certificate")->required();
    command.add_option("--key", options.sources.key, "The server certificate's private key (unencrypted)")
        ->required();
    command.add_option("--domain-suffix", options.domain_suffix, "The certificate must cover *.SUFFIX");
    command.add_option("--host", options.hosts, "A DNS name the certificate must be valid for (repeatable)");
    command.add_option("--name", options.name, "The keystore name the chain is uploaded under");
    command.add_option("--at", options.at, "Check validity at this UTC time instead of now");
    command.add_flag("--json", options.json, "Print the report as JSON");
}

}  // namespace

void add_chain_command(CLI::App& app, CommandAction& action) {
    CLI::App* chain = app.add_subcommand(
        "chain",
        "Check and upload custom certificate chains from another CA (CloudStack, seed 004).\n\n"
        "As CloudStack's UploadCustomCertificate takes them: root, intermediates, then the server\n"
        "certificate and its key.");
    chain->require_subcommand(1);

    auto options = std::make_shared<ChainOptions>();
    CLI::App* check = chain->add_subcommand(
        "check",
        "Apply CloudStack's upload rules to a chain, offline.\n\n"
        "The rules: root and server certificate given; the server certificate not self-signed; each\n"
        "certificate signed by the next one up (a missing link is named, the case Java reports as\n"
        "\"unable to find valid certification path\"); the order root-down; the\n"
        "key matches; the certificate covers *.SUFFIX and every --host; then OpenSSL's verification with\n"
        "the root as the only anchor (dates, CA flags, key usage). Input may be URL-encoded.\n\n"
        "Example:\n"
        "  certfleet chain check --root root.pem --intermediate sub1.pem --intermediate sub2.pem \\\n"
        "      --cert server.pem --key server.key --domain-suffix cloud.example.com --url-encode\n\n"
        "Exit status: 0 clean; 1 findings; 2 an input could not be read.");
    add_chain_inputs(*check, *options);
    check->add_flag("--url-encode",
                    options->url_encode,
                    "Also print each certificate, root first, then the key (unencrypted PKCS#8)\n"
                    "URL-encoded for the API (urllib quote)");
    check->callback([options, &action] { action = [options] { return run_check(*options); }; });

    auto upload_options = std::make_shared<ChainOptions>();
    CLI::App* upload = chain->add_subcommand(
        "upload",
        "Check a chain, then record it and write its Apache files and truststore.\n\n"
        "Checks the chain as `chain check` does; if clean, records it in the store under --name and\n"
        "--domain-suffix (the key encrypted with the store passphrase that protects CA keys), and writes\n"
        "the Apache server.crt/server.key/chain.crt (plus the numbered files) into --out-dir and the root\n"
        "into a Java --truststore. Uploading again under the same name and suffix replaces the chain\n"
        "(seed 004: \"redo by same name\"); the previous one stays in the history. Nothing is recorded or\n"
        "written when a check fails.\n\n"
        "Example:\n"
        "  certfleet chain upload --name cpvm --domain-suffix cloud.example.com --root root.pem \\\n"
        "      --intermediate sub.pem --cert server.pem --key server.key --out-dir /etc/ssl/cloud \\\n"
        "      --truststore realhostip.keystore --truststore-password-file storepass\n\n"
        "Exit status: 0 uploaded; 1 findings (nothing uploaded); 2 bad input.");
    add_chain_inputs(*upload, *upload_options);
    upload->get_option("--name")->required();
    upload->get_option("--domain-suffix")->required();
    add_authority_options(*upload, upload_options->store, true);
    upload->remove_option(upload->get_option("--ca"));
    upload->add_option("--out-dir", upload_options->out_dir, "Existing directory for the Apache files");
    upload
        ->add_option("--order",
                     upload_options->order,
                     "chain.crt order: leaf-first (the leaf's issuer first, as TLS sends it; default)\n"
                     "or root-first (CloudStack's upload order)")
        ->check(CLI::IsMember({"leaf-first", "root-first"}));
    upload->add_option("--truststore", upload_options->truststore, "JKS truststore to put the root in");
    upload->add_option(
        "--truststore-password-file", upload_options->truststore_password_file, "The truststore's password");
    upload->add_option("--truststore-alias", upload_options->truststore_alias, "Alias of the root")
        ->capture_default_str();
    upload->add_option(
        "--backup-dir", upload_options->backup_dir, "Where replaced files are kept (default: beside them)");
    upload->callback(
        [upload_options, &action] { action = [upload_options] { return run_upload(*upload_options); }; });

    auto list_options = std::make_shared<ChainListOptions>();
    CLI::App* list =
        chain->add_subcommand("list",
                              "List the uploaded chains (current ones; --history for all).\n\n"
                              "Example:\n  certfleet chain list --history --json\n\n"
                              "Exit status: 0 listed (even when none match); 2 invalid input; 5 store "
                              "unavailable.");
    add_authority_options(*list, list_options->store, false);
    list->remove_option(list->get_option("--ca"));
    list->add_option("--name", list_options->name, "Only this name");
    list->add_option("--domain-suffix", list_options->domain_suffix, "Only this domain suffix");
    list->add_flag("--history", list_options->history, "Also the chains later uploads replaced");
    list->add_flag("--json", list_options->json, "Print JSON");
    list->callback([list_options, &action] { action = [list_options] { return run_list(*list_options); }; });
}

}  // namespace certfleet::cli
