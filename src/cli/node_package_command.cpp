#include "cli/node_package_command.hpp"

#include "authority/authority.hpp"
#include "cli/authority_options.hpp"
#include "cli/json_output.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/file.hpp"
#include "formats/node_package.hpp"
#include "pki/csr.hpp"
#include "pki/private_key.hpp"
#include "pki/subject_alt_names.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>

namespace certfleet::cli {
namespace {

using core::Error;
using core::ErrorCode;

struct PackageOptions {
    AuthorityOptions authority;
    std::string node;
    std::string out;
    std::vector<std::string> sans;
    std::string profile = "peer";
    std::string validity;
    std::string key_type = "ec:p256";
    bool json = false;
};

// The node's names: DNS:NODE first, then --san (each may list several, comma-separated).
std::vector<pki::GeneralName> node_names(const PackageOptions& o) {
    std::vector<pki::GeneralName> names{pki::parse_general_name("DNS:" + o.node, "NODE")};
    for (const std::string& text : o.sans) {
        for (pki::GeneralName& name : pki::parse_general_names(text, "--san")) {
            if (std::find(names.begin(), names.end(), name) == names.end()) {
                names.push_back(std::move(name));
            }
        }
    }
    return names;
}

ExitCode run_package(const PackageOptions& o) {
    if (o.out.empty()) {
        throw Error(ErrorCode::invalid_input, "--out: required (the package file to write)");
    }
    std::error_code ec;
    if (std::filesystem::exists(o.out, ec)) {
        throw Error(
            ErrorCode::invalid_input,
            fmt::format("--out: {} exists; the package holds a private key: remove it, or choose another",
                        o.out));
    }
    const std::vector<pki::GeneralName> names = node_names(o);
    const auto store = open_store(o.authority);
    const core::Secret passphrase = read_ca_passphrase(o.authority.passphrase_file, false);
    const core::SystemClock clock;
    authority::Authority ca = authority::Authority::open(*store,
                                                         authority::choose_authority(*store, o.authority.ca),
                                                         passphrase,
                                                         {.name = cli_actor(), .at = clock.now()});
    // The key is made here, on the CA host: this is the fallback for a node that cannot enroll itself.
    const pki::PrivateKey key = pki::PrivateKey::generate(pki::KeySpec::parse(o.key_type, "--key-type"));
    const pki::Csr csr = pki::Csr::create({.subject = "CN=" + o.node}, key);
    authority::IssueRequest request{
        .csr = &csr, .profile = o.profile, .extra_names = names, .requester = cli_actor()};
    if (!o.validity.empty()) {
        request.validity = core::parse_duration(o.validity, "--validity");
    }
    const authority::IssuedCertificate issued = ca.issue(request, clock.now());
    const formats::NodePackage package{.node = o.node,
                                       .certificate_pem = issued.certificate.pem(),
                                       .chain_pem = issued.chain_pem,
                                       .key_pem = key.to_pkcs8_pem()};
    core::write_file_atomically(o.out,
                                formats::write_node_package(package, clock.now()),
                                {.mode = 0600, .overwrite = core::Overwrite::refuse});
    const std::string serial = issued.certificate.serial_hex();
    if (o.json) {
        std::cout << json_text(nlohmann::json{
                         {"node", o.node},
                         {"serial", serial},
                         {"expires", pki::format_time(issued.certificate.not_after())},
                         {"sha256_fingerprint", issued.certificate.fingerprint(pki::DigestAlgorithm::sha256)},
                         {"package", o.out}})
                  << '\n';
    } else {
        std::cout << fmt::format(
            "{}: issued serial {}, expires {}; package {} (cert.pem, chain.pem, key.pem, manifest.json; "
            "0600)\n"
            "copy it to the node and run: certfleet agent adopt --config CONFIG --from {}\n",
            o.node,
            serial,
            pki::format_time(issued.certificate.not_after()),
            o.out,
            std::filesystem::path(o.out).filename().string());
    }
    return ExitCode::ok;
}

}  // namespace

void add_node_package_command(CLI::App& node, CommandAction& action) {
    auto o = std::make_shared<PackageOptions>();
    CLI::App* package = node.add_subcommand(
        "package",
        "Issue a node's certificate here, on the CA host, as a package to copy to the node by hand:\n"
        "the offline fallback (seed 001: \"copy the certificate to the other machine\").\n\n"
        "Makes a key, issues a certificate for CN=NODE with DNS:NODE and each --san (the profile and the\n"
        "authority's policy apply, and the issue is audited, as `cert issue`), and writes NODE's package:\n"
        "a tar (POSIX ustar, mode 0600) holding cert.pem, chain.pem, key.pem and manifest.json (node,\n"
        "serial, SHA-256 fingerprint), each 0600. On the node, `certfleet agent adopt --from FILE`\n"
        "checks and deploys it. The package holds a private key: move it like one, and delete it after.\n\n"
        "Example:\n  certfleet node package node1.example.com --out node1.tar --san DNS:node1\n\n"
        "Exit status: 0 issued and written; 2 invalid input (--out exists, a bad name); 3 the policy\n"
        "refuses a name or the CA passphrase is wrong; 4 no such authority.");
    add_authority_options(*package, o->authority, true);
    package->add_option("NODE", o->node, "The node's name (its commonName and first DNS name)")->required();
    package->add_option("--out", o->out, "The package to write (tar, 0600; must not exist)")->required();
    package->add_option("--san", o->sans, "More subjectAltNames (DNS:..., IP:...); repeat or comma-separate");
    package->add_option("--profile", o->profile, "Issuing profile (default peer: serverAuth and clientAuth)");
    package->add_option("--validity", o->validity, "Lifetime (30d, 1y); default the profile's");
    package->add_option("--key-type", o->key_type, "ec:p256, rsa:2048, ...")->capture_default_str();
    package->add_flag("--json", o->json, "Print the outcome as JSON");
    package->callback([o, &action] { action = [o] { return run_package(*o); }; });
}

}  // namespace certfleet::cli
