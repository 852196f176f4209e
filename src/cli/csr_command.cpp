#include "cli/command.hpp"
#include "cli/json_output.hpp"
#include "core/file.hpp"
#include "pki/csr.hpp"
#include "pki/fingerprint.hpp"
#include "pki/private_key.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

namespace certfleet::cli {
namespace {

struct CsrCreateOptions {
    std::string key_file;
    std::string new_key;
    std::string passphrase_file;
    std::string subject;
    std::vector<std::string> sans;
    std::string eku;
    std::string out;
    std::string key_out;
    bool force = false;
    bool json = false;
};

ExitCode run_csr_create(const CsrCreateOptions& options) {
    if (options.key_file.empty() == options.new_key.empty()) {
        throw core::Error(core::ErrorCode::invalid_input,
                          "give exactly one of --key FILE and --new-key TYPE");
    }
    pki::CsrRequest request;
    request.subject = options.subject;
    for (const std::string& san : options.sans) {
        auto names = pki::parse_general_names(san, "--san");
        request.subject_alt_names.insert(request.subject_alt_names.end(), names.begin(), names.end());
    }
    request.purposes = pki::parse_key_purposes(options.eku, "--eku");
    const core::Overwrite overwrite = options.force ? core::Overwrite::replace : core::Overwrite::refuse;

    std::optional<core::Secret> passphrase;
    if (!options.passphrase_file.empty()) {
        passphrase = core::read_secret_file(options.passphrase_file);
    }
    std::optional<pki::PrivateKey> key;
    std::string key_path = options.key_file;
    if (!options.key_file.empty()) {
        key = pki::PrivateKey::from_pem(
            core::read_file(options.key_file), options.key_file, passphrase ? &*passphrase : nullptr);
    } else {
        key = pki::PrivateKey::generate(pki::KeySpec::parse(options.new_key, "--new-key"));
        key_path = options.key_out.empty() ? options.out + ".key" : options.key_out;
    }
    // Build (and so validate) everything before writing anything.
    const pki::Csr csr = pki::Csr::create(request, *key);
    if (options.key_file.empty()) {
        core::write_file_atomically(key_path,
                                    key->to_pkcs8_pem({.passphrase = passphrase ? &*passphrase : nullptr}),
                                    {.mode = 0600, .overwrite = overwrite});
    }
    const std::string pem = csr.pem();
    core::write_file_atomically(options.out, pem, {.mode = 0644, .overwrite = overwrite});
    // What `sha256sum FILE` prints at the CA, and the digest of the DER (the same whatever the encoding).
    const std::string file_sha256 = pki::to_hex(pki::digest(
        pki::DigestAlgorithm::sha256, reinterpret_cast<const unsigned char*>(pem.data()), pem.size()));
    const pki::Bytes der = csr.der();
    const std::string der_sha256 =
        pki::to_hex(pki::digest(pki::DigestAlgorithm::sha256, der.data(), der.size()));
    if (options.json) {
        std::cout << json_text(nlohmann::json{{"csr", options.out},
                                              {"key", key_path},
                                              {"subject", csr.subject()},
                                              {"file_sha256", file_sha256},
                                              {"der_sha256", der_sha256}})
                  << '\n';
    } else {
        std::cout << fmt::format(
            "wrote {} for {} (key {})\nCSR file SHA-256 (sha256sum {}): {}\nCSR DER SHA-256: {}\n",
            options.out,
            csr.subject(),
            key_path,
            options.out,
            file_sha256,
            der_sha256);
    }
    return ExitCode::ok;
}

}  // namespace

void add_csr_command(CLI::App& app, CommandAction& action) {
    CLI::App* csr = app.add_subcommand("csr", "Create certificate signing requests.");
    csr->require_subcommand(1);
    auto options = std::make_shared<CsrCreateOptions>();
    CLI::App* create = csr->add_subcommand(
        "create",
        "Create a PEM PKCS#10 CSR for a subject and its alternative names.\n\n"
        "The subject is RFC 4514 (\"CN=node1.example.com,O=Acme\", most specific first) or OpenSSL's\n"
        "slash form (\"/O=Acme/CN=node1.example.com\"). --san takes DNS:, IP:, email: and URI: entries,\n"
        "comma-separated or repeated; a wildcard is DNS:*.example.com.\n\n"
        "Examples:\n"
        "  certfleet csr create --key node1.key --subject CN=node1.example.com \\\n"
        "      --san DNS:node1.example.com,DNS:node1,IP:10.0.0.1 --eku server,client --out node1.csr\n"
        "  certfleet csr create --new-key rsa:2048 --subject CN=ws.example.com --san DNS:*.ws.example.com "
        "\\\n"
        "      --out ws.csr --key-out ws.key\n\n"
        "Exit status: 0 written; 2 invalid input (a bad subject, name or key); 3 a wrong\n"
        "--passphrase-file for --key; 4 a file exists (use --force).");
    create->add_option("--key", options->key_file, "Existing private key (PEM)");
    create->add_option("--new-key", options->new_key, "Generate a key of this type (rsa:2048, ec:p256, ...)");
    create->add_option(
        "--key-out", options->key_out, "Where --new-key writes the key (default OUT.key, mode 0600)");
    create->add_option(
        "--passphrase-file", options->passphrase_file, "Passphrase of --key, or to encrypt --new-key");
    create->add_option("--subject", options->subject, "Subject distinguished name")->required();
    create->add_option("--san", options->sans, "Subject alternative names (DNS:a,DNS:*.b,IP:10.0.0.1)");
    create->add_option("--eku", options->eku, "Requested extended key usage: server, client, peer");
    create->add_option("--out", options->out, "Where to write the CSR")->required();
    create->add_flag("--force", options->force, "Replace existing files");
    create->add_flag("--json", options->json, "Print the result as JSON");
    create->callback([options, &action] { action = [options] { return run_csr_create(*options); }; });
}

}  // namespace certfleet::cli
