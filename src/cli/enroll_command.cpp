#include "api/api_client.hpp"
#include "api/json_codec.hpp"
#include "cli/command.hpp"
#include "cli/json_output.hpp"
#include "core/error.hpp"
#include "core/file.hpp"
#include "core/secret.hpp"
#include "pki/bytes.hpp"
#include "pki/certificate.hpp"
#include "pki/csr.hpp"
#include "pki/fingerprint.hpp"
#include "pki/private_key.hpp"
#include "pki/sha256_pin.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <thread>
#include <unistd.h>

namespace certfleet::cli {
namespace {

using core::Error;
using core::ErrorCode;

struct EnrollOptions {
    std::string server;
    std::string ca_file;
    std::string ca_fingerprint;
    std::string token;
    std::string token_file;
    bool wait = false;
    std::string key;
    std::string new_key;
    std::string subject;
    std::vector<std::string> sans;
    std::string out;
    std::string chain_out;
    std::string timeout = "10m";
    std::string poll_interval = "5s";
    bool json = false;
};

// A root pinned by --ca-fingerprint, written where libcurl can read it for the calls that follow, and
// removed when the command ends.
class PinnedRoot {
public:
    explicit PinnedRoot(const std::string& pem) {
        std::string pattern = (std::filesystem::temp_directory_path() / "certfleet-root.XXXXXX").string();
        const int fd = ::mkstemp(pattern.data());
        if (fd < 0) {
            throw Error(ErrorCode::internal, "cannot create a temporary file for the pinned root");
        }
        ::close(fd);
        m_path = pattern;
        core::write_file_atomically(m_path, pem, {.mode = 0600, .overwrite = core::Overwrite::replace});
    }
    PinnedRoot(const PinnedRoot&) = delete;
    PinnedRoot& operator=(const PinnedRoot&) = delete;
    PinnedRoot(PinnedRoot&&) = delete;
    PinnedRoot& operator=(PinnedRoot&&) = delete;
    ~PinnedRoot() {
        std::error_code ec;
        std::filesystem::remove(m_path, ec);
    }
    [[nodiscard]] const std::string& path() const noexcept { return m_path; }

private:
    std::string m_path;
};

// --ca-fingerprint: fetch GET /v1/ca without trusting the server yet, then trust its root only if the
// root's own DER hashes to the pin (the server's claimed root_sha256 is not believed).
std::unique_ptr<PinnedRoot> pin_root(const EnrollOptions& o) {
    api::ApiClient probe({.server_url = o.server, .insecure_skip_verify = true});
    const api::CaBundle bundle = probe.ca();
    const pki::Certificate root = pki::Certificate::from_pem(bundle.root_pem, "GET /v1/ca root_pem");
    const std::string actual =
        pki::to_hex(pki::digest(pki::DigestAlgorithm::sha256, root.der().data(), root.der().size()));
    if (actual != pki::parse_sha256_fingerprint(o.ca_fingerprint, "--ca-fingerprint")) {
        throw Error(ErrorCode::unauthenticated,
                    fmt::format("{}: the root it serves has SHA-256 {}, not --ca-fingerprint; not trusted",
                                o.server,
                                actual));
    }
    return std::make_unique<PinnedRoot>(bundle.root_pem);
}

std::string read_token(const EnrollOptions& o) {
    std::string token = o.token_file.empty() ? o.token : core::read_file(o.token_file);
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' ')) {
        token.pop_back();
    }
    if (token.empty()) {
        throw Error(
            ErrorCode::invalid_input,
            o.token_file.empty() ? "--token: empty" : fmt::format("--token-file: {} is empty", o.token_file));
    }
    return token;
}

// --wait: submit the CSR as a pending request, then poll it until it is issued or denied, or --timeout.
api::IssuedCertificate wait_for_approval(api::ApiClient& client,
                                         const pki::Csr& csr,
                                         const EnrollOptions& o,
                                         std::string& id) {
    const api::HttpReply submitted =
        client.post_json("/v1/requests", api::encode(api::CsrSubmission{.csr_pem = csr.pem()}));
    api::throw_for_reply(submitted, "POST /v1/requests");
    auto status = api::decode<api::RequestStatus>(submitted.body, "POST /v1/requests");
    id = status.id;
    const auto timeout = core::parse_duration(o.timeout, "--timeout");
    const auto interval = core::parse_duration(o.poll_interval, "--poll-interval");
    const bool terminal = ::isatty(STDERR_FILENO) != 0;
    const auto start = std::chrono::steady_clock::now();
    while (status.state == "pending") {
        const auto waited =
            std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start);
        if (waited >= timeout) {
            if (terminal) {
                std::cerr << '\n';
            }
            throw Error(ErrorCode::unavailable,
                        fmt::format("request {} ({}) is still pending after {}: an operator approves it with "
                                    "`certfleet request approve {}`; it stays queued",
                                    id,
                                    status.name,
                                    o.timeout,
                                    id));
        }
        if (terminal) {
            std::cerr << fmt::format("\rwaiting for an operator to approve request {} ({}): {}s of {}s ",
                                     id,
                                     status.name,
                                     waited.count(),
                                     timeout.count())
                      << std::flush;
        }
        std::this_thread::sleep_for(std::min<std::chrono::seconds>(interval, timeout - waited));
        const api::HttpReply polled = client.get("/v1/requests/" + id);
        api::throw_for_reply(polled, "GET /v1/requests/" + id);
        status = api::decode<api::RequestStatus>(polled.body, "GET /v1/requests/" + id);
    }
    if (terminal) {
        std::cerr << '\n';
    }
    if (status.state == "denied") {
        throw Error(ErrorCode::forbidden,
                    fmt::format("request {} ({}) was denied: {}", id, status.name, status.reason));
    }
    if (status.state != "issued" || !status.certificate) {
        throw Error(ErrorCode::internal,
                    fmt::format("request {}: unexpected state \"{}\"", id, status.state));
    }
    return *status.certificate;
}

