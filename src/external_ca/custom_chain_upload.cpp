#include "external_ca/custom_chain_upload.hpp"

#include "authority/ca_key_file.hpp"
#include "authority/store_passphrase.hpp"
#include "core/error.hpp"
#include "core/file.hpp"
#include "formats/bundle_targets.hpp"
#include "formats/certified_key.hpp"
#include "formats/pem_set.hpp"
#include "pki/object_reader.hpp"

#include <fmt/format.h>

#include <filesystem>

namespace certfleet::external_ca {
namespace {

using core::Error;
using core::ErrorCode;

// The seed's keystore table: name varchar(64), domain_suffix varchar(256).
constexpr std::size_t max_name_length = 64;
constexpr std::size_t max_suffix_length = 256;

void require_request(const CustomChain& chain, const CustomChainUpload& upload) {
    if (upload.name.empty() || upload.name.size() > max_name_length) {
        throw Error(ErrorCode::invalid_input, "--name: give a name of 1 to 64 characters");
    }
    const std::string& suffix = upload.expected.domain_suffix;
    if (suffix.empty() || suffix.size() > max_suffix_length) {
        throw Error(ErrorCode::invalid_input, "--domain-suffix: give the domain suffix the chain is for");
    }
    if (!chain.key) {
        throw Error(ErrorCode::invalid_input, "an upload needs the server certificate's private key (--key)");
    }
    if (!upload.truststore.empty() && upload.truststore_password == nullptr) {
        throw Error(ErrorCode::invalid_input, "--truststore needs its password (--truststore-password-file)");
    }
    // Checked before the store changes: a chain recorded but never written would mislead the next redo.
    std::error_code ec;
    if (!upload.out_dir.empty() && !std::filesystem::is_directory(upload.out_dir, ec)) {
        throw Error(ErrorCode::invalid_input, fmt::format("--out-dir {}: no such directory", upload.out_dir));
    }
    const std::filesystem::path trust_dir = std::filesystem::path(upload.truststore).parent_path();
    if (!upload.truststore.empty() && !trust_dir.empty() && !std::filesystem::is_directory(trust_dir, ec)) {
        throw Error(
            ErrorCode::invalid_input,
            fmt::format(
                "--truststore {}: directory {} does not exist", upload.truststore, trust_dir.string()));
    }
}

formats::CertifiedKey certified_key_of(const CustomChain& chain) {
    formats::CertifiedKey bundle{chain.server.clone(), chain.key->clone(), {}};
    // NOLINTNEXTLINE(modernize-loop-convert): clang 14 cannot compile std::views::reverse (docs/style.md)
    for (auto it = chain.intermediates.rbegin(); it != chain.intermediates.rend(); ++it) {
        bundle.chain.push_back(it->clone());
    }
    bundle.chain.push_back(chain.root.clone());
    return bundle;
}

std::vector<formats::TargetFile> make_files(const CustomChain& chain,
                                            const CustomChainUpload& upload,
                                            core::TimePoint at) {
    const formats::CertifiedKey bundle = certified_key_of(chain);
    std::vector<formats::TargetFile> files;
    if (!upload.out_dir.empty()) {
        files = formats::make_bundle_targets(
            bundle,
            {.format = formats::BundleFormat::chain_files, .out = upload.out_dir, .order = upload.order});
    }
    if (!upload.truststore.empty()) {
        // Seed 004: "On the ssvm side the root cert is inserted into the keystore": an existing one keeps
        // its other entries, and a redo replaces the root under the same alias.
        std::optional<std::string> existing;
        std::error_code ec;
        if (std::filesystem::exists(upload.truststore, ec)) {
            existing = core::read_file(upload.truststore);
        }
        auto trust = formats::make_bundle_targets(bundle,
                                                  {.format = formats::BundleFormat::truststore,
                                                   .out = upload.truststore,
                                                   .password = upload.truststore_password,
                                                   .alias = upload.truststore_alias,
                                                   .created = at,
                                                   .existing_keystore = existing ? &*existing : nullptr,
                                                   .existing_source = upload.truststore,
                                                   .alias_clash = formats::AliasClash::replace});
        for (auto& file : trust) {
            files.push_back(std::move(file));
        }
    }
    return files;
}

std::string chain_pem_of(const CustomChain& chain) {
    std::vector<const pki::Certificate*> down{&chain.root};
    for (const pki::Certificate& c : chain.intermediates) {
        down.push_back(&c);
    }
    return formats::certificates_pem(down);
}

}  // namespace

CustomChainUploadOutcome upload_custom_chain(store::Store& store,
                                             const CustomChain& chain,
                                             const core::Secret& passphrase,
                                             const CustomChainUpload& upload,
                                             const store::Actor& actor) {
    require_request(chain, upload);
    CustomChainUploadOutcome outcome;
    outcome.verdict = judge_custom_chain(chain, upload.expected);
    if (!outcome.verdict.is_clean()) {
        return outcome;
    }
    // Files first, in memory: a wrong truststore password stops the upload before the store changes.
    const std::vector<formats::TargetFile> files = make_files(chain, upload, actor.at);
    const std::string suffix = upload.expected.domain_suffix;
    authority::check_store_passphrase(
        store,
        passphrase,
        upload.key_iterations > 0 ? upload.key_iterations : authority::ca_key_pbkdf2_iterations,
        {.actor = actor,
         .action = "custom_chain.upload",
         .target = fmt::format("{} {}", upload.name, suffix)});
    const auto previous = store.list_custom_chains({.name = upload.name, .domain_suffix = suffix});
    const store::CustomChainRecord record{
        .name = upload.name,
        .domain_suffix = suffix,
        .certificate_pem = chain.server.pem(),
        .chain_pem = chain_pem_of(chain),
        .encrypted_key_pem = upload.key_iterations > 0
                                 ? authority::seal_ca_key(*chain.key, passphrase, upload.key_iterations)
                                 : authority::seal_ca_key(*chain.key, passphrase),
        .uploaded_at = actor.at};
    outcome.record = store.record_custom_chain(record, actor);
    if (!previous.empty()) {
        outcome.replaced = previous.front();
        outcome.replaced->replaced_at = actor.at;
    }
    outcome.written =
        formats::write_targets(files, {.backup = {.directory = upload.backup_dir, .at = actor.at}});
    return outcome;
}

CustomChain chain_of(const store::CustomChainRecord& record) {
    const std::string source =
        fmt::format("stored chain {} {} seq {}", record.name, record.domain_suffix, record.seq);
    std::vector<pki::Certificate> down = pki::read_certificates(record.chain_pem, source);
    CustomChain chain{std::move(down.front()),
                      {},
                      pki::Certificate::from_pem(record.certificate_pem, source),
                      std::nullopt};
    for (std::size_t i = 1; i < down.size(); ++i) {
        chain.intermediates.push_back(std::move(down[i]));
    }
    return chain;
}

}  // namespace certfleet::external_ca
