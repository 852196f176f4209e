#include "formats/pem_set.hpp"

#include "core/error.hpp"

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

std::vector<TargetFile> make_pem_set(const CertifiedKey& bundle,
                                     const std::string& directory,
                                     ChainOrder order) {
    const std::string dir = directory.empty() || directory.back() == '/' ? directory : directory + "/";
    std::vector<const pki::Certificate*> chain = bundle.intermediates();
    std::vector<const pki::Certificate*> full{&bundle.certificate};
    full.insert(full.end(), chain.begin(), chain.end());
    if (order == ChainOrder::root_first) {
        std::reverse(chain.begin(), chain.end());
        std::reverse(full.begin(), full.end());
    }
    std::vector<TargetFile> files;
    files.push_back({dir + "cert.pem", bundle.certificate.pem()});
    if (bundle.key) {
        files.push_back({dir + "key.pem", bundle.key->to_pkcs8_pem(), true});
    }
    files.push_back({dir + "chain.pem", certificates_pem(chain)});
    files.push_back({dir + "fullchain.pem", certificates_pem(full)});
    if (const pki::Certificate* root = bundle.root()) {
        files.push_back({dir + "ca.pem", root->pem()});
    }
    return files;
}

}  // namespace certfleet::formats