// Refuses a combination of options that cannot enroll: exactly one way to trust the server, one way to
// be authorised, and a key.
void check_enroll_options(const EnrollOptions& o) {
    if (o.ca_file.empty() == o.ca_fingerprint.empty()) {
        throw Error(ErrorCode::invalid_input, "give one of --ca-file and --ca-fingerprint");
    }
    if (static_cast<int>(!o.token.empty()) + static_cast<int>(!o.token_file.empty()) +
            static_cast<int>(o.wait) !=
        1) {
        throw Error(ErrorCode::invalid_input, "give one of --token, --token-file and --wait");
    }
    if (o.key.empty() && o.new_key.empty()) {
        throw Error(ErrorCode::invalid_input, "give --key (an existing key) or --new-key TYPE");
    }
}

// Checked before the server is asked: a token is spent once, so the answer must find its place.
void require_free_outputs(const std::vector<std::string>& paths) {
    for (const std::string& path : paths) {
        if (path.empty()) {
            continue;
        }
        if (std::filesystem::exists(path)) {
            throw Error(ErrorCode::conflict, fmt::format("{} exists: not replaced", path));
        }
        const std::filesystem::path parent = std::filesystem::path(path).parent_path();
        if (!parent.empty() && !std::filesystem::is_directory(parent)) {
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}: directory {} does not exist", path, parent.string()));
        }
    }
}

ExitCode run_enroll(const EnrollOptions& o) {
    check_enroll_options(o);
    std::string key_path = o.key;
    if (key_path.empty()) {
        key_path = std::filesystem::path(o.out).replace_extension(".key").string();
    }
    require_free_outputs({o.out, o.chain_out, o.new_key.empty() ? std::string() : key_path});
    const std::optional<pki::PrivateKey> new_key =
        o.new_key.empty()
            ? std::nullopt
            : std::optional(pki::PrivateKey::generate(pki::KeySpec::parse(o.new_key, "--new-key")));
    const std::optional<pki::PrivateKey> existing_key =
        o.new_key.empty() ? std::optional(pki::PrivateKey::from_pem(core::read_file(o.key), o.key, nullptr))
                          : std::nullopt;
    const pki::PrivateKey& key = new_key ? *new_key : *existing_key;
    std::vector<pki::GeneralName> names;
    for (const std::string& list : o.sans) {
        for (pki::GeneralName& name : pki::parse_general_names(list, "--san")) {
            names.push_back(std::move(name));
        }
    }
    const pki::Csr csr = pki::Csr::create({.subject = o.subject,
                                           .subject_alt_names = names,
                                           .purposes = {pki::KeyPurpose::server, pki::KeyPurpose::client}},
                                          key);

    const std::unique_ptr<PinnedRoot> pinned = o.ca_fingerprint.empty() ? nullptr : pin_root(o);
    api::ApiClient client({.server_url = o.server, .ca_file = pinned ? pinned->path() : o.ca_file});
    std::string request_id;
    api::IssuedCertificate issued;
    if (o.wait) {
        issued = wait_for_approval(client, csr, o, request_id);
    } else {
        const core::Secret token(read_token(o));
        const api::HttpReply reply = client.post_json(
            "/v1/enroll",
            api::encode(api::EnrollRequest{.token = std::string(token.reveal()), .csr_pem = csr.pem()}));
        api::throw_for_reply(reply, "POST /v1/enroll");
        issued = api::decode<api::IssuedCertificate>(reply.body, "POST /v1/enroll");
    }
    const pki::Certificate certificate =
        pki::Certificate::from_pem(issued.certificate_pem, "certificate_pem");
    if (!certificate.public_key().matches(key.public_key())) {
        throw Error(ErrorCode::internal, "the server answered with a certificate for another key");
    }
    // The key first (0600), then the certificate: a failure leaves no certificate without its key.
    if (new_key) {
        core::write_file_atomically(key_path, new_key->to_pkcs8_pem(), {.mode = 0600});
    }
    core::write_file_atomically(o.out, issued.certificate_pem, {.mode = 0644});
    if (!o.chain_out.empty()) {
        core::write_file_atomically(o.chain_out, issued.chain_pem, {.mode = 0644});
    }
    if (o.json) {
        std::cout << json_text({{"serial", issued.serial},
                                {"not_after", issued.not_after},
                                {"certificate", o.out},
                                {"chain", o.chain_out},
                                {"key", key_path},
                                {"new_key", new_key.has_value()},
                                {"request_id", request_id}})
                  << '\n';
    } else {
        std::cout << fmt::format("{}: serial {}, expires {}{}\n",
                                 o.out,
                                 issued.serial,
                                 issued.not_after,
                                 new_key ? ", key " + key_path : "");
    }
    return ExitCode::ok;
}

}  // namespace

