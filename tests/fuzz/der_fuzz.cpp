// The DER decoders one by one (certificate, CSR, CRL, private key, SubjectPublicKeyInfo) and the outer
// TLV check, each followed by everything inspect reports about what decoded.
#include "fuzz/fuzz_target.hpp"
#include "fuzz/reported_objects.hpp"
#include "pki/object_reader.hpp"

using namespace certfleet;

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const pki::Bytes der(data, data + size);
    static_cast<void>(pki::describe_der_damage(der));
    std::vector<pki::SourcedObject> decoded;
    fuzz::expect_only_core_errors([&] {
        decoded.push_back({pki::Certificate::from_der(der, "fuzz"), "fuzz: certificate"});
    });
    fuzz::expect_only_core_errors([&] { decoded.push_back({pki::Csr::from_der(der, "fuzz"), "fuzz: csr"}); });
    fuzz::expect_only_core_errors([&] { decoded.push_back({pki::Crl::from_der(der, "fuzz"), "fuzz: crl"}); });
    fuzz::expect_only_core_errors([&] {
        decoded.push_back({pki::PrivateKey::from_der(der, "fuzz", nullptr), "fuzz: private key"});
    });
    fuzz::expect_only_core_errors([&] {
        decoded.push_back({pki::PublicKey::from_spki_der(der, "fuzz"), "fuzz: public key"});
    });
    fuzz::expect_only_core_errors([&] { fuzz::render_as_inspect_would(decoded); });
    return 0;
}
