#include "authority/authority.hpp"

#include "authority/ca_key_file.hpp"
#include "authority/serial_number.hpp"
#include "authority/signer.hpp"
#include "authority/store_passphrase.hpp"
#include "core/utc_time.hpp"
#include "pki/distinguished_name.hpp"
#include "pki/object_reader.hpp"
#include "store/audit_log.hpp"
#include "store/certificate_ledger.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace certfleet::authority {
namespace {

using core::Error;
using core::ErrorCode;

// Backdating absorbs small clock differences between the CA and the nodes (step-ca uses one minute too).
constexpr std::chrono::seconds backdate{60};
constexpr int serial_attempts = 5;

std::optional<pki::GeneralName> as_dns_name(const std::string& common_name) {
    if (common_name.empty() || common_name.find(' ') != std::string::npos) {
        return std::nullopt;
    }
    try {
        pki::GeneralName name = pki::parse_general_name(common_name, "commonName");
        if (name.kind == pki::GeneralName::Kind::dns || name.kind == pki::GeneralName::Kind::ip) {
            return name;
        }
    } catch (const Error&) {
    }
    return std::nullopt;
}

// The names the certificate will carry: the common name when it is a DNS name (not for a CA), the CSR's
// subjectAltNames, then the names the caller adds; each once, in that order.
std::vector<pki::GeneralName> requested_names(const pki::Csr& csr,
                                              const std::string& common_name,
                                              const Profile& profile,
                                              const IssueRequest& request) {
    std::vector<pki::GeneralName> names;
    const auto add_name = [&names](const pki::GeneralName& name) {
        if (std::find(names.begin(), names.end(), name) == names.end()) {
            names.push_back(name);
        }
    };
    if (const auto cn = as_dns_name(common_name); cn && !profile.is_ca) {
        add_name(*cn);
    }
    for (const auto& requested : csr.subject_alt_names()) {
        add_name(requested);
    }
    for (const auto& extra : request.extra_names) {
        add_name(extra);
    }
    return names;
}

// What the caller's authorisation refuses: each name it does not cover, and a validity over its maximum.
std::vector<std::string> authorisation_refusals(const Authorisation& granted,
                                                const std::vector<pki::GeneralName>& names,
                                                core::Seconds validity) {
    std::vector<std::string> reasons;
    if (granted.names) {
        for (const pki::GeneralName& name : names) {
            if (std::find(granted.names->begin(), granted.names->end(), name) == granted.names->end()) {
                reasons.push_back(
                    fmt::format("not_authorised: {} does not cover {}", granted.basis, pki::to_string(name)));
            }
        }
    }
    if (granted.max_validity && validity > *granted.max_validity) {
        reasons.push_back(fmt::format("validity_not_authorised: {} allows at most {}, {} asked",
                                      granted.basis,
                                      core::format_duration(*granted.max_validity),
                                      core::format_duration(validity)));
    }
    return reasons;
}

}  // namespace

std::string choose_authority(store::Store& store, std::string_view requested) {
    const auto names = store.authority_names();
    if (!requested.empty()) {
        if (std::find(names.begin(), names.end(), requested) == names.end()) {
            throw Error(ErrorCode::not_found, fmt::format("no authority \"{}\" in the store", requested));
        }
        return std::string(requested);
    }
    if (names.empty()) {
        throw Error(ErrorCode::not_found,
                    "the store holds no authority yet (certfleet ca init --name NAME ...)");
    }
    if (names.size() > 1) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("the store holds {} authorities; choose one by name", names.size()));
    }
    return names.front();
}

