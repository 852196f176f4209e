#include "formats/k8s_tls_secret.hpp"

#include "formats/pem_set.hpp"
#include "pki/openssl_handles.hpp"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <yaml-cpp/yaml.h>

namespace certfleet::formats {
namespace {

using core::Error;
using core::ErrorCode;

std::string base64(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int len = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                    reinterpret_cast<const unsigned char*>(bytes.data()),
                                    static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(len));
    return out;
}

std::string unbase64(const std::string& text, std::string_view where) {
    const pki::EvpEncodeCtxPtr ctx(EVP_ENCODE_CTX_new());
    std::string out(text.size() * 3 / 4 + 3, '\0');
    int len = 0;
    int tail = 0;
    if (!ctx) {
        pki::throw_openssl_error(ErrorCode::internal, "out of memory");
    }
    EVP_DecodeInit(ctx.get());
    if (EVP_DecodeUpdate(ctx.get(),
                         reinterpret_cast<unsigned char*>(out.data()),
                         &len,
                         reinterpret_cast<const unsigned char*>(text.data()),
                         static_cast<int>(text.size())) < 0 ||
        EVP_DecodeFinal(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + len, &tail) != 1) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: bad base64", where));
    }
    out.resize(static_cast<std::size_t>(len) + static_cast<std::size_t>(tail));
    return out;
}

// RFC 1123 subdomain, as Kubernetes requires for object names (at most 253 characters).
void require_dns1123(const std::string& name, std::string_view field, std::size_t max_size) {
    bool ok = !name.empty() && name.size() <= max_size && name.front() != '-' && name.back() != '-' &&
              name.front() != '.' && name.back() != '.';
    for (const char c : name) {
        ok = ok &&
             ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || (c == '.' && max_size > 63));
    }
    if (!ok) {
        throw Error(
            ErrorCode::invalid_input,
            fmt::format(
                "{} \"{}\" is not a valid Kubernetes name (lower-case letters, digits, '-')", field, name));
    }
}

}  // namespace

bool looks_like_k8s_secret(std::string_view bytes) {
    return bytes.find("kind: Secret") != std::string_view::npos &&
           bytes.find("data:") != std::string_view::npos;
}

std::vector<pki::SourcedObject> read_k8s_secret(std::string_view bytes, std::string_view source) {
    YAML::Node root;
    try {
        root = YAML::Load(std::string(bytes));
    } catch (const YAML::Exception& e) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: not YAML: {}", source, e.what()));
    }
    if (!root.IsMap() || !root["kind"] || root["kind"].as<std::string>("") != "Secret" ||
        !root["data"].IsMap()) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: not a Kubernetes Secret with data", source));
    }
    std::vector<pki::SourcedObject> out;
    for (const auto& item : root["data"]) {
        const std::string field = fmt::format("{}: data.{}", source, item.first.as<std::string>(""));
        std::string decoded = unbase64(item.second.as<std::string>(""), field);
        for (pki::SourcedObject& object : pki::read_objects(decoded, field)) {
            out.push_back(std::move(object));
        }
        OPENSSL_cleanse(decoded.data(), decoded.size());
    }
    return out;
}

std::string make_k8s_tls_secret(const CertifiedKey& bundle, const K8sTlsSecretOptions& options) {
    if (!bundle.key) {
        throw Error(ErrorCode::invalid_input, "a TLS Secret needs the private key (--key)");
    }
    require_dns1123(options.name, "--name", 253);
    require_dns1123(options.name_space, "--namespace", 63);
    std::vector<const pki::Certificate*> served{&bundle.certificate};
    for (const pki::Certificate* c : bundle.intermediates()) {
        served.push_back(c);
    }
    std::string key_pem = bundle.key->to_pkcs8_pem();
    std::string out = fmt::format(
        "apiVersion: v1\n"
        "kind: Secret\n"
        "metadata:\n"
        "  name: {}\n"
        "  namespace: {}\n"
        "type: kubernetes.io/tls\n"
        "data:\n"
        "  tls.crt: {}\n"
        "  tls.key: {}\n",
        options.name,
        options.name_space,
        base64(certificates_pem(served)),
        base64(key_pem));
    OPENSSL_cleanse(key_pem.data(), key_pem.size());
    if (options.include_ca) {
        const pki::Certificate* root = bundle.root();
        if (root == nullptr) {
            throw Error(ErrorCode::invalid_input, "ca.crt needs the root at the end of --chain");
        }
        out += fmt::format("  ca.crt: {}\n", base64(root->pem()));
    }
    return out;
}

}  // namespace certfleet::formats
