#include "deploy/renewed_source.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

namespace certfleet::deploy {

void require_renewable_source(const SourceSpec& source, std::string_view spec_source, bool new_key) {
    if (!source.from.empty() || source.cert.empty()) {
        throw core::Error(core::ErrorCode::invalid_input,
                          fmt::format("{}: certificate: a renewal writes the renewed certificate into "
                                      "certificate.cert and certificate.key; this spec reads {} instead",
                                      spec_source,
                                      source.from.empty() ? "no certificate file" : source.from));
    }
    if (new_key && source.key.empty()) {
        throw core::Error(
            core::ErrorCode::invalid_input,
            fmt::format("{}: certificate.key: a renewal with a new key writes it there, and the "
                        "spec names none",
                        spec_source));
    }
}

std::vector<formats::TargetFile> renewed_source_files(const SourceSpec& source,
                                                      const std::string& certificate_pem,
                                                      const std::string& chain_pem,
                                                      const std::string& key_pem) {
    std::vector<formats::TargetFile> files;
    files.push_back(
        {.path = source.cert, .bytes = source.chain.empty() ? certificate_pem + chain_pem : certificate_pem});
    if (!source.chain.empty()) {
        files.push_back({.path = source.chain, .bytes = chain_pem});
    }
    if (!key_pem.empty()) {
        files.push_back({.path = source.key, .bytes = key_pem, .holds_private_key = true});
    }
    return files;
}

}  // namespace certfleet::deploy