Authority Authority::open(store::Store& store, std::string_view name, const core::Secret& passphrase) {
    const auto record = store.find_authority(name);
    if (!record) {
        throw Error(ErrorCode::not_found, fmt::format("no authority \"{}\" in the store", name));
    }
    Authority authority(store, record->name);
    authority.m_profiles =
        parse_profiles(record->profiles_yaml, fmt::format("authority \"{}\" profiles", name));
    authority.m_policy = parse_policy(record->policy_yaml, fmt::format("authority \"{}\" policy", name));
    const store::IssuerRecord& active = record->active_issuer();
    for (const store::IssuerRecord& issuer : record->issuers) {
        if (issuer.state == store::IssuerState::retired) {
            continue;
        }
        const std::string what =
            fmt::format("authority \"{}\" issuer generation {}", name, issuer.generation);
        std::vector<pki::Certificate> chain = pki::read_certificates(issuer.chain_pem, what);
        if (chain.empty()) {
            throw Error(ErrorCode::internal, fmt::format("{} has an empty chain", what));
        }
        pki::PrivateKey key = open_ca_key(issuer.encrypted_key_pem, passphrase, name);
        if (!key.public_key().matches(chain.front().public_key())) {
            throw Error(ErrorCode::internal,
                        fmt::format("{}: the stored key does not match its certificate", what));
        }
        SigningIssuer signing{.record = issuer,
                              .chain = std::move(chain),
                              .certificate = nullptr,
                              .key = std::move(key),
                              .urls = authority.m_profiles.for_issuer(record->name, issuer.generation)};
        signing.certificate = signing.chain.front().share_x509();
        for (std::size_t i = 0; i < signing.chain.size(); ++i) {
            if (signing.chain.size() == 1 || i + 1 < signing.chain.size()) {
                signing.chain_pem += signing.chain[i].pem();
            }
        }
        signing.root_pem = signing.chain.back().pem();
        for (const Profile& profile : authority.m_profiles.profiles) {
            signing.extension_templates.emplace(
                profile.name,
                std::pair{
                    build_extension_template(profile, true, &signing.urls, signing.certificate.get()),
                    build_extension_template(profile, false, &signing.urls, signing.certificate.get())});
        }
        if (signing.chain.size() > 1 && !record->root_key_pem.empty()) {
            signing.root = signing.chain.back().share_x509();
            signing.root_key = open_ca_key(record->root_key_pem, passphrase, name);
        }
        authority.m_issuers.push_back(std::move(signing));
    }
    // The active issuer signs new certificates: keep it last.
    std::stable_partition(authority.m_issuers.begin(),
                          authority.m_issuers.end(),
                          [&](const SigningIssuer& i) { return i.record.id != active.id; });
    return authority;
}

Authority Authority::open(store::Store& store,
                          std::string_view name,
                          const core::Secret& passphrase,
                          const store::Actor& actor) {
    try {
        return open(store, name, passphrase);
    } catch (const Error& e) {
        if (e.code() == ErrorCode::unauthenticated) {
            audit_wrong_passphrase(store,
                                   {.actor = actor,
                                    .action = "authority.unlock",
                                    .target = std::string(name),
                                    .authority = std::string(name)});
        }
        throw;
    }
}

void Authority::refuse(const IssueRequest& request,
                       const std::string& subject,
                       const std::string& reasons,
                       core::TimePoint now) const {
    m_store->append_audit({.at = now,
                           .actor = request.requester,
                           .action = "certificate.issue",
                           .target = subject,
                           .outcome = "refused: " + reasons,
                           .authority = m_name});
    throw Error(ErrorCode::forbidden,
                fmt::format("authority \"{}\" refused the request: {}", m_name, reasons));
}

