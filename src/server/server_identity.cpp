#include "server/server_identity.hpp"

#include "core/error.hpp"
#include "core/file.hpp"
#include "pki/csr.hpp"
#include "pki/object_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <unistd.h>

namespace certfleet::server {
namespace {

std::string certificate_path(const ServerIdentityOptions& options) {
    return options.directory + "/server.crt";
}
std::string key_path(const ServerIdentityOptions& options) {
    return options.directory + "/server.key";
}

bool names_everything(const pki::Certificate& certificate, const std::vector<pki::GeneralName>& names) {
    const auto held = certificate.subject_alt_names();
    return std::all_of(names.begin(), names.end(), [&](const pki::GeneralName& name) {
        return std::find(held.begin(), held.end(), name) != held.end();
    });
}

}  // namespace

core::TimePoint renewal_due_at(const pki::Certificate& certificate) {
    const auto lifetime = certificate.not_after() - certificate.not_before();
    return certificate.not_before() + lifetime * 2 / 3;
}

std::optional<ServerIdentity> load_server_identity(const authority::Authority& ca,
                                                   const ServerIdentityOptions& options,
                                                   core::TimePoint now) {
    std::error_code ec;
    if (!std::filesystem::exists(certificate_path(options), ec) ||
        !std::filesystem::exists(key_path(options), ec)) {
        return std::nullopt;
    }
    try {
        std::vector<pki::Certificate> certificates =
            pki::read_certificates(core::read_file(certificate_path(options)), certificate_path(options));
        pki::PrivateKey key =
            pki::PrivateKey::from_pem(core::read_file(key_path(options)), key_path(options), nullptr);
        pki::Certificate leaf = std::move(certificates.front());
        certificates.erase(certificates.begin());
        const bool ours = leaf.is_issued_by(ca.issuer());
        if (!ours || !names_everything(leaf, options.names) || now >= renewal_due_at(leaf)) {
            return std::nullopt;
        }
        return ServerIdentity{
            .certificate = std::move(leaf), .chain = std::move(certificates), .key = std::move(key)};
    } catch (const core::Error&) {
        return std::nullopt;  // damaged files are replaced by a new issuance
    }
}

ServerIdentity issue_server_identity(const authority::Authority& ca,
                                     const ServerIdentityOptions& options,
                                     core::TimePoint now) {
    if (options.names.empty()) {
        throw core::Error(core::ErrorCode::invalid_input, "server certificate: no names (tls.names)");
    }
    pki::PrivateKey key = pki::PrivateKey::generate(pki::KeySpec::parse("ec:p256", "server key"));
    const pki::Csr csr = pki::Csr::create(
        {.subject = "CN=" + options.names.front().value, .subject_alt_names = options.names, .purposes = {}},
        key);
    authority::IssuedCertificate issued = ca.issue(
        {.csr = &csr, .profile = options.profile, .validity = options.validity, .requester = "server:self"},
        now);
    std::error_code ec;
    std::filesystem::create_directories(options.directory, ec);
    core::write_file_atomically(certificate_path(options),
                                issued.fullchain_pem(),
                                {.mode = 0644, .overwrite = core::Overwrite::replace});
    core::write_file_atomically(
        key_path(options), key.to_pkcs8_pem(), {.mode = 0600, .overwrite = core::Overwrite::replace});
    std::vector<pki::Certificate> chain = issued.chain_pem.empty()
                                              ? std::vector<pki::Certificate>{}
                                              : pki::read_certificates(issued.chain_pem, "issued chain");
    // Decoded again from its DER: the X509 the signer built keeps the CSR's public key as parsed from the
    // request, which TLS cannot use ("ee key too small").
    return ServerIdentity{
        .certificate = pki::Certificate::from_der(issued.certificate.der(), "issued server certificate"),
        .chain = std::move(chain),
        .key = std::move(key)};
}

std::vector<pki::GeneralName> default_server_names(const std::string& host) {
    using Kind = pki::GeneralName::Kind;
    std::vector<pki::GeneralName> names;
    if (host == "0.0.0.0" || host == "::" || host.empty()) {
        std::array<char, 256> buffer{};
        if (gethostname(buffer.data(), buffer.size() - 1) == 0) {
            names.push_back({Kind::dns, buffer.data()});
        }
    } else if (host.find_first_not_of("0123456789.:abcdefABCDEF") == std::string::npos) {
        names.push_back({Kind::ip, host});
    } else {
        names.push_back({Kind::dns, host});
    }
    if (host == "127.0.0.1" || host == "::1") {
        names.push_back({Kind::dns, "localhost"});
    }
    return names;
}

}  // namespace certfleet::server
