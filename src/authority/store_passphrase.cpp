#include "authority/store_passphrase.hpp"

#include "authority/ca_key_file.hpp"
#include "core/error.hpp"
#include "pki/bytes.hpp"
#include "store/authority_records.hpp"
#include "store/custom_chain_records.hpp"
#include "store/store_settings.hpp"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <charconv>

namespace certfleet::authority {
namespace {

using core::Error;
using core::ErrorCode;

constexpr std::string_view setting = "passphrase_check";
constexpr std::size_t salt_size = 16;
constexpr std::size_t hash_size = 32;

std::string derive(const core::Secret& passphrase, const pki::Bytes& salt, int iterations) {
    std::array<unsigned char, hash_size> hash{};
    const std::string_view text = passphrase.reveal();
    if (PKCS5_PBKDF2_HMAC(text.data(),
                          static_cast<int>(text.size()),
                          salt.data(),
                          static_cast<int>(salt.size()),
                          iterations,
                          EVP_sha256(),
                          static_cast<int>(hash.size()),
                          hash.data()) != 1) {
        throw Error(ErrorCode::internal, "cannot derive the passphrase check");
    }
    return pki::to_hex(hash.data(), hash.size());
}

pki::Bytes from_hex(std::string_view hex) {
    pki::Bytes out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        unsigned value = 0;
        std::from_chars(hex.data() + i, hex.data() + i + 2, value, 16);
        out.push_back(static_cast<unsigned char>(value));
    }
    return out;
}

[[noreturn]] void wrong_passphrase() {
    throw Error(ErrorCode::unauthenticated,
                "passphrase: not the one this store's keys are sealed with (one store, one passphrase)");
}

// "pbkdf2-sha256$ROUNDS$SALT$HASH"
bool matches(const std::string& check, const core::Secret& passphrase) {
    const std::size_t a = check.find('$');
    const std::size_t b = check.find('$', a + 1);
    const std::size_t c = check.find('$', b + 1);
    if (a == std::string::npos || b == std::string::npos || c == std::string::npos) {
        throw Error(ErrorCode::internal, "store: the passphrase check is damaged");
    }
    int rounds = 0;
    std::from_chars(check.data() + a + 1, check.data() + b, rounds);
    const std::string expected = check.substr(c + 1);
    const std::string actual = derive(passphrase, from_hex(check.substr(b + 1, c - b - 1)), rounds);
    return expected.size() == actual.size() &&
           CRYPTO_memcmp(expected.data(), actual.data(), actual.size()) == 0;
}

// A store from before the check: prove the passphrase on a key it already holds.
void check_existing_keys(store::Store& store, const core::Secret& passphrase) {
    for (const std::string& name : store.authority_names()) {
        const auto record = store.find_authority(name);
        if (record && !record->issuers.empty()) {
            static_cast<void>(open_ca_key(record->issuers.front().encrypted_key_pem, passphrase, name));
            return;
        }
    }
    const auto chains = store.list_custom_chains({.include_replaced = true});
    if (!chains.empty()) {
        static_cast<void>(open_ca_key(chains.front().encrypted_key_pem, passphrase, chains.front().name));
    }
}

}  // namespace

void check_store_passphrase(store::Store& store, const core::Secret& passphrase, int iterations) {
    if (passphrase.empty()) {
        throw Error(ErrorCode::invalid_input, "passphrase: empty");
    }
    const auto check = store.read([](store::Transaction& tx) { return store::find_setting(tx, setting); });
    if (check) {
        if (!matches(*check, passphrase)) {
            wrong_passphrase();
        }
        return;
    }
    try {
        check_existing_keys(store, passphrase);
    } catch (const Error& e) {
        if (e.code() == ErrorCode::unauthenticated) {
            wrong_passphrase();
        }
        throw;
    }
    pki::Bytes salt(salt_size);
    if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) {
        throw Error(ErrorCode::internal, "cannot draw a salt");
    }
    const std::string value = fmt::format(
        "pbkdf2-sha256${}${}${}", iterations, pki::to_hex(salt), derive(passphrase, salt, iterations));
    try {
        store.commit([&](store::Transaction& tx) { store::insert_setting(tx, setting, value); });
    } catch (const Error& e) {
        if (e.code() != ErrorCode::conflict) {
            throw;
        }
        // Another process recorded its check first: ours must match it.
        check_store_passphrase(store, passphrase, iterations);
    }
}

void check_store_passphrase(store::Store& store,
                            const core::Secret& passphrase,
                            int iterations,
                            const PassphraseUse& use) {
    try {
        check_store_passphrase(store, passphrase, iterations);
    } catch (const Error& e) {
        if (e.code() == ErrorCode::unauthenticated) {
            audit_wrong_passphrase(store, use);
        }
        throw;
    }
}

void audit_wrong_passphrase(store::Store& store, const PassphraseUse& use) {
    store.append_audit({.at = use.actor.at,
                        .actor = use.actor.name,
                        .action = use.action,
                        .target = use.target,
                        .outcome = "refused: wrong passphrase",
                        .authority = use.authority});
}

}  // namespace certfleet::authority
