#include "formats/jks_integrity_digest.hpp"

#include "formats/java_data_stream.hpp"
#include "pki/openssl_handles.hpp"

#include <openssl/crypto.h>
#include <openssl/sha.h>

namespace certfleet::formats {

pki::Bytes jks_integrity_digest(const core::Secret& password, std::string_view contents) {
    static constexpr std::string_view whitener = "Mighty Aphrodite";
    pki::Bytes pass = to_utf16_big_endian(password.reveal());
    const pki::EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    pki::Bytes out(SHA_DIGEST_LENGTH);
    unsigned int len = 0;
    const bool ok = ctx && EVP_DigestInit_ex(ctx.get(), EVP_sha1(), nullptr) == 1 &&
                    EVP_DigestUpdate(ctx.get(), pass.data(), pass.size()) == 1 &&
                    EVP_DigestUpdate(ctx.get(), whitener.data(), whitener.size()) == 1 &&
                    EVP_DigestUpdate(ctx.get(), contents.data(), contents.size()) == 1 &&
                    EVP_DigestFinal_ex(ctx.get(), out.data(), &len) == 1;
    OPENSSL_cleanse(pass.data(), pass.size());
    if (!ok) {
        pki::throw_openssl_error(core::ErrorCode::internal, "SHA-1 failed");
    }
    return out;
}

}  // namespace certfleet::formats