void add_enroll_command(CLI::App& app, CommandAction& action) {
    auto o = std::make_shared<EnrollOptions>();
    CLI::App* enroll = app.add_subcommand(
        "enroll",
        "Get a node's first certificate from a certfleet server (a token, or an approved request).\n\n"
        "Without the agent, as step ca certificate does: the key stays on the node; a CSR goes to the\n"
        "server with a one-time token\n"
        "(POST /v1/enroll, from `certfleet token create`), or as a pending request that waits for an\n"
        "operator or autosign (--wait: POST /v1/requests, then GET /v1/requests/ID every --poll-interval\n"
        "until --timeout, with a progress line on a terminal).\n\n"
        "The server is trusted by --ca-file (the CA's root), or by --ca-fingerprint: the SHA-256 of the\n"
        "root's DER, as GET /v1/ca gives it (`root_sha256`); the root served is hashed here and refused\n"
        "unless it matches. The CSR asks for the --subject and --san names with serverAuth and clientAuth.\n"
        "--new-key TYPE writes the new key (0600) to --key, or beside --out as NAME.key.\n"
        "Prefer --token-file to --token: a command line is visible to other users.\n\n"
        "Examples:\n"
        "  certfleet enroll --server https://ca.example.com:8443 --ca-file root.pem --token-file t \\\n"
        "      --new-key ec:p256 --key node1.key --subject CN=node1.example.com \\\n"
        "      --san DNS:node1.example.com --out node1.pem --chain-out chain.pem\n"
        "  certfleet enroll --server https://ca.example.com:8443 --ca-fingerprint 3f1c...e07a --wait \\\n"
        "      --new-key ec:p256 --subject CN=node2.example.com --out node2.pem --timeout 30m\n\n"
        "Exit status: 0 certificate written; 2 invalid options or input; 3 the token or the request was\n"
        "refused, or the root does not match --ca-fingerprint; 4 an output file exists, or the name\n"
        "already has a pending request; 5 the server cannot be reached, or --timeout passed.");
    enroll->add_option("--server", o->server, "The certfleet server, https://HOST:PORT")->required();
    enroll->add_option("--ca-file", o->ca_file, "PEM root(s) to trust the server with");
    enroll->add_option("--ca-fingerprint", o->ca_fingerprint, "SHA-256 of the CA root's DER (hex)");
    enroll->add_option("--token", o->token, "A one-time token (visible in ps: prefer --token-file)");
    enroll->add_option("--token-file", o->token_file, "File holding the one-time token");
    enroll->add_flag("--wait", o->wait, "No token: queue a request and wait for its approval");
    enroll->add_option("--key", o->key, "The node's key (PEM); with --new-key, where to write it");
    enroll->add_option("--new-key", o->new_key, "Make a new key of TYPE (ec:p256, rsa:2048, ed25519)");
    enroll->add_option("--subject", o->subject, "The CSR subject, CN=node1.example.com")->required();
    enroll->add_option("--san", o->sans, "subjectAltNames, comma-separated (DNS:a,IP:10.0.0.1)");
    enroll->add_option("--out", o->out, "Where to write the certificate (PEM)")->required();
    enroll->add_option("--chain-out", o->chain_out, "Where to write the issuing chain (PEM)");
    enroll->add_option("--timeout", o->timeout, "With --wait: how long to wait for approval")
        ->capture_default_str();
    enroll->add_option("--poll-interval", o->poll_interval, "With --wait: time between polls")
        ->capture_default_str();
    enroll->add_flag(
        "--json", o->json, "Print {serial, not_after, certificate, chain, key, new_key, request_id}");
    enroll->callback([&action, o] { action = [o] { return run_enroll(*o); }; });
}

}  // namespace certfleet::cli
