#include "formats/chain_files.hpp"

#include "formats/pem_set.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace certfleet::formats {

std::vector<TargetFile> make_chain_files(const CertifiedKey& bundle,
                                         const std::string& directory,
                                         ChainOrder order) {
    using core::Error;
    using core::ErrorCode;
    if (!bundle.key) {
        throw Error(ErrorCode::invalid_input, "chain files need the private key (--key)");
    }
    const pki::Certificate* root = bundle.root();
    if (root == nullptr) {
        throw Error(ErrorCode::invalid_input, "chain files need the root at the end of --chain");
    }
    const std::string dir = directory.empty() || directory.back() == '/' ? directory : directory + "/";
    std::vector<const pki::Certificate*> down = bundle.intermediates();
    std::reverse(down.begin(), down.end());
    std::vector<TargetFile> files;
    int step = 1;
    files.push_back({fmt::format("{}{:02}-root.crt", dir, step++), root->pem()});
    for (std::size_t i = 0; i < down.size(); ++i) {
        const std::string name = down.size() == 1 ? "intermediate" : fmt::format("intermediate-{}", i + 1);
        files.push_back({fmt::format("{}{:02}-{}.crt", dir, step++, name), down[i]->pem()});
    }
    files.push_back({fmt::format("{}{:02}-server.crt", dir, step++), bundle.certificate.pem()});
    const std::string key = bundle.key->to_pkcs8_pem();
    files.push_back({fmt::format("{}{:02}-server.key", dir, step), key, true});
    // RFC 5246 7.4.2: "Each following certificate MUST directly certify the one preceding it": Apache
    // sends SSLCertificateChainFile as written, so the leaf's issuer comes first.
    std::vector<const pki::Certificate*> chain = bundle.intermediates();
    chain.push_back(root);
    if (order == ChainOrder::root_first) {
        std::reverse(chain.begin(), chain.end());
    }
    files.push_back({dir + "server.crt", bundle.certificate.pem()});
    files.push_back({dir + "server.key", key, true});
    files.push_back({dir + "chain.crt", certificates_pem(chain)});
    return files;
}

}  // namespace certfleet::formats
