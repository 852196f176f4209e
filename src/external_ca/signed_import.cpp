#include "external_ca/signed_import.hpp"

#include "core/error.hpp"
#include "core/file.hpp"
#include "external_ca/csr_batch.hpp"
#include "pki/chain_order.hpp"
#include "pki/chain_verifier.hpp"
#include "pki/expectations.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <set>

namespace certfleet::external_ca {
namespace {

using core::Error;
using core::ErrorCode;

std::string in_dir(const std::string& dir, const std::string& name) {
    return (std::filesystem::path(dir) / name).string();
}

// Which column a verifier finding belongs to.
ImportCheck column_of(pki::FindingCode code) {
    switch (code) {
        case pki::FindingCode::expired:
        case pki::FindingCode::not_yet_valid:
        case pki::FindingCode::expires_soon:
            return ImportCheck::validity;
        case pki::FindingCode::purpose_mismatch:
            return ImportCheck::eku;
        case pki::FindingCode::issuer_mismatch:
            return ImportCheck::issuer;
        case pki::FindingCode::key_mismatch:
            return ImportCheck::key;
        default:
            return ImportCheck::chain;
    }
}

bool names_host(const pki::Certificate& cert, const std::string& host) {
    if (cert.subject_common_name() == host) {
        return true;
    }
    const auto sans = cert.subject_alt_names();
    return std::any_of(sans.begin(), sans.end(), [&](const pki::GeneralName& n) {
        return n.kind == pki::GeneralName::Kind::dns && n.value == host;
    });
}

void check_names(const pki::Certificate& cert, const RequestedHost& host, HostVerdict& verdict) {
    std::set<std::string> got;
    for (const auto& name : cert.subject_alt_names()) {
        got.insert(pki::to_string(name));
    }
    const std::set<std::string> asked(host.subject_alt_names.begin(), host.subject_alt_names.end());
    std::vector<std::string> missing;
    std::vector<std::string> extra;
    std::set_difference(asked.begin(), asked.end(), got.begin(), got.end(), std::back_inserter(missing));
    std::set_difference(got.begin(), got.end(), asked.begin(), asked.end(), std::back_inserter(extra));
    if (!missing.empty() || !extra.empty()) {
        verdict.failures.push_back(
            {ImportCheck::names,
             fmt::format("SANs differ from the request:{}{}",
                         missing.empty() ? "" : fmt::format(" missing {}", fmt::join(missing, ", ")),
                         extra.empty() ? "" : fmt::format(" not asked for {}", fmt::join(extra, ", ")))});
    }
}

void check_eku(const pki::Certificate& cert, const std::vector<std::string>& required, HostVerdict& verdict) {
    const auto eku = cert.extended_key_usage();
    for (const std::string& name : required) {
        const bool present =
            std::any_of(eku.begin(), eku.end(), [&](const auto& u) { return u.short_name == name; });
        if (!present) {
            verdict.failures.push_back({ImportCheck::eku,
                                        fmt::format("extendedKeyUsage lacks {} ({})",
                                                    name,
                                                    name == "serverAuth"   ? "TLS Web Server Authentication"
                                                    : name == "clientAuth" ? "TLS Web Client Authentication"
                                                                           : "required by --require-eku")});
        }
    }
}

void check_subject(const pki::Certificate& cert,
                   const RequestedHost& host,
                   SubjectMatch match,
                   HostVerdict& verdict) {
    if (match == SubjectMatch::cn) {
        if (cert.subject_common_name() != host.csr.subject_common_name()) {
            verdict.failures.push_back({ImportCheck::subject,
                                        fmt::format(R"(commonName "{}" is not the CSR's "{}")",
                                                    cert.subject_common_name(),
                                                    host.csr.subject_common_name())});
        }
        return;
    }
    for (const pki::Finding& finding : pki::check_csr(cert, host.csr)) {
        if (finding.message.find("subject") != std::string::npos) {
            verdict.failures.push_back({ImportCheck::subject, finding.message});
        }
    }
}

HostVerdict judge_host(const RequestedHost& host,
                       const pki::SourcedObject& signed_object,
                       const std::vector<pki::Certificate>& ca_chain,
                       const pki::TrustStore& trust,
                       const ImportExpectations& expectations) {
    const auto& cert = std::get<pki::Certificate>(signed_object.object);
    HostVerdict verdict{host.name, signed_object.location, {}};
    const auto add = [&](const pki::Finding& finding) {
        verdict.failures.push_back({column_of(finding.code), finding.message});
    };
    // The subject must be what the CSR asked for; the key check has its own column.
    check_subject(cert, host, expectations.subject_match, verdict);
    check_names(cert, host, verdict);
    check_eku(cert, expectations.required_eku, verdict);
    if (auto finding = pki::check_key(cert, host.key.public_key())) {
        add(*finding);
    }
    const std::string issuer = expectations.issuer.empty() ? ca_chain.front().subject() : expectations.issuer;
    if (auto finding = pki::check_issuer(cert, issuer)) {
        add(*finding);
    }
    // Purpose is left out here (the eku column says it plainly); the chain is checked against
    // the customer root alone, at the validation time.
    const pki::ChainVerdict chain =
        pki::verify_chain(cert, ca_chain, trust, {.at = expectations.at, .purpose = pki::Purpose::any});
    for (const pki::Finding& finding : chain.findings) {
        add(finding);
    }
    std::vector<pki::Certificate> leaf_only;
    leaf_only.push_back(cert.clone());
    for (const pki::Finding& finding :
         pki::check_remaining(leaf_only, expectations.min_remaining, expectations.at)) {
        add(finding);
    }
    return verdict;
}

}  // namespace

SubjectMatch parse_subject_match(std::string_view text, std::string_view field) {
    if (text == "exact") {
        return SubjectMatch::exact;
    }
    if (text == "cn") {
        return SubjectMatch::cn;
    }
    throw Error(ErrorCode::invalid_input, fmt::format("{}: \"{}\": expected exact or cn", field, text));
}

std::string_view to_string(ImportCheck check) noexcept {
    switch (check) {
        case ImportCheck::certificate:
            return "certificate";
        case ImportCheck::issuer:
            return "issuer";
        case ImportCheck::subject:
            return "subject";
        case ImportCheck::names:
            return "names";
        case ImportCheck::eku:
            return "eku";
        case ImportCheck::validity:
            return "validity";
        case ImportCheck::key:
            return "key";
        case ImportCheck::chain:
            return "chain";
    }
    return "certificate";
}

bool HostVerdict::failed(ImportCheck check) const noexcept {
    return std::any_of(
        failures.begin(), failures.end(), [&](const FailedCheck& f) { return f.check == check; });
}

bool ImportVerdict::all_passed() const noexcept {
    return unmatched.empty() &&
           std::all_of(hosts.begin(), hosts.end(), [](const HostVerdict& h) { return h.passed(); });
}

std::vector<RequestedHost> read_requested_hosts(const std::string& dir) {
    const std::string manifest_path = in_dir(dir, manifest_file_name);
    nlohmann::json manifest;
    try {
        manifest = nlohmann::json::parse(core::read_file(manifest_path));
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: not valid JSON: {}", manifest_path, e.what()));
    }
    std::vector<RequestedHost> hosts;
    try {
        for (const auto& entry : manifest.at("hosts")) {
            const std::string key_path = in_dir(dir, entry.at("key_file").get<std::string>());
            const std::string csr_path = in_dir(dir, entry.at("csr_file").get<std::string>());
            hosts.push_back({entry.at("name").get<std::string>(),
                             entry.at("subject").get<std::string>(),
                             entry.at("subject_alt_names").get<std::vector<std::string>>(),
                             pki::PrivateKey::from_pem(core::read_file(key_path), key_path, nullptr),
                             pki::Csr::from_pem(core::read_file(csr_path), csr_path)});
        }
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: {}", manifest_path, e.what()));
    }
    if (hosts.empty()) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: lists no hosts", manifest_path));
    }
    return hosts;
}

