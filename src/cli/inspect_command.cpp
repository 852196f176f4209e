#include "cli/command.hpp"
#include "cli/input_files.hpp"
#include "cli/json_output.hpp"
#include "cli/object_report.hpp"
#include "core/file.hpp"
#include "formats/artifact_reader.hpp"
#include "pki/certificate.hpp"

#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <optional>

namespace certfleet::cli {
namespace {

struct InspectOptions {
    std::vector<std::string> paths;
    bool recursive = false;
    bool json = false;
    bool password_given = false;  // --password TEXT, refused: argv is public
    std::string password_file;
    std::string passphrase_file;
    std::string key_password_file;
    std::string key_file;
    std::string at;
};

const pki::PublicKey* public_key_of(const pki::SourcedObject& item, std::vector<pki::PublicKey>& cache) {
    if (const auto* key = std::get_if<pki::PrivateKey>(&item.object)) {
        cache.push_back(key->public_key());
        return &cache.back();
    }
    return nullptr;
}

// The secrets a file may need, each read from its file once: the keystore password, an encrypted key's
// passphrase, a JKS key entry's own password.
struct InspectSecrets {
    std::optional<core::Secret> password;
    std::optional<core::Secret> passphrase;
    std::optional<core::Secret> key_password;

    [[nodiscard]] formats::ArtifactReadOptions read_options() const {
        return {.password = password ? &*password : nullptr,
                .passphrase = passphrase ? &*passphrase : nullptr,
                .key_password = key_password ? &*key_password : nullptr};
    }
};

std::optional<core::Secret> secret_if_given(const std::string& file) {
    return file.empty() ? std::nullopt : std::optional<core::Secret>(core::read_secret_file(file));
}

// JSON is written one object at a time (a scan of many files starts printing at once), laid out as
// dump(2) of the whole array would be.
class JsonArrayWriter {
public:
    void write(const nlohmann::json& object) {
        std::string text = json_text(object);
        for (std::size_t at = text.find('\n'); at != std::string::npos; at = text.find('\n', at + 3)) {
            text.replace(at, 1, "\n  ");
        }
        std::cout << (m_written++ == 0 ? "[\n  " : ",\n  ") << text;
    }
    void finish() const { std::cout << (m_written == 0 ? "[]\n" : "\n]\n"); }

private:
    std::size_t m_written = 0;
};

// Records on the key at `key_location` (when it is one of this file's) that it matches `location`.
void add_match(std::vector<ReportedObject>& reported,
               const std::string& key_location,
               const std::string& location) {
    for (auto& other : reported) {
        if (other.object->location == key_location) {
            other.matches.push_back(location);
        }
    }
}

// The public keys of --key's file (a key file, or a keystore holding one).
std::vector<pki::PublicKey> public_keys_of(const std::string& key_file,
                                           const formats::ArtifactReadOptions& read_options) {
    std::vector<pki::PublicKey> keys;
    if (key_file.empty()) {
        return keys;
    }
    const std::vector<pki::SourcedObject> objects =
        formats::read_artifact(core::read_file(key_file), key_file, read_options).objects;
    keys.reserve(objects.size());
    for (const auto& item : objects) {
        public_key_of(item, keys);
    }
    return keys;
}

// The objects of one file, each certificate and CSR paired with the keys that match it (in the file, or
// --key's) and each key with its certificates. `key_mismatch` is set when --key matches no certificate.
std::vector<ReportedObject> pair_keys(const formats::Artifact& artifact,
                                      const std::vector<pki::PublicKey>& extra_public,
                                      const std::string& key_file,
                                      bool& key_mismatch) {
    std::vector<pki::PublicKey> keys;
    keys.reserve(artifact.objects.size());
    std::vector<std::pair<const pki::PublicKey*, std::string>> key_index;
    for (const auto& item : artifact.objects) {
        if (const auto* pub = public_key_of(item, keys)) {
            key_index.emplace_back(pub, item.location);
        }
    }
    for (const pki::PublicKey& key : extra_public) {
        key_index.emplace_back(&key, key_file);
    }
    std::vector<ReportedObject> reported;
    for (const auto& item : artifact.objects) {
        reported.push_back({&item, {}});
    }
    for (auto& entry : reported) {
        const auto* cert = std::get_if<pki::Certificate>(&entry.object->object);
        const auto* csr = std::get_if<pki::Csr>(&entry.object->object);
        if (cert == nullptr && csr == nullptr) {
            continue;
        }
        const pki::PublicKey pub = cert != nullptr ? cert->public_key() : csr->public_key();
        for (const auto& [key, location] : key_index) {
            if (!key->matches(pub)) {
                continue;
            }
            entry.matches.push_back(location);
            add_match(reported, location, entry.object->location);
        }
        if (!key_file.empty() && cert != nullptr && entry.matches.empty()) {
            key_mismatch = true;
        }
    }
    return reported;
}

ExitCode run_inspect(const InspectOptions& options) {
    const core::TimePoint now =
        options.at.empty() ? core::SystemClock().now() : pki::parse_time(options.at, "--at");
    if (options.password_given) {
        throw core::Error(core::ErrorCode::invalid_input,
                          "--password: a password on the command line is visible to every local user "
                          "(ps, /proc/PID/cmdline); put it in a file and give --password-file FILE "
                          "(or --password-file <(command that prints it))");
    }
    const InspectSecrets secrets{.password = secret_if_given(options.password_file),
                                 .passphrase = secret_if_given(options.passphrase_file),
                                 .key_password = secret_if_given(options.key_password_file)};
    const formats::ArtifactReadOptions read_options = secrets.read_options();

    const std::vector<pki::PublicKey> extra_public = public_keys_of(options.key_file, read_options);

    std::optional<ExitCode> first_error;  // the exit status of the first file that could not be read
    bool key_mismatch = false;
    JsonArrayWriter json;
    std::vector<core::UnreadablePath> unreadable;
    const std::vector<std::string> files =
        expand_input_paths(options.paths, options.recursive ? Recursion::yes : Recursion::no, unreadable);
    for (const core::UnreadablePath& skipped : unreadable) {
        std::cerr << "certfleet: " << skipped.path << ": " << skipped.reason << '\n';
        first_error = ExitCode::invalid_input;
    }
    for (const std::string& path : files) {
        formats::Artifact artifact;
        try {
            artifact =
                formats::read_artifact(core::read_file(path), path == "-" ? "<stdin>" : path, read_options);
        } catch (const core::Error& e) {
            std::cerr << "certfleet: " << e.what() << '\n';
            first_error = first_error.value_or(exit_code_for(e.code()));
            continue;
        }
        for (const std::string& note : artifact.notes) {
            std::cerr << "certfleet: " << note << '\n';
        }
        for (const auto& entry : pair_keys(artifact, extra_public, options.key_file, key_mismatch)) {
            if (options.json) {
                json.write(to_json(entry, now));
            } else {
                std::cout << to_text(entry, now) << '\n';
            }
        }
    }
    if (!options.key_file.empty() && !options.json) {
        std::cout << (key_mismatch
                          ? fmt::format("key {} does NOT match every certificate\n", options.key_file)
                          : fmt::format("key {} matches\n", options.key_file));
    }
    if (options.json) {
        json.finish();
    }
    if (first_error) {
        return *first_error;
    }
    return key_mismatch ? ExitCode::findings : ExitCode::ok;
}

}  // namespace

void add_inspect_command(CLI::App& app, CommandAction& action) {
    auto options = std::make_shared<InspectOptions>();
    CLI::App* cmd = app.add_subcommand(
        "inspect",
        "Show what certificate, CSR, key, CRL and keystore files hold.\n\n"
        "Reads PEM (any number of blocks, CRLF, surrounding text, URL-encoded, TRUSTED CERTIFICATE),\n"
        "DER, PKCS#12, JKS and Kubernetes Secret manifests. For each object prints subject, issuer,\n"
        "serial, names, key type, dates, fingerprints, key usages and constraints; for a key, its\n"
        "type and public-key fingerprint, "
        "never the key. Keys and certificates in the same file (or --key) are paired.\n\n"
        "Examples:\n"
        "  certfleet inspect /opt/cloudera/security/x509/node.pem\n"
        "  certfleet inspect --key node.key --json node.pem\n"
        "  certfleet inspect -r /etc/haproxy/certs\n"
        "  certfleet inspect --password-file pw keystore.p12\n"
        "  certfleet inspect --password-file pw keystore.jks\n\n"
        "Exit status: 0 read; 1 --key matches no certificate; 2 a file could not be read (missing,\n"
        "damaged); 3 a wrong keystore password or key passphrase. With several files, the first\n"
        "failure decides; the other files are still read.");
    cmd->add_option("files", options->paths, "Files or directories to read; - reads standard input")
        ->required();
    cmd->add_flag("-r,--recursive", options->recursive, "Read every file under the directories given");
    cmd->add_flag("--json", options->json, "Print a JSON array, one object per item (fields in README.md)");
    cmd->add_option("--key", options->key_file, "A private key to pair with every certificate read");
    cmd->add_option(
        "--password-file", options->password_file, "File whose first line is the keystore password");
    cmd->add_option("--key-password-file",
                    options->key_password_file,
                    "JKS: the key entries' own password (keytool -keypass), when it differs");
    // Kept only to answer with what to use instead: a secret in argv is readable by every local user.
    cmd->add_option_function<std::string>(
           "--password",
           [options](const std::string& /*value*/) { options->password_given = true; },
           "Refused (argv is visible to other users): use --password-file")
        ->group("");
    cmd->add_option("--passphrase-file", options->passphrase_file, "Passphrase of encrypted private keys");
    cmd->add_option("--at", options->at, "Compute remaining validity at this UTC time instead of now");
    cmd->callback([options, &action] { action = [options] { return run_inspect(*options); }; });
}

}  // namespace certfleet::cli
