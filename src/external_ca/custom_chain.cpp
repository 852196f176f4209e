#include "external_ca/custom_chain.hpp"

#include "core/error.hpp"
#include "core/file.hpp"
#include "pki/chain_order.hpp"
#include "pki/chain_verifier.hpp"
#include "pki/expectations.hpp"
#include "pki/object_reader.hpp"
#include "pki/trust_store.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <string_view>

namespace certfleet::external_ca {
namespace {

using core::Error;
using core::ErrorCode;
using pki::Finding;
using pki::FindingCode;

std::vector<pki::Certificate> read_certificates_from(const std::string& path) {
    return pki::read_certificates(core::read_file(path), path);
}

pki::Certificate read_one_certificate(const std::string& path, std::string_view flag) {
    auto certificates = read_certificates_from(path);
    if (certificates.size() != 1) {
        throw Error(
            ErrorCode::invalid_input,
            fmt::format("{} {}: holds {} certificates; give exactly one", flag, path, certificates.size()));
    }
    return std::move(certificates.front());
}

pki::PrivateKey read_key(const std::string& path) {
    std::optional<pki::PrivateKey> key;
    std::vector<pki::SourcedObject> objects;
    try {
        objects = pki::read_objects(core::read_file(path), path);
    } catch (const Error& e) {
        // CloudStack takes the key unencrypted (PKCS#8): no passphrase option would help here.
        if (std::string_view(e.what()).find("is encrypted") != std::string_view::npos) {
            throw Error(
                ErrorCode::invalid_input,
                fmt::format("--key {}: the private key is encrypted; CloudStack takes it unencrypted: "
                            "decrypt a copy with `openssl pkey -in {} -out server.key`",
                            path,
                            path));
        }
        throw;
    }
    for (auto& item : objects) {
        if (auto* found = std::get_if<pki::PrivateKey>(&item.object)) {
            if (key) {
                throw Error(ErrorCode::invalid_input,
                            fmt::format("--key {}: holds more than one private key", path));
            }
            key = std::move(*found);
        }
    }
    if (!key) {
        throw Error(ErrorCode::invalid_input, fmt::format("--key {}: holds no private key", path));
    }
    return std::move(*key);
}

/// "CN=Sub CA", or the whole subject without a commonName: how a message names the certificate a link
/// points to.
std::string short_name(const pki::Certificate& certificate) {
    const std::string common_name = certificate.subject_common_name();
    return common_name.empty() ? certificate.subject() : "CN=" + common_name;
}

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) {
        return static_cast<char>(std::tolower(c));
    });
    return text;
}

/// The certificates' names in the order the links need them (root-down intermediates), if they form
/// one chain at all.
std::string working_order(const std::vector<const pki::Certificate*>& chain) {
    std::vector<pki::Certificate> all;
    all.reserve(chain.size());
    for (const pki::Certificate* c : chain) {
        all.push_back(c->clone());
    }
    try {
        const std::vector<pki::Certificate> ordered = pki::order_chain(std::move(all), "chain");
        if (ordered.size() < 3) {
            return "";
        }
        std::vector<std::string> names;
        for (std::size_t i = ordered.size() - 2; i >= 1; --i) {
            names.push_back(short_name(ordered[i]));
        }
        return fmt::format("{}", fmt::join(names, ", "));
    } catch (const Error&) {
        return "";
    }
}

// Each certificate must be signed by the one given above it (seed 004: "has to be done in order
// following from root cert, 0 or more intermediate certs followed by server cert").
void check_links(const std::vector<const pki::Certificate*>& chain, std::vector<Finding>& findings) {
    const std::size_t first = chain.front()->is_self_signed() ? 1 : 0;
    std::vector<std::size_t> out_of_order;
    for (std::size_t i = first; i + 1 < chain.size(); ++i) {
        const pki::Certificate& cert = *chain[i];
        const pki::Certificate& up = *chain[i + 1];
        if (cert.is_issued_by(up)) {
            continue;
        }
        const std::string head = fmt::format("{}: not signed by the next certificate up ({})",
                                             pki::describe_certificate(i, cert),
                                             short_name(up));
        std::optional<std::size_t> signer;
        for (std::size_t j = 0; j < chain.size(); ++j) {
            if (j != i && j != i + 1 && cert.is_issued_by(*chain[j])) {
                signer = j;
                break;
            }
        }
        if (signer) {
            out_of_order.push_back(findings.size());
            findings.push_back({FindingCode::chain_out_of_order,
                                i,
                                fmt::format("{}; {} signed it, so the chain is out of order",
                                            head,
                                            pki::describe_certificate(*signer, *chain[*signer]))});
        } else if (cert.issuer() == up.subject()) {
            findings.push_back(
                {FindingCode::signature_invalid,
                 i,
                 fmt::format("{}; the names match but the signature does not verify with its key", head)});
        } else {
            findings.push_back({FindingCode::chain_incomplete,
                                i,
                                fmt::format("{}; its issuer {} is missing: add it as --intermediate (Java "
                                            "clients fail with \"unable to find valid certification path "
                                            "to requested target\")",
                                            head,
                                            cert.issuer())});
        }
    }
    if (!out_of_order.empty()) {
        if (const std::string order = working_order(chain); !order.empty()) {
            findings[out_of_order.front()].message +=
                fmt::format(" (give the intermediates root-down: {})", order);
        }
    }
    const std::size_t top = chain.size() - 1;
    if (top > 0 && !chain[top]->is_self_signed()) {
        findings.push_back({FindingCode::chain_incomplete,
                            top,
                            fmt::format("{}: given as the root but not self-signed; its issuer {} is missing "
                                        "(CloudStack needs the chain up to the root)",
                                        pki::describe_certificate(top, *chain[top]),
                                        chain[top]->issuer())});
    }
}

