#include "formats/certified_key.hpp"

#include "pki/chain_order.hpp"

#include <fmt/format.h>

namespace certfleet::formats {

using core::Error;
using core::ErrorCode;

std::vector<const pki::Certificate*> CertifiedKey::intermediates() const {
    std::vector<const pki::Certificate*> out;
    for (const pki::Certificate& c : chain) {
        if (!c.is_self_signed()) {
            out.push_back(&c);
        }
    }
    return out;
}

const pki::Certificate* CertifiedKey::root() const {
    return !chain.empty() && chain.back().is_self_signed() ? &chain.back() : nullptr;
}

CertifiedKey CertifiedKey::clone() const {
    CertifiedKey out{certificate.clone(), std::nullopt, {}};
    if (key) {
        out.key = key->clone();
    }
    for (const pki::Certificate& c : chain) {
        out.chain.push_back(c.clone());
    }
    return out;
}

void require_consistent(const CertifiedKey& bundle, std::string_view source) {
    if (bundle.key && !bundle.key->public_key().matches(bundle.certificate.public_key())) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: the private key does not match the certificate {}",
                                source,
                                bundle.certificate.subject()));
    }
    pki::require_chain_order(bundle.certificate, bundle.chain, source);
}

CertifiedKey assemble_certified_key(std::vector<pki::SourcedObject> objects, std::string_view source) {
    std::optional<pki::PrivateKey> key;
    std::vector<pki::Certificate> certificates;
    for (pki::SourcedObject& item : objects) {
        if (auto* k = std::get_if<pki::PrivateKey>(&item.object)) {
            if (key) {
                throw Error(ErrorCode::invalid_input,
                            fmt::format("{}: more than one private key ({})", source, item.location));
            }
            key = std::move(*k);
        } else if (auto* c = std::get_if<pki::Certificate>(&item.object)) {
            certificates.push_back(std::move(*c));
        }
    }
    if (certificates.empty()) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: no certificate", source));
    }
    std::optional<std::size_t> leaf;
    if (key) {
        const pki::PublicKey pub = key->public_key();
        for (std::size_t i = 0; i < certificates.size() && !leaf; ++i) {
            if (pub.matches(certificates[i].public_key())) {
                leaf = i;
            }
        }
        if (!leaf) {
            throw Error(
                ErrorCode::invalid_input,
                fmt::format(
                    "{}: the private key matches none of the {} certificates", source, certificates.size()));
        }
        std::swap(certificates[0], certificates[*leaf]);
    }
    std::vector<pki::Certificate> ordered = pki::order_chain(std::move(certificates), source);
    if (key && !key->public_key().matches(ordered.front().public_key())) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: the certificate of the key is not the end of the chain", source));
    }
    CertifiedKey out{std::move(ordered.front()), std::move(key), {}};
    for (std::size_t i = 1; i < ordered.size(); ++i) {
        out.chain.push_back(std::move(ordered[i]));
    }
    return out;
}

}  // namespace certfleet::formats
