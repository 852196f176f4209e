#include "cli/command.hpp"
#include "cli/json_output.hpp"
#include "core/file.hpp"
#include "pki/fingerprint.hpp"
#include "pki/private_key.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

namespace certfleet::cli {
namespace {

struct KeyGenerateOptions {
    std::string type = "ec:p256";
    std::string out;
    std::string passphrase_file;
    bool force = false;
    bool json = false;
};

ExitCode run_key_generate(const KeyGenerateOptions& options) {
    const pki::KeySpec spec = pki::KeySpec::parse(options.type, "--type");
    std::optional<core::Secret> passphrase;
    if (!options.passphrase_file.empty()) {
        passphrase = core::read_secret_file(options.passphrase_file);
        if (passphrase->empty()) {
            throw core::Error(core::ErrorCode::invalid_input,
                              fmt::format("{}: the passphrase is empty", options.passphrase_file));
        }
    }
    const pki::PrivateKey key = pki::PrivateKey::generate(spec);
    const std::string pem = key.to_pkcs8_pem({.passphrase = passphrase ? &*passphrase : nullptr});
    core::write_file_atomically(
        options.out,
        pem,
        {.mode = 0600, .overwrite = options.force ? core::Overwrite::replace : core::Overwrite::refuse});
    const pki::PublicKey pub = key.public_key();
    if (options.json) {
        std::cout << json_text(nlohmann::json{{"path", options.out},
                                              {"type", spec.to_string()},
                                              {"encrypted", passphrase.has_value()},
                                              {"public_key_sha256", pub.fingerprint_sha256()}})
                  << '\n';
    } else {
        std::cout << fmt::format("wrote {} ({}, {}PKCS#8, mode 0600)\npublic key SHA-256: {}\n",
                                 options.out,
                                 pki::to_string(pub.description()),
                                 passphrase ? "encrypted " : "",
                                 pub.fingerprint_sha256());
    }
    return ExitCode::ok;
}

}  // namespace

void add_key_command(CLI::App& app, CommandAction& action) {
    CLI::App* key = app.add_subcommand("key", "Generate private keys.");
    key->require_subcommand(1);
    auto options = std::make_shared<KeyGenerateOptions>();
    CLI::App* gen = key->add_subcommand(
        "generate",
        "Generate a private key and write it as PKCS#8 PEM with mode 0600.\n\n"
        "With --passphrase-file the key is encrypted (PBES2: AES-256-CBC, PBKDF2-HMAC-SHA256,\n"
        "600,000 rounds), readable by `openssl pkey -passin file:...`. An existing file is never\n"
        "replaced without --force.\n\n"
        "Examples:\n"
        "  certfleet key generate --type rsa:2048 --out node1.key\n"
        "  certfleet key generate --type ec:p384 --passphrase-file pw --out ca.key\n\n"
        "Exit status: 0 written; 2 invalid input; 4 the file exists (use --force).");
    gen->add_option("--type", options->type, "rsa:2048, rsa:3072, rsa:4096, ec:p256, ec:p384 or ed25519")
        ->capture_default_str();
    gen->add_option("--out", options->out, "Where to write the key")->required();
    gen->add_option(
        "--passphrase-file", options->passphrase_file, "Encrypt with the passphrase in this file");
    gen->add_flag("--force", options->force, "Replace an existing file");
    gen->add_flag("--json", options->json, "Print the result as JSON");
    gen->callback([options, &action] { action = [options] { return run_key_generate(*options); }; });
}

}  // namespace certfleet::cli
