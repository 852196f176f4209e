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

const Profile root_profile{
    .name = "root", .key_usage = {"digitalSignature", "keyCertSign", "cRLSign"}, .is_ca = true};

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
    check_store_passphrase(store, passphrase, iterations);
    const pki::X509NamePtr root_subject = pki::parse_name(options.subject, "subject");
    const pki::PrivateKey root_key = pki::PrivateKey::generate(options.key);
    const core::TimePoint not_before = actor.at - backdate;
    const core::TimePoint not_after = core::add_checked(actor.at, options.validity, "validity");
    const pki::Certificate root =
        pki::Certificate::from_x509(sign_certificate({.subject = root_subject.get(),
                                                      .subject_key = root_key.get(),
                                                      .not_before = not_before,
                                                      .not_after = not_after,
                                                      .profile = &root_profile,
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
    const pki::Certificate certificate = pki::Certificate::from_pem(options.certificate_pem, "certificate");
    const auto constraints = certificate.basic_constraints();
    if (!constraints || !constraints->is_ca) {
        throw Error(
            ErrorCode::invalid_input,
            fmt::format("certificate: \"{}\" is not a CA certificate (basicConstraints CA:TRUE is missing)",
                        certificate.subject()));
    }
    const auto usages = certificate.key_usage();
    if (!usages.empty() && std::find(usages.begin(), usages.end(), "keyCertSign") == usages.end()) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("certificate: \"{}\" may not sign certificates (keyUsage lacks keyCertSign)",
                                certificate.subject()));
    }
    const pki::PrivateKey key = pki::PrivateKey::from_pem(options.key_pem, "key", options.key_passphrase);
    if (!key.public_key().matches(certificate.public_key())) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("key: the key does not match the certificate \"{}\"", certificate.subject()));
    }
    std::string chain_pem = certificate.pem();
    if (!options.chain_pem.empty()) {
        const auto chain = pki::read_certificates(options.chain_pem, "chain");
        const pki::Certificate* child = &certificate;
        for (const pki::Certificate& parent : chain) {
            if (parent.der() == certificate.der()) {
                continue;  // the CA itself, listed again in its chain file
            }
            if (!child->is_issued_by(parent)) {
                throw Error(
                    ErrorCode::invalid_input,
                    fmt::format("chain: \"{}\" did not issue \"{}\"", parent.subject(), child->subject()));
            }
            chain_pem += parent.pem();
            child = &parent;
        }
    }
    const int iterations = iterations_or_default(options.key_iterations);
    check_store_passphrase(store, passphrase, iterations);
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
