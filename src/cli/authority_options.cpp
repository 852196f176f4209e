#include "cli/authority_options.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

namespace certfleet::cli {
namespace {

using core::Error;
using core::ErrorCode;

std::string env(const char* name) {
    const char* value = std::getenv(name);
    return value == nullptr ? std::string{} : std::string(value);
}

core::Secret prompt(const char* question) {
    std::cerr << question << std::flush;
    termios saved{};
    const bool tty = tcgetattr(STDIN_FILENO, &saved) == 0;
    if (tty) {
        termios quiet = saved;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    std::string line;
    std::getline(std::cin, line);
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    }
    std::cerr << '\n';
    return core::Secret(std::move(line));
}

/// Creates `dir` and each missing parent 0700, whatever the umask: under umask 000,
/// create_directories made ~/.local and ~/.local/state world-writable, so another local user could
/// swap the state directory (and the CA database in it) for their own.
void create_private_directories(const std::filesystem::path& dir) {
    std::filesystem::path partial;
    for (const std::filesystem::path& part : std::filesystem::absolute(dir)) {
        partial /= part;
        if (::mkdir(partial.c_str(), 0700) != 0 && errno != EEXIST) {
            throw Error(ErrorCode::unavailable,
                        fmt::format("{}: cannot create the state directory: {}",
                                    partial.string(),
                                    std::strerror(errno)));  // NOLINT(concurrency-mt-unsafe)
        }
    }
}

/// Returns true if the store URL carries a password (user:password@host, or ?password=...).
bool url_has_password(std::string_view url) {
    const std::size_t scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) {
        return false;
    }
    std::string_view authority = url.substr(scheme_end + 3);
    authority = authority.substr(0, authority.find_first_of("/?"));
    const std::size_t at = authority.rfind('@');
    return (at != std::string_view::npos && authority.substr(0, at).find(':') != std::string_view::npos) ||
           url.find("password=") != std::string_view::npos;
}

/// A --store given on the command line must not carry a password: argv is readable by every local user.
void refuse_password_in_store_flag(const std::string& option) {
    if (url_has_password(option)) {
        throw Error(ErrorCode::invalid_input,
                    "--store: the URL holds a password, which every local user can read in the process "
                    "list; give the URL without it and the password in ~/.pgpass or $PGPASSFILE (or the "
                    "whole URL in $CERTFLEET_STORE)");
    }
}

}  // namespace

void add_authority_options(CLI::App& command, AuthorityOptions& options, bool with_passphrase) {
    command.add_option("--store",
                       options.store,
                       "Store URL: sqlite:///path/certfleet.db or postgresql://user@host:port/db "
                       "(default $CERTFLEET_STORE, else ~/.local/state/certfleet/certfleet.db)");
    command.add_option("--ca", options.ca, "Authority name (default: the only one in the store)");
    if (with_passphrase) {
        command.add_option(
            "--passphrase-file",
            options.passphrase_file,
            "File holding the CA passphrase (default $CERTFLEET_CA_PASSPHRASE, else a prompt)");
    }
}

std::string resolve_store_url(const std::string& option) {
    if (!option.empty()) {
        refuse_password_in_store_flag(option);
        return option;
    }
    if (std::string url = env("CERTFLEET_STORE"); !url.empty()) {
        return url;
    }
    std::filesystem::path dir;
    if (const std::string state = env("CERTFLEET_STATE_DIR"); !state.empty()) {
        dir = state;
    } else if (const std::string home = env("HOME"); !home.empty()) {
        dir = std::filesystem::path(home) / ".local" / "state" / "certfleet";
    } else {
        throw Error(ErrorCode::invalid_input, "no --store, $CERTFLEET_STORE, $CERTFLEET_STATE_DIR or $HOME");
    }
    create_private_directories(dir);
    return "sqlite://" + std::filesystem::absolute(dir / "certfleet.db").string();
}

std::unique_ptr<store::Store> open_store(const AuthorityOptions& options) {
    return store::open_store(resolve_store_url(options.store));
}

NewStore::NewStore(const AuthorityOptions& options) {
    const std::string url = resolve_store_url(options.store);
    const store::StoreLocation location = store::parse_store_url(url);
    std::error_code ec;
    if (location.dialect == store::SqlDialect::sqlite && location.target != ":memory:" &&
        !std::filesystem::exists(location.target, ec)) {
        m_created_file = location.target;
    }
    m_store = store::open_store(url);
}

NewStore::~NewStore() {
    m_store.reset();
    if (m_created_file.empty()) {
        return;
    }
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        std::filesystem::remove(m_created_file + suffix, ec);
    }
}

std::unique_ptr<store::Store> open_configured_store(const std::string& option) {
    refuse_password_in_store_flag(option);
    const std::string url = option.empty() ? env("CERTFLEET_STORE") : option;
    if (url.empty()) {
        return nullptr;
    }
    const std::string_view text = url;
    if (text.starts_with("sqlite:") && text != "sqlite::memory:") {
        const std::string path(text.substr(text.starts_with("sqlite://") ? 9 : 7));
        std::error_code ec;
        if (!std::filesystem::exists(path, ec)) {
            throw Error(ErrorCode::not_found, fmt::format("--store: {}: no such store", path));
        }
    }
    return store::open_store(url);
}

core::Secret read_ca_passphrase(const std::string& file, bool confirm) {
    core::Secret secret;
    if (!file.empty()) {
        secret = core::read_secret_file(file);
    } else if (const char* value = std::getenv("CERTFLEET_CA_PASSPHRASE"); value != nullptr) {
        secret = core::Secret(value);
    } else if (isatty(STDIN_FILENO) == 1) {
        secret = prompt("CA passphrase: ");
        if (confirm && !secret.empty() && prompt("CA passphrase again: ").reveal() != secret.reveal()) {
            throw Error(ErrorCode::invalid_input, "the passphrases do not match");
        }
    } else {
        throw Error(ErrorCode::invalid_input,
                    "the CA passphrase is needed: give --passphrase-file or set CERTFLEET_CA_PASSPHRASE");
    }
    if (secret.empty()) {
        throw Error(ErrorCode::invalid_input, "the CA passphrase is empty");
    }
    return secret;
}

std::string cli_actor() {
    const std::string user = env("USER");
    return "cli:" + (user.empty() ? std::to_string(getuid()) : user);
}

}  // namespace certfleet::cli
