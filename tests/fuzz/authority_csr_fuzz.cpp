// The CSR path of the authority: a CSR as a client sends it (PEM or DER) is decoded, its signature
// checked, its names judged by a policy and, when allowed, signed and recorded (in-memory SQLite).
// Hostile CSRs must be refused with core::Error, never crash the authority, never be signed with names
// the policy refuses.
#include "authority/authority.hpp"
#include "authority/authority_setup.hpp"
#include "fuzz/fuzz_target.hpp"
#include "pki/csr.hpp"
#include "pki/pem_reader.hpp"
#include "store/store.hpp"

#include <cstdlib>
#include <memory>
#include <optional>

using namespace certfleet;

namespace {

const core::TimePoint now{std::chrono::seconds{1'780'000'000}};

struct FuzzAuthority {
    std::unique_ptr<store::Store> store;
    std::optional<authority::Authority> ca;
};

FuzzAuthority& fuzz_authority() {
    static FuzzAuthority instance;
    return instance;
}

pki::Csr decode(std::string_view bytes) {
    if (pki::contains_pem(bytes)) {
        return pki::Csr::from_pem(bytes, "fuzz");
    }
    return pki::Csr::from_der(pki::to_bytes(bytes), "fuzz");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
    const core::Secret passphrase{"fuzz passphrase"};
    FuzzAuthority& fa = fuzz_authority();
    fa.store = store::open_store("sqlite::memory:");
    authority::init_authority(*fa.store,
                              {.name = "fuzz",
                               .subject = "CN=Fuzz Root,O=certfleet",
                               .intermediate = true,
                               .key = pki::KeySpec::parse("ec:p256", "fuzz"),
                               .validity = std::chrono::hours(24 * 3650),
                               .policy_yaml = "allowed_domains: [example.com, \"*.example.com\"]\n"
                                              "allowed_ip_ranges: [10.0.0.0/8, \"fd00::/8\"]\n"
                                              "max_validity: 90d\n"
                                              "allowed_key_types: [rsa, ec, ed25519]\n",
                               .key_iterations = 1},
                              passphrase,
                              {.name = "fuzz", .at = now});
    fa.ca.emplace(authority::Authority::open(*fa.store, "fuzz", passphrase));
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const authority::Authority& ca = *fuzz_authority().ca;
    fuzz::expect_only_core_errors([&] {
        const pki::Csr csr = decode(fuzz::as_text(data, size));
        const authority::IssuedCertificate issued =
            ca.issue({.csr = &csr, .profile = "server", .requester = "fuzz"}, now);
        // What was signed carries only names the policy allows.
        for (const pki::GeneralName& name : issued.certificate.subject_alt_names()) {
            if (name.kind != pki::GeneralName::Kind::dns && name.kind != pki::GeneralName::Kind::ip) {
                continue;
            }
            const std::string& value = name.value;
            const bool allowed = value == "example.com" || value.ends_with(".example.com") ||
                                 value.starts_with("10.") || value.starts_with("fd");
            if (!allowed) {
                std::abort();
            }
        }
    });
    return 0;
}
