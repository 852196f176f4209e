#include "authority/authority.hpp"

#include "authority/ca_key_file.hpp"
#include "authority/crl_builder.hpp"
#include "authority/serial_number.hpp"
#include "authority/signer.hpp"
#include "pki/distinguished_name.hpp"
#include "pki/object_reader.hpp"

#include <fmt/format.h>

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

}  // namespace

std::string choose_authority(store::Store& store, std::string_view requested) {
    if (!requested.empty()) {
        return std::string(requested);
    }
    const auto names = store.authority_names();
    if (names.empty()) {
        throw Error(ErrorCode::not_found,
                    "the store holds no authority yet (certfleet ca init --name NAME ...)");
    }
    if (names.size() > 1) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("the store holds {} authorities; choose one with --ca", names.size()));
    }
    return names.front();
}

Authority Authority::open(store::Store& store, std::string_view name, const core::Secret& passphrase) {
    const auto record = store.find_authority(name);
    if (!record) {
        throw Error(ErrorCode::not_found, fmt::format("no authority \"{}\" in the store", name));
    }
    Authority authority(store, record->name);
    authority.m_chain =
        pki::read_certificates(record->chain_pem, fmt::format("authority \"{}\" chain", name));
    if (authority.m_chain.empty()) {
        throw Error(ErrorCode::internal, fmt::format("authority \"{}\" has an empty chain", name));
    }
    authority.m_key = open_ca_key(record->encrypted_key_pem, passphrase, name);
    if (!authority.m_key->public_key().matches(authority.m_chain.front().public_key())) {
        throw Error(ErrorCode::internal,
                    fmt::format("authority \"{}\": the stored key does not match its certificate", name));
    }
    authority.m_profiles =
        parse_profiles(record->profiles_yaml, fmt::format("authority \"{}\" profiles", name));
    authority.m_policy = parse_policy(record->policy_yaml, fmt::format("authority \"{}\" policy", name));
    const auto& chain = authority.m_chain;
    for (std::size_t i = 0; i < chain.size(); ++i) {
        if (chain.size() == 1 || i + 1 < chain.size()) {
            authority.m_chain_pem += chain[i].pem();
        }
    }
    authority.m_root_pem = chain.back().pem();
    for (const Profile& profile : authority.m_profiles.profiles) {
        authority.m_extension_templates.emplace(
            profile.name,
            std::pair{
                build_extension_template(profile, true, &authority.m_profiles, authority.issuer().x509()),
                build_extension_template(profile, false, &authority.m_profiles, authority.issuer().x509())});
    }
    return authority;
}

IssuedCertificate Authority::sign_csr(const pki::Csr& csr, const IssueOptions& options, core::TimePoint now) {
    if (!csr.has_valid_signature()) {
        throw Error(ErrorCode::invalid_input,
                    "the CSR's signature does not verify with its own key (altered or corrupt)");
    }
    const Profile& profile = m_profiles.find(options.profile);
    const core::Seconds validity = options.validity.value_or(profile.validity);
    X509_REQ* req = csr.get();

    pki::X509NamePtr override_name;
    const X509_NAME* subject = X509_REQ_get_subject_name(req);
    if (!options.subject_override.empty()) {
        override_name = pki::parse_name(options.subject_override, "--subject");
        subject = override_name.get();
    }
    const std::string common_name = pki::common_name(subject);
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
    for (const auto& extra : options.extra_names) {
        add_name(extra);
    }

    const PolicyDecision decision = evaluate(m_policy,
                                             {.common_name = common_name,
                                              .names = names,
                                              .validity = validity,
                                              .key = pki::describe_spki(X509_REQ_get_X509_PUBKEY(req)),
                                              .subject_overridden = !options.subject_override.empty()});
    if (!decision.allowed()) {
        m_store->append_audit({.at = now,
                               .actor = options.requester,
                               .action = "certificate.issue",
                               .target = pki::format_name(subject),
                               .outcome = "refused: " + decision.describe()});
        throw Error(
            ErrorCode::forbidden,
            fmt::format("authority \"{}\" policy refused the request: {}", m_name, decision.describe()));
    }

    EVP_PKEY* subject_key = X509_REQ_get0_pubkey(req);  // decoded once, when the CSR signature was checked
    if (subject_key == nullptr) {
        pki::throw_openssl_error(ErrorCode::invalid_input, "the CSR's public key cannot be decoded");
    }
    const core::TimePoint not_after = std::min(now + validity, issuer().not_after());
    const auto& templates = m_extension_templates.at(profile.name);
    const X509* extension_template =
        EVP_PKEY_get_base_id(subject_key) == EVP_PKEY_RSA ? templates.first.get() : templates.second.get();
    for (int attempt = 1;; ++attempt) {
        const SerialNumber serial = SerialNumber::random();
        pki::X509Ptr x509 = sign_certificate({.subject = subject,
                                              .subject_key = subject_key,
                                              .subject_spki = X509_REQ_get_X509_PUBKEY(req),
                                              .subject_alt_names = names,
                                              .not_before = now - backdate,
                                              .not_after = not_after,
                                              .profile = &profile,
                                              .urls = &m_profiles,
                                              .serial = serial,
                                              .extension_template = extension_template},
                                             issuer().x509(),
                                             m_key->get());
        pki::Certificate certificate = pki::Certificate::from_x509(std::move(x509));
        std::vector<std::string> name_texts;
        name_texts.reserve(names.size());
        for (const auto& n : names) {
            name_texts.push_back(pki::to_string(n));
        }
        try {
            m_store->insert_certificate(
                {.serial_hex = serial.hex(),
                 .authority = m_name,
                 .subject = pki::format_name(subject),
                 .subject_alt_names = std::move(name_texts),
                 .not_before = now - backdate,
                 .not_after = std::chrono::time_point_cast<std::chrono::seconds>(not_after),
                 .profile = profile.name,
                 .requester = options.requester,
                 .der = certificate.der()},
                {.name = options.requester, .at = now});
        } catch (const Error& e) {
            if (e.code() == ErrorCode::conflict && attempt < serial_attempts) {
                continue;  // a serial collision: draw again
            }
            throw;
        }
        return {.certificate = std::move(certificate), .chain_pem = m_chain_pem, .root_pem = m_root_pem};
    }
}

void Authority::revoke(std::string_view serial_hex, RevocationReason reason, const store::Actor& actor) {
    const auto record = m_store->find_certificate(serial_hex);
    if (!record || record->authority != m_name) {
        throw Error(ErrorCode::not_found,
                    fmt::format("authority \"{}\" issued no certificate with serial {}", m_name, serial_hex));
    }
    m_store->revoke_certificate(serial_hex, to_string(reason), actor);
}

pki::Crl Authority::generate_crl(core::Seconds validity, const store::Actor& actor) {
    const auto revoked = m_store->list_certificates({.authority = m_name, .revoked_only = true});
    const auto latest = m_store->latest_crl(m_name);
    const std::int64_t number = latest ? latest->number + 1 : 1;
    const core::TimePoint this_update = std::chrono::time_point_cast<std::chrono::seconds>(actor.at);
    pki::Crl crl = build_crl({.number = number,
                              .this_update = this_update,
                              .next_update = this_update + validity,
                              .revoked = &revoked},
                             issuer().x509(),
                             m_key->get());
    m_store->record_crl({.authority = m_name,
                         .number = number,
                         .this_update = this_update,
                         .next_update = this_update + validity,
                         .der = crl.der()},
                        actor);
    return crl;
}

}  // namespace certfleet::authority
