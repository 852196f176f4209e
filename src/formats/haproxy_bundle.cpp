#include "formats/haproxy_bundle.hpp"

#include "formats/pem_set.hpp"

#include <fmt/format.h>

namespace certfleet::formats {

using core::Error;
using core::ErrorCode;

std::string make_haproxy_bundle(const CertifiedKey& bundle) {
    if (!bundle.key) {
        throw Error(ErrorCode::invalid_input, "an HAProxy bundle needs the private key (--key)");
    }
    std::vector<const pki::Certificate*> certificates{&bundle.certificate};
    for (const pki::Certificate* c : bundle.intermediates()) {
        certificates.push_back(c);
    }
    return certificates_pem(certificates) + bundle.key->to_pkcs8_pem();
}

CertifiedKey splice_haproxy_bundle(std::string_view existing,
                                   std::string_view source,
                                   pki::Certificate certificate,
                                   std::vector<pki::Certificate> chain) {
    CertifiedKey old = assemble_certified_key(pki::read_objects(existing, source), source);
    if (!old.key) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: has no private key to keep", source));
    }
    if (!old.key->public_key().matches(certificate.public_key())) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: the new certificate {} does not match the key in the bundle; nothing "
                                "was changed",
                                source,
                                certificate.subject()));
    }
    CertifiedKey out{
        std::move(certificate), std::move(old.key), chain.empty() ? std::move(old.chain) : std::move(chain)};
    require_consistent(out, source);
    return out;
}

}  // namespace certfleet::formats