ImportVerdict judge_signed_certificates(const std::vector<RequestedHost>& hosts,
                                        const std::vector<pki::SourcedObject>& signed_objects,
                                        std::vector<pki::Certificate> ca_chain,
                                        const ImportExpectations& expectations) {
    ImportVerdict out;
    out.ca_chain = pki::order_chain(std::move(ca_chain), "--ca-chain");
    if (out.ca_chain.empty() || !out.ca_chain.back().is_self_signed()) {
        throw Error(ErrorCode::invalid_input,
                    "--ca-chain: must end with the customer's self-signed root (chain complete to the root)");
    }
    std::vector<pki::Certificate> anchors;
    anchors.push_back(out.ca_chain.back().clone());
    const pki::TrustStore trust = pki::TrustStore::from_certificates(
        anchors, fmt::format("customer root {}", out.ca_chain.back().subject()));
    std::vector<bool> used(signed_objects.size(), false);
    for (const RequestedHost& host : hosts) {
        std::optional<std::size_t> match;
        for (std::size_t i = 0; i < signed_objects.size() && !match; ++i) {
            const auto* cert = std::get_if<pki::Certificate>(&signed_objects[i].object);
            if (cert != nullptr && !used[i] && names_host(*cert, host.name)) {
                match = i;
            }
        }
        if (!match) {
            out.hosts.push_back(
                {host.name, "", {{ImportCheck::certificate, "no signed certificate names this host"}}});
            continue;
        }
        used[*match] = true;
        out.hosts.push_back(judge_host(host, signed_objects[*match], out.ca_chain, trust, expectations));
    }
    for (std::size_t i = 0; i < signed_objects.size(); ++i) {
        const auto* cert = std::get_if<pki::Certificate>(&signed_objects[i].object);
        // Customers often send their CA certificates along with the signed ones: not a stray.
        if (cert != nullptr && !used[i] && !cert->is_ca()) {
            out.unmatched.push_back(signed_objects[i].location);
        }
    }
    return out;
}

}  // namespace certfleet::external_ca
