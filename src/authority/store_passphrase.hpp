#pragma once

#include "core/secret.hpp"
#include "store/store.hpp"

namespace certfleet::authority {

/// Proves `passphrase` is the one every sealed key in `store` uses, before something new is sealed with it
/// (a CA key, a custom chain's key), so one store never holds keys under two passphrases. The first
/// sealing records a check value (PBKDF2-SHA256 with a random salt, `iterations` rounds) in the store's
/// settings; a store made before the check existed is checked by opening one of its sealed keys.
/// Throws Error(unauthenticated) if the passphrase is not the store's.
void check_store_passphrase(store::Store& store, const core::Secret& passphrase, int iterations);

}  // namespace certfleet::authority
