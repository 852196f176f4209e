// Mutates valid DER and PEM deterministically and checks that reading them never does anything but
// return objects or throw core::Error: no crash, no other exception (run it under the dev preset's
// AddressSanitizer/UndefinedBehaviorSanitizer to also catch memory errors).
#include "core/error.hpp"
#include "fixture_files.hpp"
#include "pki/object_reader.hpp"

#include <gtest/gtest.h>

#include <random>

namespace certfleet::pki {
namespace {

using certfleet::testing::read_fixture;

// One mutation: flip a bit, set a byte, insert, delete or truncate.
std::string mutate(std::string bytes, std::mt19937& rng) {
    const auto pick = [&](std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(rng() % n); };
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int i = 0; i < edits && !bytes.empty(); ++i) {
        const std::size_t at = pick(bytes.size());
        switch (rng() % 5) {
            case 0:
                bytes[at] = static_cast<char>(bytes[at] ^ (1U << (rng() % 8)));
                break;
            case 1:
                bytes[at] = static_cast<char>(
                    std::array<unsigned char, 6>{0x00, 0x30, 0x80, 0x82, 0x84, 0xff}[rng() % 6]);
                break;
            case 2:
                bytes.insert(at, 1, static_cast<char>(rng()));
                break;
            case 3:
                bytes.erase(at, 1 + pick(8));
                break;
            default:
                bytes.resize(at);
                break;
        }
    }
    return bytes;
}

// Returns how many mutants were read without error; fails the test on anything but core::Error.
int read_mutants(const std::string& original, std::uint32_t seed, int count) {
    std::mt19937 rng(seed);
    const core::Secret pass("correct horse battery staple");
    int accepted = 0;
    for (int i = 0; i < count; ++i) {
        const std::string mutant = mutate(original, rng);
        try {
            const auto objects = read_objects(mutant, "mutant", {.passphrase = &pass});
            // Whatever was accepted must also be printable the way inspect prints it.
            for (const auto& o : objects) {
                if (const auto* cert = std::get_if<Certificate>(&o.object)) {
                    static_cast<void>(cert->subject());
                    static_cast<void>(cert->issuer());
                    static_cast<void>(cert->serial_hex());
                    static_cast<void>(cert->subject_alt_names());
                    static_cast<void>(cert->extended_key_usage());
                    static_cast<void>(cert->key_usage());
                    static_cast<void>(cert->basic_constraints());
                    static_cast<void>(cert->fingerprint(DigestAlgorithm::sha256));
                    try {
                        static_cast<void>(cert->key_description());
                        static_cast<void>(cert->not_after());
                        static_cast<void>(cert->not_before());
                    } catch (const core::Error&) {
                    }
                }
            }
            ++accepted;
        } catch (const core::Error& e) {
            // A mutated ciphertext often fails as a wrong passphrase would: not authenticated (exit 3).
            EXPECT_TRUE(e.code() == core::ErrorCode::invalid_input ||
                        e.code() == core::ErrorCode::unauthenticated)
                << "mutant " << i << ": " << e.what();
        } catch (const std::exception& e) {
            ADD_FAILURE() << "mutant " << i << " of seed " << seed << " threw " << e.what();
        }
    }
    return accepted;
}

TEST(ReadObjectsRobustness, MutatedDerCertificatesReturnOrThrowError) {
    read_mutants(read_fixture("pki/server.der"), 1, 2000);
}

TEST(ReadObjectsRobustness, MutatedPemBundlesReturnOrThrowError) {
    read_mutants(read_fixture("pki/bundle_with_key.pem"), 2, 1000);
}

TEST(ReadObjectsRobustness, MutatedCrlAndCsrReturnOrThrowError) {
    read_mutants(read_fixture("pki/intermediate.crl"), 3, 500);
    read_mutants(read_fixture("pki/server.csr"), 4, 500);
}

TEST(ReadObjectsRobustness, MutatedEncryptedKeysReturnOrThrowError) {
    read_mutants(read_fixture("pki/key.enc.pem"), 5, 200);
}

}  // namespace
}  // namespace certfleet::pki
