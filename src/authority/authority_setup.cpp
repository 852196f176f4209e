#include "authority/authority_setup.hpp"

#include "authority/ca_key_file.hpp"
#include "authority/policy.hpp"
#include "authority/profile.hpp"
#include "authority/signer.hpp"
#include "authority/store_passphrase.hpp"
#include "core/utc_time.hpp"
#include "pki/certificate.hpp"
#include "pki/distinguished_name.hpp"
#include "pki/object_reader.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace certfleet::authority {
namespace {

using core::Error;
using core::ErrorCode;

constexpr std::chrono::seconds backdate{60};

// A function-local static, so a failed allocation is an exception the caller sees (cert-err58-cpp).
const Profile& root_profile() {
    static const Profile profile{
        .name = "root", .key_usage = {"digitalSignature", "keyCertSign", "cRLSign"}, .is_ca = true};
    return profile;
}

int iterations_or_default(int iterations) {
    return iterations > 0 ? iterations : ca_key_pbkdf2_iterations;
}

/// Checks the YAML now so that a bad file is refused at init, not at the first issuance.
void check_configuration(const std::string& profiles_yaml, const std::string& policy_yaml) {
    static_cast<void>(parse_profiles(profiles_yaml, "profiles"));
    static_cast<void>(parse_policy(policy_yaml, "policy"));
}

}  // namespace

InitResult init_authority(store::Store& store,
                          const InitOptions& options,
                          const core::Secret& passphrase,
                          const store::Actor& actor) {
    if (passphrase.empty()) {
        throw Error(ErrorCode::invalid_input, "the CA passphrase is empty");
    }
    check_configuration(options.profiles_yaml, options.policy_yaml);
    if (store.find_authority(options.name)) {
        throw Error(ErrorCode::conflict, fmt::format("authority \"{}\" already exists", options.name));
    }
    const int iterations = iterations_or_default(options.key_iterations);
    check_store_passphrase(
        store,
        passphrase,
        iterations,
        {.actor = actor, .action = "authority.create", .target = options.name, .authority = options.name});
    const pki::X509NamePtr root_subject = pki::parse_name(options.subject, "subject");
    const pki::PrivateKey root_key = pki::PrivateKey::generate(options.key);
    const core::TimePoint not_before = actor.at - backdate;
    const core::TimePoint not_after = core::add_checked(actor.at, options.validity, "validity");
    const pki::Certificate root =
        pki::Certificate::from_x509(sign_certificate({.subject = root_subject.get(),
                                                      .subject_key = root_key.get(),
                                                      .not_before = not_before,
                                                      .not_after = not_after,
                                                      .profile = &root_profile(),
                                                      .serial = SerialNumber::random()},
                                                     nullptr,
                                                     root_key.get()));
    store::AuthorityRecord record{.name = options.name,
                                  .profiles_yaml = options.profiles_yaml,
                                  .policy_yaml = options.policy_yaml,
                                  .created_at = actor.at};
    InitResult result;
    store::IssuerRecord& issuer =
        record.issuers.emplace_back(store::IssuerRecord{.authority = options.name,
                                                        .generation = 1,
                                                        .state = store::IssuerState::active,
                                                        .created_at = actor.at});
    if (!options.intermediate) {
        issuer.chain_pem = root.pem();
        issuer.key_id = root.subject_key_id();
        issuer.encrypted_key_pem = seal_ca_key(root_key, passphrase, iterations);
    } else {
        const std::string subject =
            options.intermediate_subject.empty()
                ? fmt::format("CN={} Intermediate CA", pki::common_name(root_subject.get()))
                : options.intermediate_subject;
        const pki::X509NamePtr intermediate_subject = pki::parse_name(subject, "intermediate_subject");
        const pki::PrivateKey key = pki::PrivateKey::generate(options.key);
        const Profile intermediate = default_profiles().find("intermediate");
        const pki::Certificate issuing =
            pki::Certificate::from_x509(sign_certificate({.subject = intermediate_subject.get(),
                                                          .subject_key = key.get(),
                                                          .not_before = not_before,
                                                          .not_after = not_after,
                                                          .profile = &intermediate,
                                                          .serial = SerialNumber::random()},
                                                         root.x509(),
                                                         root_key.get()));
        issuer.chain_pem = issuing.pem() + root.pem();
        issuer.key_id = issuing.subject_key_id();
        issuer.encrypted_key_pem = seal_ca_key(key, passphrase, iterations);
        const std::string sealed_root = seal_ca_key(root_key, passphrase, iterations);
        if (options.offline_root) {
            result.offline_root_key_pem = sealed_root;
        } else {
            record.root_key_pem = sealed_root;
        }
    }
    result.chain_pem = issuer.chain_pem;
    store.create_authority(record, actor);
    return result;
}

