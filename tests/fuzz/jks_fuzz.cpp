// formats::JksKeystore::read with the integrity digest recomputed for every input (the last 20 bytes
// are replaced by SHA-1(password || "Mighty Aphrodite" || the rest)), so mutations reach the entries,
// the dates, the protected keys and the certificates rather than stopping at the digest check. What
// reads must also write and read back with the same entries.
#include "formats/jks_integrity_digest.hpp"
#include "formats/jks_keystore.hpp"
#include "fuzz/fuzz_target.hpp"
#include "fuzz/reported_objects.hpp"

#include <cstdlib>

using namespace certfleet;

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const core::Secret password{"changeit"};
    constexpr std::size_t digest_size = 20;
    if (size < digest_size) {
        return 0;
    }
    std::string bytes(fuzz::as_text(data, size - digest_size));
    const pki::Bytes digest = formats::jks_integrity_digest(password, bytes);
    bytes.append(digest.begin(), digest.end());
    static_cast<void>(formats::looks_like_jks(bytes));
    fuzz::expect_only_core_errors([&] {
        const formats::JksKeystore keystore = formats::JksKeystore::read(bytes, "fuzz", password);
        std::vector<pki::SourcedObject> objects;
        for (const formats::JksEntry& entry : keystore.entries()) {
            if (const auto* key_entry = std::get_if<formats::JksPrivateKeyEntry>(&entry)) {
                if (key_entry->key) {  // nullopt: sealed under a key password of its own
                    objects.push_back({key_entry->key->clone(), "fuzz: " + key_entry->alias});
                }
                for (const pki::Certificate& certificate : key_entry->chain) {
                    objects.push_back({certificate.clone(), "fuzz: " + key_entry->alias});
                }
            } else {
                const auto& trusted = std::get<formats::JksTrustedCertificateEntry>(entry);
                objects.push_back({trusted.certificate.clone(), "fuzz: " + trusted.alias});
            }
        }
        fuzz::render_as_inspect_would(objects);
        const formats::JksKeystore again =
            formats::JksKeystore::read(keystore.to_bytes(password), "fuzz: rewritten", password);
        if (again.entries().size() != keystore.entries().size()) {
            std::abort();
        }
    });
    return 0;
}
