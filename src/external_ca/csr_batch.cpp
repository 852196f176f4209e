#include "external_ca/csr_batch.hpp"

#include "core/error.hpp"
#include "pki/fingerprint.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>

namespace certfleet::external_ca {
namespace {

std::string path_in(const std::string& dir, const std::string& name) {
    return (std::filesystem::path(dir) / name).string();
}

std::string joined_names(const std::vector<pki::GeneralName>& names) {
    std::string out;
    for (const auto& name : names) {
        out += (out.empty() ? "" : ",") + pki::to_string(name);
    }
    return out;
}

}  // namespace

std::vector<PreparedHost> prepare_csrs(const CsrPlan& plan) {
    std::vector<PreparedHost> out;
    out.reserve(plan.hosts.size());
    for (const HostRequest& host : plan.hosts) {
        pki::PrivateKey key = pki::PrivateKey::generate(plan.key_spec);
        // Seed 000 checks for "TLS Web Server Authentication"; Cloudera services also act as TLS clients.
        pki::Csr csr = pki::Csr::create({.subject = host.subject,
                                         .subject_alt_names = host.subject_alt_names,
                                         .purposes = {pki::KeyPurpose::server, pki::KeyPurpose::client}},
                                        key);
        out.push_back({host, std::move(key), std::move(csr)});
    }
    return out;
}

void write_csr_batch(const std::string& dir,
                     const std::vector<PreparedHost>& hosts,
                     core::Overwrite overwrite) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
        throw core::Error(core::ErrorCode::invalid_input, fmt::format("{}: no such directory", dir));
    }
    std::vector<std::string> paths = {path_in(dir, manifest_file_name), path_in(dir, "csr-summary.txt")};
    for (const auto& host : hosts) {
        paths.push_back(path_in(dir, host.request.name + ".key"));
        paths.push_back(path_in(dir, host.request.name + ".csr"));
    }
    if (overwrite == core::Overwrite::refuse) {
        for (const auto& path : paths) {
            if (std::filesystem::exists(path, ec)) {
                throw core::Error(core::ErrorCode::conflict,
                                  fmt::format("{}: already exists (use --force to replace it)", path));
            }
        }
    }
    nlohmann::json manifest = {{"version", 1}, {"hosts", nlohmann::json::array()}};
    // The person at the CA runs `sha256sum NAME.csr` on the file they received: the first column is
    // that. The DER digest (`openssl req -outform DER | sha256sum`) survives re-encoding (CRLF, a
    // different PEM wrap), so it is kept beside it, labelled.
    std::string table = fmt::format("{:<32} {:<64} {:<64} {}\n",
                                    "HOST",
                                    "CSR FILE SHA-256 (sha256sum NAME.csr)",
                                    "CSR DER SHA-256",
                                    "NAMES");
    for (const auto& host : hosts) {
        const std::string pem = host.csr.pem();
        const pki::Bytes der = host.csr.der();
        const std::string file_sha256 = pki::to_hex(pki::digest(
            pki::DigestAlgorithm::sha256, reinterpret_cast<const unsigned char*>(pem.data()), pem.size()));
        const std::string der_sha256 =
            pki::to_hex(pki::digest(pki::DigestAlgorithm::sha256, der.data(), der.size()));
        std::vector<std::string> sans;
        for (const auto& name : host.request.subject_alt_names) {
            sans.push_back(pki::to_string(name));
        }
        manifest["hosts"].push_back({{"name", host.request.name},
                                     {"subject", host.csr.subject()},
                                     {"subject_alt_names", sans},
                                     {"key_file", host.request.name + ".key"},
                                     {"csr_file", host.request.name + ".csr"},
                                     {"csr_file_sha256", file_sha256},
                                     {"csr_der_sha256", der_sha256},
                                     {"public_key_sha256", host.key.public_key().fingerprint_sha256()}});
        table += fmt::format("{:<32} {:<64} {:<64} {}\n",
                             host.request.name,
                             file_sha256,
                             der_sha256,
                             joined_names(host.request.subject_alt_names));
        core::write_file_atomically(path_in(dir, host.request.name + ".key"),
                                    host.key.to_pkcs8_pem(),
                                    {.mode = 0600, .overwrite = overwrite});
        core::write_file_atomically(
            path_in(dir, host.request.name + ".csr"), pem, {.mode = 0644, .overwrite = overwrite});
    }
    core::write_file_atomically(
        path_in(dir, "csr-summary.txt"), table, {.mode = 0644, .overwrite = overwrite});
    core::write_file_atomically(
        path_in(dir, manifest_file_name), manifest.dump(2) + "\n", {.mode = 0644, .overwrite = overwrite});
}

}  // namespace certfleet::external_ca
