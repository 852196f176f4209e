// formats::read_pkcs12, twice per input: as given (mostly stopped by the MAC check), and with the MAC
// recomputed under the password the target uses, so that mutations reach the encrypted bags, the key
// and the certificates behind the MAC (what a holder of the password, or a hostile file made with a
// known password, presents). The harness recomputes the MAC rather than the reader having a switch to
// skip it: the shipped reader has no way to turn its integrity check off.
#include "formats/pkcs12_keystore.hpp"
#include "fuzz/fuzz_target.hpp"
#include "fuzz/reported_objects.hpp"
#include "pki/openssl_handles.hpp"

#include <openssl/pkcs12.h>

#include <array>

using namespace certfleet;

namespace {

const core::Secret password{"changeit"};

/// Returns `bytes` with a fresh MAC (HMAC-SHA-256, one iteration, a fixed salt), or "" if they do not
/// parse as a PFX at all.
std::string with_recomputed_mac(std::string_view bytes) {
    const auto* in = reinterpret_cast<const unsigned char*>(bytes.data());
    const pki::Pkcs12Ptr p12(d2i_PKCS12(nullptr, &in, static_cast<long>(bytes.size())));
    if (!p12) {
        return {};
    }
    std::array<unsigned char, 8> salt{'c', 'e', 'r', 't', 'f', 'l', 'e', 't'};
    if (PKCS12_set_mac(p12.get(),
                       password.reveal().data(),
                       static_cast<int>(password.reveal().size()),
                       salt.data(),
                       static_cast<int>(salt.size()),
                       1,
                       EVP_sha256()) != 1) {
        return {};
    }
    unsigned char* out = nullptr;
    const int length = i2d_PKCS12(p12.get(), &out);
    const pki::OpensslBytesPtr owned(out);
    if (length <= 0) {
        return {};
    }
    return {reinterpret_cast<const char*>(owned.get()), static_cast<std::size_t>(length)};
}

void read_and_report(std::string_view bytes) {
    fuzz::expect_only_core_errors([&] {
        formats::Pkcs12Contents contents = formats::read_pkcs12(bytes, "fuzz", password);
        std::vector<pki::SourcedObject> objects;
        if (contents.key) {
            objects.push_back({std::move(*contents.key), "fuzz: key"});
        }
        if (contents.certificate) {
            objects.push_back({std::move(*contents.certificate), "fuzz: certificate"});
        }
        for (pki::Certificate& certificate : contents.chain) {
            objects.push_back({std::move(certificate), "fuzz: chain"});
        }
        fuzz::render_as_inspect_would(objects);
    });
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes = fuzz::as_text(data, size);
    static_cast<void>(formats::looks_like_pkcs12(bytes));
    read_and_report(bytes);
    const std::string remaced = with_recomputed_mac(bytes);
    if (!remaced.empty()) {
        read_and_report(remaced);
    }
    return 0;
}
