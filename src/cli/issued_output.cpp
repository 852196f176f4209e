#include "cli/issued_output.hpp"

#include "core/file.hpp"
#include "pki/certificate.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <iostream>

namespace certfleet::cli {

void check_issued_output(const IssuedOutput& o, bool with_key) {
    if (o.force) {
        return;
    }
    std::vector<std::filesystem::path> paths;
    if (!o.out.empty()) {
        paths.emplace_back(o.out);
    }
    if (!o.out_dir.empty()) {
        for (const char* name : {"cert.pem", "chain.pem", "fullchain.pem", "root.pem"}) {
            paths.push_back(std::filesystem::path(o.out_dir) / name);
        }
        if (with_key) {
            paths.push_back(std::filesystem::path(o.out_dir) / "key.pem");
        }
    }
    for (const auto& path : paths) {
        std::error_code ec;
        if (std::filesystem::exists(std::filesystem::symlink_status(path, ec))) {
            throw core::Error(
                core::ErrorCode::conflict,
                fmt::format("{}: already exists (nothing was issued; use --force to replace it)",
                            path.string()));
        }
    }
}

void write_issued_output(const IssuedOutput& o,
                         const authority::IssuedCertificate& issued,
                         const std::string* key_pem) {
    const core::AtomicWriteOptions replace{
        .mode = 0644, .overwrite = o.force ? core::Overwrite::replace : core::Overwrite::refuse};
    if (!o.out.empty()) {
        core::write_file_atomically(o.out, issued.certificate.pem(), replace);
    }
    if (!o.out_dir.empty()) {
        const std::filesystem::path dir(o.out_dir);
        std::filesystem::create_directories(dir);
        if (key_pem != nullptr) {
            core::write_file_atomically(
                (dir / "key.pem").string(), *key_pem, {.mode = 0600, .overwrite = replace.overwrite});
        }
        core::write_file_atomically((dir / "cert.pem").string(), issued.certificate.pem(), replace);
        core::write_file_atomically((dir / "chain.pem").string(), issued.chain_pem, replace);
        core::write_file_atomically((dir / "fullchain.pem").string(), issued.fullchain_pem(), replace);
        core::write_file_atomically((dir / "root.pem").string(), issued.root_pem, replace);
    }
    if (o.out.empty() && o.out_dir.empty()) {
        std::cout << issued.fullchain_pem();
        return;
    }
    const auto& c = issued.certificate;
    std::cerr << fmt::format(
        "issued {} serial {} valid until {}\n", c.subject(), c.serial_hex(), pki::format_time(c.not_after()));
    if (issued.validity_cut) {
        std::cerr << "note: the validity asked for ends after the issuing CA's, so it ends with the CA "
                     "(--exact-validity refuses instead)\n";
    }
}

}  // namespace certfleet::cli