bool names_wildcard(const pki::Certificate& server, const std::string& wildcard) {
    std::vector<std::string> dns;
    for (const pki::GeneralName& name : server.subject_alt_names()) {
        if (name.kind == pki::GeneralName::Kind::dns) {
            dns.push_back(lower(name.value));
        }
    }
    // RFC 6125 6.4.4: the commonName counts only when there is no DNS subjectAltName.
    if (dns.empty()) {
        dns.push_back(lower(server.subject_common_name()));
    }
    return std::find(dns.begin(), dns.end(), lower(wildcard)) != dns.end();
}

void check_coverage(const pki::Certificate& server,
                    const CustomChainExpectations& expected,
                    std::vector<Finding>& findings) {
    std::string suffix = expected.domain_suffix;
    while (suffix.starts_with("*.") || suffix.starts_with(".")) {
        suffix.erase(0, suffix.starts_with(".") ? 1 : 2);
    }
    if (!suffix.empty() && !names_wildcard(server, "*." + suffix)) {
        findings.push_back({FindingCode::host_mismatch,
                            0,
                            fmt::format("{}: does not cover *.{} (domain suffix {})",
                                        pki::describe_certificate(0, server),
                                        suffix,
                                        suffix)});
    }
    for (const std::string& host : expected.hosts) {
        if (!server.matches_host(host)) {
            findings.push_back(
                {FindingCode::host_mismatch,
                 0,
                 fmt::format("{}: not valid for host \"{}\"", pki::describe_certificate(0, server), host)});
        }
    }
}

}  // namespace

std::vector<const pki::Certificate*> CustomChain::leaf_first() const {
    std::vector<const pki::Certificate*> out{&server};
    // NOLINTNEXTLINE(modernize-loop-convert): clang 14 cannot compile std::views::reverse (docs/style.md)
    for (auto it = intermediates.rbegin(); it != intermediates.rend(); ++it) {
        out.push_back(&*it);
    }
    out.push_back(&root);
    return out;
}

std::string CustomChain::role_of(std::size_t index) const {
    if (index == 0) {
        return "server";
    }
    if (index > intermediates.size()) {
        return "root";
    }
    return fmt::format("intermediate {}", intermediates.size() - index + 1);
}

CustomChain CustomChain::clone() const {
    CustomChain out{root.clone(), {}, server.clone(), std::nullopt};
    for (const pki::Certificate& c : intermediates) {
        out.intermediates.push_back(c.clone());
    }
    if (key) {
        out.key = key->clone();
    }
    return out;
}

CustomChain read_custom_chain(const CustomChainSources& sources) {
    CustomChain chain{read_one_certificate(sources.root, "--root"),
                      {},
                      read_one_certificate(sources.server, "--cert"),
                      std::nullopt};
    for (const std::string& path : sources.intermediates) {
        for (pki::Certificate& c : read_certificates_from(path)) {
            chain.intermediates.push_back(std::move(c));
        }
    }
    if (!sources.key.empty()) {
        chain.key = read_key(sources.key);
    }
    return chain;
}

CustomChainVerdict judge_custom_chain(const CustomChain& chain, const CustomChainExpectations& expected) {
    CustomChainVerdict verdict;
    const std::vector<const pki::Certificate*> certificates = chain.leaf_first();
    if (chain.server.is_self_signed()) {
        verdict.findings.push_back(
            {FindingCode::self_signed_leaf,
             0,
             fmt::format("{}: self-signed; CloudStack takes only a server certificate signed by a CA",
                         pki::describe_certificate(0, chain.server))});
    }
    check_links(certificates, verdict.findings);
    if (chain.key && pki::check_key(chain.server, chain.key->public_key())) {
        verdict.findings.push_back({FindingCode::key_mismatch,
                                    0,
                                    fmt::format("{}: the private key given (--key) is not this certificate's",
                                                pki::describe_certificate(0, chain.server))});
    }
    check_coverage(chain.server, expected, verdict.findings);
    if (!verdict.findings.empty()) {
        return verdict;  // OpenSSL would only repeat a broken link in its own words
    }
    // Every link holds: let OpenSSL judge the rest (validity, CA flags, key usage, key sizes).
    std::vector<pki::Certificate> anchors;
    anchors.push_back(chain.root.clone());
    const pki::TrustStore trust = pki::TrustStore::from_certificates(anchors, "--root");
    const pki::ChainVerdict openssl = pki::verify_chain(
        chain.server, chain.intermediates, trust, {.at = expected.at, .purpose = pki::Purpose::server});
    for (const Finding& finding : openssl.findings) {
        verdict.findings.push_back(finding);
    }
    return verdict;
}

std::string url_encode(std::string_view text) {
    static constexpr std::string_view hex = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size() * 3 / 2);
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (std::isalnum(byte) != 0 || c == '_' || c == '.' || c == '-' || c == '~' || c == '/') {
            out += c;
        } else {
            out += '%';
            out += hex.at(byte >> 4);
            out += hex.at(byte & 0x0f);
        }
    }
    return out;
}

}  // namespace certfleet::external_ca
