#include "formats/puppet_ssl_dir.hpp"

#include "pki/pem_reader.hpp"

#include <fmt/format.h>

namespace certfleet::formats {

std::vector<std::string> puppet_ssl_subdirectories(const std::string& directory) {
    const std::string dir = directory.empty() || directory.back() == '/' ? directory : directory + "/";
    return {dir + "certs", dir + "private_keys", dir + "public_keys"};
}

std::vector<TargetFile> make_puppet_ssl_dir(const CertifiedKey& bundle,
                                            const std::string& directory,
                                            const PuppetSslDirOptions& options) {
    using core::Error;
    using core::ErrorCode;
    const std::string& name = options.certname;
    if (name.empty() || name.find('/') != std::string::npos || name == "." || name == ".." || name == "ca") {
        throw Error(ErrorCode::invalid_input, fmt::format("--name \"{}\" is not a usable certname", name));
    }
    if (!bundle.key) {
        throw Error(ErrorCode::invalid_input, "a Puppet ssl dir needs the private key (--key)");
    }
    const pki::Certificate* root = bundle.root();
    if (root == nullptr) {
        throw Error(ErrorCode::invalid_input,
                    "a Puppet ssl dir needs the CA certificate at the end of --chain");
    }
    const std::string dir = directory.empty() || directory.back() == '/' ? directory : directory + "/";
    const mode_t key_mode = options.group_readable ? 0640 : 0400;
    std::vector<TargetFile> files;
    files.push_back({dir + "certs/" + name + ".pem", bundle.certificate.pem(), false, 0644});
    files.push_back({dir + "certs/ca.pem", root->pem(), false, 0644});
    files.push_back({dir + "private_keys/" + name + ".pem", bundle.key->to_pkcs8_pem(), true, key_mode});
    files.push_back({dir + "public_keys/" + name + ".pem",
                     pki::write_pem("PUBLIC KEY", bundle.certificate.public_key().spki_der()),
                     false,
                     0644});
    if (!options.crl_pem.empty()) {
        files.push_back({dir + "crl.pem", options.crl_pem, false, 0644});
    }
    return files;
}

}  // namespace certfleet::formats
