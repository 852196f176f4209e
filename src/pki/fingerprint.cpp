#include "pki/fingerprint.hpp"

#include "pki/openssl_handles.hpp"

namespace certfleet::pki {
namespace {

const EVP_MD* fetched(DigestAlgorithm algorithm) {
    static const EvpMdPtr sha1(EVP_MD_fetch(nullptr, "SHA1", nullptr));
    static const EvpMdPtr sha256(EVP_MD_fetch(nullptr, "SHA256", nullptr));
    const EVP_MD* md = algorithm == DigestAlgorithm::sha1 ? sha1.get() : sha256.get();
    if (md == nullptr) {
        throw_openssl_error(core::ErrorCode::internal, "digest algorithm unavailable");
    }
    return md;
}

}  // namespace

Bytes digest(DigestAlgorithm algorithm, const unsigned char* data, std::size_t size) {
    Bytes out(EVP_MAX_MD_SIZE);
    unsigned int len = 0;
    if (EVP_Digest(data, size, out.data(), &len, fetched(algorithm), nullptr) != 1) {
        throw_openssl_error(core::ErrorCode::internal, "digest failed");
    }
    out.resize(len);
    return out;
}

std::string fingerprint(DigestAlgorithm algorithm, const Bytes& der) {
    static constexpr std::string_view digits = "0123456789ABCDEF";
    const Bytes md = digest(algorithm, der.data(), der.size());
    std::string out;
    out.reserve(md.size() * 3);
    for (std::size_t i = 0; i < md.size(); ++i) {
        if (i != 0) {
            out += ':';
        }
        out += digits[md[i] >> 4U];
        out += digits[md[i] & 0x0fU];
    }
    return out;
}

}  // namespace certfleet::pki
