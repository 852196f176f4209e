#pragma once

#include "core/secret.hpp"
#include "store/store.hpp"

#include <string>

namespace certfleet::authority {

/// Proves `passphrase` is the one every sealed key in `store` uses, before something new is sealed with it
/// (a CA key, a custom chain's key), so one store never holds keys under two passphrases. The first
/// sealing records a check value (PBKDF2-SHA256 with a random salt, `iterations` rounds) in the store's
/// settings; a store made before the check existed is checked by opening one of its sealed keys.
/// Throws Error(unauthenticated) if the passphrase is not the store's.
void check_store_passphrase(store::Store& store, const core::Secret& passphrase, int iterations);

/// What a refused passphrase is recorded as in the audit log: who tried, to do what, on what.
struct PassphraseUse {
    store::Actor actor;
    std::string action;     ///< the action it was for: "authority.create", "custom_chain.upload", ...
    std::string target;     ///< its target, as the action's own audit lines name it
    std::string authority;  ///< the authority concerned, "" when none
};

/// As check_store_passphrase, and a wrong passphrase is also written to the audit log (outcome
/// "refused: wrong passphrase") before Error(unauthenticated) is thrown: every refusal is audited.
void check_store_passphrase(store::Store& store,
                            const core::Secret& passphrase,
                            int iterations,
                            const PassphraseUse& use);

/// Appends the refusal of a wrong passphrase for `use` to the audit log.
void audit_wrong_passphrase(store::Store& store, const PassphraseUse& use);

}  // namespace certfleet::authority
