#include "inventory/endpoint_scanner.hpp"

#include "pki/chain_verifier.hpp"
#include "pki/openssl_handles.hpp"

#include <fmt/format.h>

namespace certfleet::inventory {
namespace {

bool is_name_finding(const pki::Finding& finding) {
    return finding.code == pki::FindingCode::host_mismatch || finding.code == pki::FindingCode::ip_mismatch;
}

std::string name_of(const pki::Certificate& certificate) {
    const std::string cn = certificate.subject_common_name();
    return cn.empty() ? certificate.subject() : "CN=" + cn;
}

/// RFC 5246 7.4.2: "The sender's certificate MUST come first in the list. Each following certificate
/// MUST directly certify the one preceding it." OpenSSL rebuilds the path whatever the order, so a chain
/// served out of order verifies here while stricter clients (Java, older TLS 1.2 stacks) fail: flag each
/// certificate whose issuer is served, but not right after it.
std::vector<pki::Finding> order_findings(const std::vector<pki::Certificate>& chain) {
    std::vector<pki::Finding> findings;
    for (std::size_t i = 0; i + 1 < chain.size(); ++i) {
        if (chain[i].is_issued_by(chain[i + 1])) {
            continue;
        }
        for (std::size_t j = 0; j < chain.size(); ++j) {
            if (j != i && j != i + 1 && chain[i].is_issued_by(chain[j])) {
                findings.push_back(
                    {pki::FindingCode::chain_out_of_order,
                     i,
                     fmt::format(
                         "cert {} ({}): served before {}, which did not issue it; its issuer is served "
                         "as cert {} ({}): each certificate must be followed by its issuer",
                         i,
                         name_of(chain[i]),
                         name_of(chain[i + 1]),
                         j,
                         name_of(chain[j]))});
                break;
            }
        }
    }
    return findings;
}

/// Verifies `chain` (leaf first, as served) for a TLS server named `report.checked_host` at `options.at`
/// with pki::verify_chain; the findings and the verdict go into `report`.
void verify_served_chain(const std::vector<pki::Certificate>& chain,
                         const EndpointProbeOptions& options,
                         EndpointReport& report) {
    std::optional<pki::TrustStore> system;
    if (options.trust == nullptr) {
        system = pki::TrustStore::system_default();
    }
    const pki::TrustStore& trust = options.trust != nullptr ? *options.trust : *system;
    std::vector<pki::Certificate> untrusted;
    for (std::size_t i = 1; i < chain.size(); ++i) {
        untrusted.push_back(chain[i].clone());
    }
    const bool ip = pki::is_ip_address(report.checked_host);
    const pki::ChainVerdict verdict = pki::verify_chain(chain.front(),
                                                        untrusted,
                                                        trust,
                                                        {.at = options.at,
                                                         .host = ip ? std::string{} : report.checked_host,
                                                         .ip = ip ? report.checked_host : std::string{},
                                                         .purpose = pki::Purpose::server});
    report.findings = verdict.findings;
    report.verified = true;
    report.host_matches = chain.front().matches_host(report.checked_host);
    for (const pki::Finding& finding : report.findings) {
        if (is_name_finding(finding)) {
            report.host_matches = false;
        } else if (report.verified) {
            report.verified = false;
            report.verify_error = finding.message;
        }
    }
    for (pki::Finding& finding : order_findings(chain)) {
        report.findings.push_back(std::move(finding));
    }
}

}  // namespace

EndpointReport probe_endpoint(std::string_view text, const EndpointProbeOptions& options) {
    EndpointReport report;
    report.endpoint = std::string(text);
    pki::ServedChain served = pki::read_served_chain(
        text, {.sni = options.sni, .timeout = options.timeout, .before_handshake = [&](int fd) {
                   negotiate_starttls(fd, options.starttls, text);
               }});
    report.address = served.address;
    report.protocol = served.protocol;
    report.cipher = served.cipher;
    report.checked_host = served.server_name;
    const std::vector<pki::Certificate>& chain = served.chain;
    for (std::size_t i = 0; i < chain.size(); ++i) {
        report.chain.push_back(make_record(
            chain[i], report.endpoint, fmt::format("certificate {} of {}", i + 1, chain.size()), "tls"));
    }
    verify_served_chain(chain, options, report);
    return report;
}

}  // namespace certfleet::inventory