IssuedCertificate Authority::issue(const IssueRequest& request, core::TimePoint now) const {
    if (request.csr == nullptr || request.requester.empty()) {
        throw Error(ErrorCode::internal, "an issue request needs a CSR and a requester");
    }
    const pki::Csr& csr = *request.csr;
    if (!csr.has_valid_signature()) {
        throw Error(ErrorCode::invalid_input,
                    "csr: the signature does not verify with its own key (altered or corrupt)");
    }
    const Profile& profile = m_profiles.find(request.profile);
    const core::Seconds validity = request.validity.value_or(profile.validity);
    X509_REQ* req = csr.get();

    pki::X509NamePtr override_name;
    const X509_NAME* subject = X509_REQ_get_subject_name(req);
    if (!request.subject_override.empty()) {
        override_name = pki::parse_name(request.subject_override, "subject");
        subject = override_name.get();
    }
    const std::string subject_text = pki::format_name(subject);
    const std::string common_name = pki::common_name(subject);
    const std::vector<pki::GeneralName> names = requested_names(csr, common_name, profile, request);

    const PolicyDecision decision = evaluate(m_policy,
                                             {.common_name = common_name,
                                              .names = names,
                                              .validity = validity,
                                              .key = pki::describe_spki(X509_REQ_get_X509_PUBKEY(req)),
                                              .subject_overridden = !request.subject_override.empty()});
    std::vector<std::string> reasons;
    if (!decision.allowed()) {
        reasons.push_back(decision.describe());
    }
    for (std::string& reason : authorisation_refusals(request.authorisation, names, validity)) {
        reasons.push_back(std::move(reason));
    }
    if (!reasons.empty()) {
        refuse(request, subject_text, fmt::format("{}", fmt::join(reasons, "; ")), now);
    }

    EVP_PKEY* subject_key = X509_REQ_get0_pubkey(req);  // decoded once, when the CSR signature was checked
    if (subject_key == nullptr) {
        pki::throw_openssl_error(ErrorCode::invalid_input, "csr: the public key cannot be decoded");
    }
    const SigningIssuer& issuer = active();
    const core::TimePoint asked_end = core::add_checked(now, validity, "validity");
    const core::TimePoint issuer_end = issuer.chain.front().not_after();
    const bool cut = asked_end > issuer_end;
    if (cut && request.exact_validity) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("validity: {} from {} ends after the issuing CA ({}); ask for less, or drop "
                                "exact validity to end with the CA",
                                core::format_duration(validity),
                                core::format_time(now),
                                core::format_time(issuer_end)));
    }
    const core::TimePoint not_after = cut ? issuer_end : asked_end;
    const auto& templates = issuer.extension_templates.at(profile.name);
    const X509* extension_template =
        EVP_PKEY_get_base_id(subject_key) == EVP_PKEY_RSA ? templates.first.get() : templates.second.get();
    std::vector<std::string> name_texts;
    name_texts.reserve(names.size());
    for (const auto& n : names) {
        name_texts.push_back(pki::to_string(n));
    }
    for (int attempt = 1;; ++attempt) {
        const SerialNumber serial = SerialNumber::random();
        pki::X509Ptr x509 = sign_certificate({.subject = subject,
                                              .subject_key = subject_key,
                                              .subject_spki = X509_REQ_get_X509_PUBKEY(req),
                                              .subject_alt_names = names,
                                              .not_before = now - backdate,
                                              .not_after = not_after,
                                              .profile = &profile,
                                              .urls = &issuer.urls,
                                              .serial = serial,
                                              .extension_template = extension_template},
                                             issuer.certificate.get(),
                                             issuer.key.get());
        pki::Certificate certificate = pki::Certificate::from_x509(std::move(x509));
        const store::CertificateRecord record{.serial_hex = serial.hex(),
                                              .authority = m_name,
                                              .issuer_id = issuer.record.id,
                                              .authority_key_id = issuer.record.key_id,
                                              .subject = subject_text,
                                              .subject_alt_names = name_texts,
                                              .not_before = now - backdate,
                                              .not_after = not_after,
                                              .profile = profile.name,
                                              .requester = request.requester,
                                              .renews_serial = request.renews_serial,
                                              .der = certificate.der()};
        try {
            record_issued(request, record, now);
        } catch (const Error& e) {
            if (e.code() == ErrorCode::conflict && attempt < serial_attempts &&
                std::string_view(e.what()).find(record.serial_hex) != std::string_view::npos) {
                continue;  // a serial collision: draw again
            }
            throw;
        }
        return {.certificate = std::move(certificate),
                .chain_pem = issuer.chain_pem,
                .root_pem = issuer.root_pem,
                .issuer_id = issuer.record.id,
                .validity_cut = cut};
    }
}

void Authority::record_issued(const IssueRequest& request,
                              const store::CertificateRecord& record,
                              core::TimePoint now) const {
    m_store->commit([&](store::Transaction& tx) {
        store::CertificateRecord stored = record;
        if (request.requester_in_unit) {
            stored.requester = request.requester_in_unit(tx);
        }
        store::insert_certificate(tx, stored);
        store::append_audit(
            tx,
            {.at = now,
             .actor = stored.requester,
             .action = request.renews_serial.empty() ? "certificate.issue" : "certificate.renew",
             .target = record.serial_hex,
             .outcome = request.renews_serial.empty()
                            ? fmt::format("ok: {}", record.subject)
                            : fmt::format("ok: {} renews {}", record.subject, request.renews_serial),
             .authority = m_name});
        if (request.also) {
            request.also(tx);
        }
        if (request.also_with_record) {
            request.also_with_record(tx, stored);
        }
    });
}

store::CertificateRecord Authority::revoke(std::string_view serial_hex,
                                           RevocationReason reason,
                                           const store::Actor& actor,
                                           core::Seconds crl_validity) const {
    store::CertificateRecord revoked =
        m_store->revoke_certificate(m_name, serial_hex, to_string(reason), actor);
    for (const SigningIssuer& issuer : m_issuers) {
        if (issuer.record.id == revoked.issuer_id) {
            static_cast<void>(
                generate_crl_of(issuer, store::CrlSigner::issuer, crl_validity, actor, CrlRefresh::always));
        }
    }
    return revoked;
}

}  // namespace certfleet::authority
