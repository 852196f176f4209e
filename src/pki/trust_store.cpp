#include "pki/trust_store.hpp"

#include "core/file.hpp"
#include "pki/object_reader.hpp"

#include <fmt/format.h>
#include <openssl/err.h>

#include <algorithm>
#include <filesystem>

namespace certfleet::pki {
namespace {

using core::Error;
using core::ErrorCode;

X509StorePtr new_store() {
    X509StorePtr store(X509_STORE_new());
    if (!store) {
        throw_openssl_error(ErrorCode::internal, "cannot create a certificate store");
    }
    return store;
}

void add_anchor(X509_STORE* store, const Certificate& anchor) {
    // X509_STORE_add_cert takes its own reference. Adding a certificate twice is not an error in
    // OpenSSL 3.0, so bundles that repeat an anchor (hash links next to the files) are fine.
    if (X509_STORE_add_cert(store, anchor.x509()) != 1) {
        throw_openssl_error(ErrorCode::internal, fmt::format("cannot trust {}", anchor.subject()));
    }
}

// Returns the certificates of one file; keys and CRLs beside them are not anchors.
std::vector<Certificate> certificates_in(const std::string& path) {
    std::vector<Certificate> out;
    for (SourcedObject& item : read_objects(core::read_file(path), path)) {
        if (auto* cert = std::get_if<Certificate>(&item.object)) {
            out.push_back(std::move(*cert));
        }
    }
    if (out.empty()) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: no certificate to trust", path));
    }
    return out;
}

std::vector<std::string> files_of(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
        throw Error(ErrorCode::not_found, fmt::format("{}: no such file or directory", path));
    }
    if (!fs::is_directory(status)) {
        return {path};
    }
    std::vector<std::string> files;
    for (const fs::directory_entry& entry : fs::directory_iterator(path, ec)) {
        if (entry.is_regular_file(ec)) {
            files.push_back(entry.path().string());
        }
    }
    if (ec) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: cannot list directory: {}", path, ec.message()));
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: directory holds no certificate file", path));
    }
    return files;
}

std::string count_text(std::size_t count) {
    return fmt::format("{} certificate{}", count, count == 1 ? "" : "s");
}

}  // namespace

TrustStore TrustStore::from_certificates(const std::vector<Certificate>& anchors, std::string description) {
    X509StorePtr store = new_store();
    for (const Certificate& anchor : anchors) {
        add_anchor(store.get(), anchor);
    }
    return {std::move(store), std::move(description)};
}

TrustStore TrustStore::from_path(const std::string& path) {
    return from_paths({path});
}

TrustStore TrustStore::from_paths(const std::vector<std::string>& paths) {
    X509StorePtr store = new_store();
    std::size_t count = 0;
    for (const std::string& path : paths) {
        for (const std::string& file : files_of(path)) {
            for (const Certificate& anchor : certificates_in(file)) {
                add_anchor(store.get(), anchor);
                ++count;
            }
        }
    }
    std::string names;
    for (const std::string& path : paths) {
        names += (names.empty() ? "" : ", ") + path;
    }
    return {std::move(store), fmt::format("{} ({})", names, count_text(count))};
}

TrustStore TrustStore::system_default() {
    X509StorePtr store = new_store();
    // Loads the default file and adds a lookup for the default hashed directory, which OpenSSL reads
    // lazily during verification.
    if (X509_STORE_set_default_paths(store.get()) != 1) {
        throw_openssl_error(ErrorCode::unavailable, "cannot load the system trust store");
    }
    ERR_clear_error();  // a missing default file is not an error when the directory exists
    return {std::move(store), "system default"};
}

}  // namespace certfleet::pki