void import_authority(store::Store& store,
                      const ImportOptions& options,
                      const core::Secret& passphrase,
                      const store::Actor& actor) {
    if (passphrase.empty()) {
        throw Error(ErrorCode::invalid_input, "the CA passphrase is empty");
    }
    check_configuration(options.profiles_yaml, options.policy_yaml);
    const pki::Certificate certificate =
        pki::Certificate::from_pem(options.certificate_pem, options.certificate_source);
    const auto constraints = certificate.basic_constraints();
    if (!constraints || !constraints->is_ca) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: \"{}\" is not a CA certificate (basicConstraints CA:TRUE is missing)",
                                options.certificate_source,
                                certificate.subject()));
    }
    const auto usages = certificate.key_usage();
    if (!usages.empty() && std::find(usages.begin(), usages.end(), "keyCertSign") == usages.end()) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: \"{}\" may not sign certificates (keyUsage lacks keyCertSign)",
                                options.certificate_source,
                                certificate.subject()));
    }
    // Every certificate we sign carries authorityKeyIdentifier = this CA's key identifier; without one,
    // each issuance and CRL would fail later with an internal error. The extension cannot be added
    // without re-issuing the CA certificate, which only its owner can do.
    if (certificate.subject_key_id().empty()) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: \"{}\" has no subjectKeyIdentifier (RFC 5280 4.2.1.2: \"this extension "
                                "MUST appear in all conforming CA certificates\"); re-issue it with one "
                                "(openssl: subjectKeyIdentifier=hash) and import that",
                                options.certificate_source,
                                certificate.subject()));
    }
    const pki::PrivateKey key =
        pki::PrivateKey::from_pem(options.key_pem, options.key_source, options.key_passphrase);
    if (!key.public_key().matches(certificate.public_key())) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: the key does not match the certificate \"{}\"",
                                options.key_source,
                                certificate.subject()));
    }
    std::string chain_pem = certificate.pem();
    if (!options.chain_pem.empty()) {
        const auto chain = pki::read_certificates(options.chain_pem, options.chain_source);
        const pki::Certificate* child = &certificate;
        for (const pki::Certificate& parent : chain) {
            if (parent.der() == certificate.der()) {
                continue;  // the CA itself, listed again in its chain file
            }
            if (!child->is_issued_by(parent)) {
                throw Error(ErrorCode::invalid_input,
                            fmt::format(R"({}: "{}" did not issue "{}")",
                                        options.chain_source,
                                        parent.subject(),
                                        child->subject()));
            }
            chain_pem += parent.pem();
            child = &parent;
        }
    }
    const int iterations = iterations_or_default(options.key_iterations);
    check_store_passphrase(
        store,
        passphrase,
        iterations,
        {.actor = actor, .action = "authority.create", .target = options.name, .authority = options.name});
    store::AuthorityRecord record{.name = options.name,
                                  .profiles_yaml = options.profiles_yaml,
                                  .policy_yaml = options.policy_yaml,
                                  .created_at = actor.at};
    record.issuers.push_back({.authority = options.name,
                              .generation = 1,
                              .chain_pem = chain_pem,
                              .encrypted_key_pem = seal_ca_key(key, passphrase, iterations),
                              .key_id = certificate.subject_key_id(),
                              .state = store::IssuerState::active,
                              .created_at = actor.at});
    store.create_authority(record, actor);
}

}  // namespace certfleet::authority
