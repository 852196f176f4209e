#include "formats/bundle_targets.hpp"

#include "formats/chain_files.hpp"
#include "formats/haproxy_bundle.hpp"
#include "formats/k8s_tls_secret.hpp"
#include "formats/pkcs12_keystore.hpp"
#include "formats/puppet_ssl_dir.hpp"

#include <fmt/format.h>

#include <array>
#include <utility>

namespace certfleet::formats {
namespace {

using core::Error;
using core::ErrorCode;

constexpr std::array<std::pair<std::string_view, BundleFormat>, 8> format_names{{
    {"pem", BundleFormat::pem},
    {"haproxy", BundleFormat::haproxy},
    {"pkcs12", BundleFormat::pkcs12},
    {"jks", BundleFormat::jks},
    {"truststore", BundleFormat::truststore},
    {"k8s-secret", BundleFormat::k8s_secret},
    {"chain-files", BundleFormat::chain_files},
    {"puppet-ssl-dir", BundleFormat::puppet_ssl_dir},
}};

const core::Secret& require_password(const BundleTargetRequest& request) {
    if (request.password == nullptr) {
        throw Error(ErrorCode::invalid_input, "this format needs a keystore password (--password-file)");
    }
    return *request.password;
}

std::string alias_for(const CertifiedKey& bundle, const BundleTargetRequest& request) {
    if (!request.alias.empty()) {
        return request.alias;
    }
    const std::string cn = bundle.certificate.subject_common_name();
    return cn.empty() ? "certfleet" : cn;
}

std::string make_jks(const CertifiedKey& bundle, const BundleTargetRequest& request) {
    const core::Secret& password = require_password(request);
    if (!bundle.key) {
        throw Error(ErrorCode::invalid_input, "a JKS key entry needs the private key (--key)");
    }
    JksKeystore store;
    if (request.existing_keystore != nullptr) {
        store = JksKeystore::read(*request.existing_keystore, request.existing_source, password);
    }
    std::vector<pki::Certificate> chain;
    chain.push_back(bundle.certificate.clone());
    for (const pki::Certificate& c : bundle.chain) {
        chain.push_back(c.clone());
    }
    JksPrivateKeyEntry entry{
        alias_for(bundle, request), request.created, bundle.key->clone(), std::move(chain)};
    if (request.key_password != nullptr) {
        seal_jks_key(entry, *request.key_password);
    }
    store.add(std::move(entry),
              request.existing_keystore != nullptr ? request.alias_clash : AliasClash::refuse);
    return store.to_bytes(password);
}

std::vector<const pki::Certificate*> trusted_certificates(const CertifiedKey& bundle) {
    if (const pki::Certificate* root = bundle.root()) {
        return {root};
    }
    if (bundle.chain.empty()) {
        return {&bundle.certificate};
    }
    throw Error(ErrorCode::invalid_input,
                "a truststore holds the root: end --chain with it, or give the root alone as --cert");
}

// A new truststore, or (seed 004) the root added to an existing JKS keystore, other entries untouched.
std::string make_trust(const CertifiedKey& bundle, const BundleTargetRequest& request) {
    const std::string alias = request.alias.empty() ? "ca" : request.alias;
    const std::vector<const pki::Certificate*> trusted = trusted_certificates(bundle);
    if (request.existing_keystore == nullptr) {
        return make_truststore(trusted,
                               require_password(request),
                               {.type = request.truststore_type, .alias = alias, .created = request.created});
    }
    JksKeystore store =
        JksKeystore::read(*request.existing_keystore, request.existing_source, require_password(request));
    for (std::size_t i = 0; i < trusted.size(); ++i) {
        store.add(JksTrustedCertificateEntry{trusted.size() == 1 ? alias : fmt::format("{}-{}", alias, i + 1),
                                             request.created,
                                             trusted[i]->clone()},
                  request.alias_clash);
    }
    return store.to_bytes(require_password(request));
}

}  // namespace

BundleFormat parse_bundle_format(std::string_view text) {
    for (const auto& [name, format] : format_names) {
        if (name == text) {
            return format;
        }
    }
    throw Error(ErrorCode::invalid_input,
                fmt::format("--format \"{}\": use pem, haproxy, pkcs12, jks, truststore, k8s-secret, "
                            "chain-files or puppet-ssl-dir",
                            text));
}

std::vector<TargetFile> make_bundle_targets(const CertifiedKey& bundle, const BundleTargetRequest& request) {
    switch (request.format) {
        case BundleFormat::pem:
            return make_pem_set(bundle, request.out, request.order);
        case BundleFormat::haproxy:
            return {{request.out, make_haproxy_bundle(bundle), true}};
        case BundleFormat::pkcs12:
            return {{request.out,
                     write_pkcs12(bundle,
                                  require_password(request),
                                  {.friendly_name = alias_for(bundle, request),
                                   .protection =
                                       request.legacy ? Pkcs12Protection::legacy : Pkcs12Protection::modern}),
                     true}};
        case BundleFormat::jks:
            return {{request.out, make_jks(bundle, request), true}};
        case BundleFormat::truststore:
            return {{request.out, make_trust(bundle, request), false}};
        case BundleFormat::k8s_secret:
            return {{request.out,
                     make_k8s_tls_secret(bundle,
                                         {.name = request.secret_name,
                                          .name_space = request.secret_namespace,
                                          .include_ca = request.include_ca}),
                     true}};
        case BundleFormat::chain_files:
            return make_chain_files(bundle, request.out, request.order);
        case BundleFormat::puppet_ssl_dir:
            return make_puppet_ssl_dir(bundle,
                                       request.out,
                                       {.certname = request.secret_name,
                                        .crl_pem = request.crl_pem,
                                        .group_readable = request.service_group});
    }
    throw Error(ErrorCode::internal, "unknown bundle format");
}

}  // namespace certfleet::formats
