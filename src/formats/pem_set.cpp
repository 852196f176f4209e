#include "formats/pem_set.hpp"

#include "core/error.hpp"
#include "pki/pem_reader.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace certfleet::formats {

ChainOrder parse_chain_order(std::string_view text, std::string_view field) {
    if (text == "leaf-first") {
        return ChainOrder::leaf_first;
    }
    if (text == "root-first") {
        return ChainOrder::root_first;
    }
    throw core::Error(
        core::ErrorCode::invalid_input,
        fmt::format("{}: unknown chain order \"{}\" (use leaf-first or root-first)", field, text));
}

std::string certificates_pem(const std::vector<const pki::Certificate*>& certificates) {
    std::string out;
    for (const pki::Certificate* c : certificates) {
        out += c->pem();
    }
    return out;
}

std::vector<TargetFile> make_named_files(const CertifiedKey& bundle,
                                         const NamedFilePaths& paths,
                                         ChainOrder order) {
    std::vector<const pki::Certificate*> chain = bundle.intermediates();
    std::vector<const pki::Certificate*> full{&bundle.certificate};
    full.insert(full.end(), chain.begin(), chain.end());
    if (order == ChainOrder::root_first) {
        std::reverse(chain.begin(), chain.end());
        std::reverse(full.begin(), full.end());
    }
    std::vector<TargetFile> files;
    if (!paths.cert.empty()) {
        files.push_back({paths.cert, bundle.certificate.pem()});
    }
    if (!paths.key.empty()) {
        if (!bundle.key) {
            throw core::Error(core::ErrorCode::invalid_input,
                              fmt::format("{}: the key piece needs the private key", paths.key));
        }
        files.push_back({paths.key, bundle.key->to_pkcs8_pem(), true});
    }
    if (!paths.public_key.empty()) {
        files.push_back(
            {paths.public_key, pki::write_pem("PUBLIC KEY", bundle.certificate.public_key().spki_der())});
    }
    // Issued straight by the root: no intermediates, and an empty chain file breaks servers that read it.
    if (!paths.chain.empty() && !chain.empty()) {
        files.push_back({paths.chain, certificates_pem(chain)});
    }
    if (!paths.fullchain.empty()) {
        files.push_back({paths.fullchain, certificates_pem(full)});
    }
    if (!paths.ca.empty()) {
        const pki::Certificate* root = bundle.root();
        if (root == nullptr) {
            throw core::Error(
                core::ErrorCode::invalid_input,
                fmt::format("{}: the ca piece needs the root at the end of the chain", paths.ca));
        }
        files.push_back({paths.ca, root->pem()});
    }
    return files;
}

std::vector<TargetFile> make_pem_set(const CertifiedKey& bundle,
                                     const std::string& directory,
                                     ChainOrder order) {
    const std::string dir = directory.empty() || directory.back() == '/' ? directory : directory + "/";
    return make_named_files(bundle,
                            {.cert = dir + "cert.pem",
                             .key = bundle.key ? dir + "key.pem" : std::string(),
                             .chain = dir + "chain.pem",
                             .fullchain = dir + "fullchain.pem",
                             .ca = bundle.root() != nullptr ? dir + "ca.pem" : std::string()},
                            order);
}

}  // namespace certfleet::formats
