#pragma once

#include "core/secret.hpp"
#include "store/store.hpp"

#include <CLI/CLI.hpp>

#include <memory>
#include <string>

namespace certfleet::cli {

/// The options every ca/cert/crl subcommand shares: where the store is, which authority, the passphrase.
struct AuthorityOptions {
    std::string store;
    std::string ca;
    std::string passphrase_file;
};

/// Adds --store, --ca and (when `with_passphrase`) --passphrase-file to `command`.
void add_authority_options(CLI::App& command, AuthorityOptions& options, bool with_passphrase);

/// Returns the store URL: --store, else $CERTFLEET_STORE, else sqlite:// under $CERTFLEET_STATE_DIR or
/// ~/.local/state/certfleet (created with mode 0700).
std::string resolve_store_url(const std::string& option);

/// Opens the store the options name.
std::unique_ptr<store::Store> open_store(const AuthorityOptions& options);

/// A store a command opens to create the first record in it (ca init, ca import): when the store was an
/// SQLite file that did not exist, and the command fails, the file is removed again, so a failed
/// `ca init` leaves no empty database behind to be mistaken for a store.
class NewStore {
public:
    /// Opens the store the options name, noting whether this opening created its SQLite file.
    explicit NewStore(const AuthorityOptions& options);
    NewStore(const NewStore&) = delete;
    NewStore& operator=(const NewStore&) = delete;
    NewStore(NewStore&&) = delete;
    NewStore& operator=(NewStore&&) = delete;
    /// Closes the store, and removes its file (with -wal, -shm, -journal) unless keep() was called.
    ~NewStore();

    [[nodiscard]] store::Store& get() const noexcept { return *m_store; }
    /// The command succeeded: the store stays.
    void keep() noexcept { m_created_file.clear(); }

private:
    std::string m_created_file;
    std::unique_ptr<store::Store> m_store;
};

/// Returns the store a read-only comparison (scan/probe --store) reads: `option`, else $CERTFLEET_STORE,
/// else nullptr (no default: without a store there is nothing to compare with). No passphrase is needed.
/// Throws Error(not_found) for an SQLite file that does not exist rather than creating an empty store.
std::unique_ptr<store::Store> open_configured_store(const std::string& option);

/// Returns the CA passphrase: --passphrase-file, else $CERTFLEET_CA_PASSPHRASE, else a prompt with echo
/// off when standard input is a terminal (asked twice when `confirm`).
/// Throws Error(invalid_input) when none is available or it is empty.
core::Secret read_ca_passphrase(const std::string& file, bool confirm);

/// Returns "cli:<user>" for the audit log.
std::string cli_actor();

}  // namespace certfleet::cli
