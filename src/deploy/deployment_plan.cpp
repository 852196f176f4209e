#include "deploy/deployment_plan.hpp"

#include "core/error.hpp"
#include "core/file.hpp"
#include "core/secret.hpp"
#include "formats/artifact_reader.hpp"
#include "formats/bundle_targets.hpp"
#include "formats/jks_keystore.hpp"
#include "formats/pem_set.hpp"
#include "formats/pkcs12_keystore.hpp"
#include "pki/fingerprint.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <filesystem>
#include <functional>
#include <grp.h>
#include <pwd.h>
#include <set>
#include <unistd.h>

namespace certfleet::deploy {
namespace {

using core::Error;
using core::ErrorCode;

std::optional<unsigned> parse_number(const std::string& text) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

CertificateSummary summarize(const pki::Certificate& certificate) {
    return {certificate.subject(), certificate.serial_hex(), certificate.not_after()};
}

// The certificate a file holds now, for the dry run's "old -> new": the one with the new leaf's subject
// (a keystore holds others), else the first. A file that cannot be read has none to show.
std::optional<CertificateSummary> summarize_existing(const std::string& bytes,
                                                     const std::string& path,
                                                     const core::Secret* password,
                                                     const pki::Certificate& leaf) {
    try {
        const formats::Artifact artifact = formats::read_artifact(bytes, path, {.password = password});
        const pki::Certificate* first = nullptr;
        for (const pki::SourcedObject& item : artifact.objects) {
            if (const auto* c = std::get_if<pki::Certificate>(&item.object)) {
                if (c->subject() == leaf.subject()) {
                    return summarize(*c);
                }
                first = first != nullptr ? first : c;
            }
        }
        if (first != nullptr) {
            return summarize(*first);
        }
    } catch (const Error&) {
        // Nothing to show is not a reason to stop: the target is replaced either way.
    }
    return std::nullopt;
}

std::string der_of(const pki::Bytes& bytes) {
    return {bytes.begin(), bytes.end()};
}

// The entries of a JKS keystore as comparable text (dates and salts aside).
std::set<std::string> jks_contents(const std::string& bytes,
                                   const core::Secret& password,
                                   const core::Secret* key_password) {
    std::set<std::string> out;
    const formats::JksKeystore store =
        formats::JksKeystore::read(bytes, "keystore", password, {.key_password = key_password});
    for (const formats::JksEntry& entry : store.entries()) {
        std::string item = formats::alias_of(entry) + "\n";
        if (const auto* key = std::get_if<formats::JksPrivateKeyEntry>(&entry)) {
            item += key->key ? der_of(key->key->to_pkcs8_der()) : der_of(key->sealed_key);
            for (const pki::Certificate& c : key->chain) {
                item += der_of(c.der());
            }
        } else {
            item += der_of(std::get<formats::JksTrustedCertificateEntry>(entry).certificate.der());
        }
        out.insert(item);
    }
    return out;
}

std::string pkcs12_contents(const std::string& bytes, const core::Secret& password) {
    const formats::Pkcs12Contents p12 = formats::read_pkcs12(bytes, "keystore", password);
    std::string out = p12.friendly_name + "\n";
    out += p12.key ? der_of(p12.key->to_pkcs8_der()) : std::string();
    out += p12.certificate ? der_of(p12.certificate->der()) : std::string();
    for (const pki::Certificate& c : p12.chain) {
        out += der_of(c.der());
    }
    return out;
}

// Keystores are written with fresh salts, so the same content makes other bytes: compare what they hold.
bool same_content(const std::string& existing,
                  const std::string& fresh,
                  const std::string& format,
                  const core::Secret* password,
                  const core::Secret* key_password) {
    if (existing == fresh) {
        return true;
    }
    if (password == nullptr) {
        return false;
    }
    try {
        if (formats::looks_like_jks(existing) && formats::looks_like_jks(fresh)) {
            return jks_contents(existing, *password, key_password) ==
                   jks_contents(fresh, *password, key_password);
        }
        if ((format == "pkcs12" || format == "truststore") && formats::looks_like_pkcs12(existing)) {
            return pkcs12_contents(existing, *password) == pkcs12_contents(fresh, *password);
        }
    } catch (const Error&) {
        return false;
    }
    return false;
}

struct TargetSecrets {
    std::optional<core::Secret> password;
    std::optional<core::Secret> key_password;
    [[nodiscard]] const core::Secret* store() const { return password ? &*password : nullptr; }
    [[nodiscard]] const core::Secret* key() const { return key_password ? &*key_password : nullptr; }
};

std::vector<formats::TargetFile> make_files(const PlanTarget& request,
                                            const TargetSecrets& secrets,
                                            const PlanOptions& options) {
    const TargetSpec& target = request.target;
    const auto expand = [&](const std::string& text, const std::string& field) {
        return expand_template(text, request.variables, fmt::format("{}.{}", request.where, field));
    };
    if (target.format == "files") {
        std::map<std::string, std::string> paths;
        for (const auto& [piece, path] : target.files) {
            paths[piece] = expand(path, "files." + piece);
        }
        return formats::make_named_files(*request.bundle,
                                         {.cert = paths["cert"],
                                          .key = paths["key"],
                                          .public_key = paths["public_key"],
                                          .chain = paths["chain"],
                                          .fullchain = paths["fullchain"],
                                          .ca = paths["ca"]},
                                         formats::parse_chain_order(target.order, request.where + ".order"));
    }
    const std::string path = expand(target.path, "path");
    const formats::BundleFormat format = formats::parse_bundle_format(target.format);
    std::optional<std::string> existing;
    const bool keystore = format == formats::BundleFormat::jks || format == formats::BundleFormat::truststore;
    std::error_code ec;
    if (keystore && target.keystore == KeystoreUpdate::merge && std::filesystem::exists(path, ec)) {
        existing = core::read_file(path);
        if (!formats::looks_like_jks(*existing)) {
            if (format == formats::BundleFormat::jks) {
                throw Error(ErrorCode::invalid_input,
                            fmt::format("{}: {} is not a JKS keystore, so it cannot be merged into; set "
                                        "keystore: replace to overwrite it",
                                        request.where,
                                        path));
            }
            existing.reset();  // a PKCS#12 truststore is rewritten whole
        }
    }
    const std::string secret_name =
        target.secret_name.empty() ? request.variables.at("name") : target.secret_name;
    try {
        return formats::make_bundle_targets(
            *request.bundle,
            {.format = format,
             .out = path,
             .password = secrets.store(),
             .key_password = secrets.key(),
             .alias = expand(target.alias, "alias"),
             .created = options.now,
             .order = formats::parse_chain_order(target.order, request.where + ".order"),
             .legacy = target.legacy,
             .truststore_type = target.truststore_type == "pkcs12" ? formats::TruststoreType::pkcs12
                                                                   : formats::TruststoreType::jks,
             .secret_name = expand(secret_name, "secret_name"),
             .secret_namespace = target.secret_namespace,
             .include_ca = target.with_ca,
             .existing_keystore = existing ? &*existing : nullptr,
             .existing_source = path,
             .alias_clash = formats::AliasClash::replace});
    } catch (const Error& e) {
        throw Error(e.code(), fmt::format("{}: {}", request.where, e.what()));
    }
}

void require_writable_directory(const std::string& path, const std::string& where) {
    std::filesystem::path parent = std::filesystem::path(path).parent_path();
    const std::string prefix = where.empty() ? std::string() : where + ": ";
    std::error_code ec;
    if (!std::filesystem::is_directory(parent.empty() ? "." : parent, ec)) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}{}: directory {} does not exist", prefix, path, parent.string()));
    }
    if (::access(parent.empty() ? "." : parent.c_str(), W_OK) != 0) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}{}: directory {} is not writable", prefix, path, parent.string()));
    }
}

OwnershipRequest ownership_request(const TargetSpec& target, const std::string& where) {
    OwnershipRequest out{.mode = target.mode};
    if (!target.owner.empty()) {
        out.owner = resolve_user(target.owner, where + ".owner");
    }
    if (!target.group.empty()) {
        out.group = resolve_group(target.group, where + ".group");
    }
    return out;
}

// Decides what happens to one file: its ownership (an existing target keeps its own unless asked
// otherwise) and whether its content would change.
PlannedFile plan_file(formats::TargetFile& file,
                      const OwnershipRequest& request,
                      const std::string& where,
                      const std::function<bool(const std::string&)>& same_as_new) {
    require_writable_directory(file.path, where);
    PlannedFile planned{.file = {}, .shown_path = file.path};
    file.path = std::filesystem::absolute(file.path).lexically_normal().string();
    planned.existing = read_metadata(file.path);
    if (planned.existing) {
        planned.ownership = planned.existing->ownership;
    } else {
        planned.ownership = {.owner = ::geteuid(),
                             .group = ::getegid(),
                             .mode = file.mode.value_or(file.holds_private_key ? 0600 : 0644)};
    }
    planned.ownership.owner = request.owner.value_or(planned.ownership.owner);
    planned.ownership.group = request.group.value_or(planned.ownership.group);
    planned.ownership.mode = request.mode.value_or(planned.ownership.mode);
    if (planned.existing) {
        const bool same = same_as_new(core::read_file(file.path));
        planned.action = same && planned.ownership == planned.existing->ownership ? FileAction::unchanged
                                                                                  : FileAction::replace;
    }
    planned.file.path = file.path;
    planned.file.bytes = std::move(file.bytes);
    planned.file.holds_private_key = file.holds_private_key;
    planned.file.mode = file.mode;
    return planned;
}

}  // namespace

std::string_view to_string(FileAction action) {
    switch (action) {
        case FileAction::create:
            return "create";
        case FileAction::replace:
            return "replace";
        case FileAction::unchanged:
            return "unchanged";
    }
    return "unknown";
}

bool DeploymentPlan::changes_anything() const {
    return std::any_of(
        files.begin(), files.end(), [](const PlannedFile& f) { return f.action != FileAction::unchanged; });
}

std::string expand_template(std::string_view text,
                            const std::map<std::string, std::string>& variables,
                            std::string_view field) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '{') {
            out += text[i];
            continue;
        }
        const auto close = text.find('}', i);
        if (close == std::string_view::npos) {
            throw Error(ErrorCode::invalid_input, fmt::format("{}: \"{}\": unclosed {{", field, text));
        }
        const std::string name(text.substr(i + 1, close - i - 1));
        const auto found = variables.find(name);
        if (found == variables.end()) {
            throw Error(
                ErrorCode::invalid_input,
                fmt::format(
                    "{}: \"{}\": unknown variable {{{}}} (use {{name}} or {{host}})", field, text, name));
        }
        out += found->second;
        i = close;
    }
    return out;
}

uid_t resolve_user(const std::string& text, std::string_view field) {
    if (const auto uid = parse_number(text)) {
        return static_cast<uid_t>(*uid);
    }
    if (const passwd* pw = ::getpwnam(text.c_str())) {  // NOLINT(concurrency-mt-unsafe): CLI thread
        return pw->pw_uid;
    }
    throw Error(ErrorCode::invalid_input, fmt::format("{}: no user \"{}\"", field, text));
}

gid_t resolve_group(const std::string& text, std::string_view field) {
    if (const auto gid = parse_number(text)) {
        return static_cast<gid_t>(*gid);
    }
    if (const ::group* gr = ::getgrnam(text.c_str())) {  // NOLINT(concurrency-mt-unsafe): CLI thread
        return gr->gr_gid;
    }
    throw Error(ErrorCode::invalid_input, fmt::format("{}: no group \"{}\"", field, text));
}

DeploymentPlan build_plan(const std::vector<PlanTarget>& targets, const PlanOptions& options) {
    DeploymentPlan plan;
    std::set<std::string> paths;
    for (const PlanTarget& request : targets) {
        require_consistent(*request.bundle, request.where);
        TargetSecrets secrets;
        if (!request.target.password_file.empty()) {
            secrets.password = core::read_secret_file(request.target.password_file);
        }
        if (!request.target.key_password_file.empty()) {
            secrets.key_password = core::read_secret_file(request.target.key_password_file);
        }
        const OwnershipRequest ownership = ownership_request(request.target, request.where);
        for (formats::TargetFile& file : make_files(request, secrets, options)) {
            // Compared before plan_file moves the bytes into the plan.
            PlannedFile planned = plan_file(file, ownership, request.where, [&](const std::string& old) {
                return same_content(old, file.bytes, request.target.format, secrets.store(), secrets.key());
            });
            if (!paths.insert(planned.file.path).second) {
                throw Error(
                    ErrorCode::invalid_input,
                    fmt::format("{}: {} is written by two targets", request.where, planned.file.path));
            }
            planned.after = summarize(request.bundle->certificate);
            if (planned.existing) {
                planned.before = summarize_existing(core::read_file(planned.file.path),
                                                    planned.file.path,
                                                    secrets.store(),
                                                    request.bundle->certificate);
            }
            plan.files.push_back(std::move(planned));
        }
    }
    return plan;
}

DeploymentPlan plan_files(std::vector<formats::TargetFile> files, const OwnershipRequest& ownership) {
    DeploymentPlan plan;
    std::set<std::string> paths;
    for (formats::TargetFile& file : files) {
        PlannedFile planned =
            plan_file(file, ownership, "", [&](const std::string& old) { return old == file.bytes; });
        if (!paths.insert(planned.file.path).second) {
            throw Error(ErrorCode::invalid_input, fmt::format("{}: written twice", planned.file.path));
        }
        plan.files.push_back(std::move(planned));
    }
    return plan;
}

DeploymentPlan plan_deployment(const DeploymentSpec& spec,
                               const formats::CertifiedKey& bundle,
                               const PlanOptions& options,
                               std::vector<formats::TargetFile> source_files) {
    std::array<char, 256> host{};
    ::gethostname(host.data(), host.size() - 1);
    const std::string cn = bundle.certificate.subject_common_name();
    const std::map<std::string, std::string> variables{{"name", spec.name.empty() ? cn : spec.name},
                                                       {"host", host.data()}};
    std::vector<PlanTarget> targets;
    for (std::size_t i = 0; i < spec.targets.size(); ++i) {
        targets.push_back({&bundle, spec.targets[i], variables, fmt::format("targets[{}]", i)});
    }
    DeploymentPlan plan = build_plan(targets, options);
    if (!source_files.empty()) {
        DeploymentPlan source = plan_files(std::move(source_files), {});
        for (PlannedFile& f : source.files) {
            plan.files.push_back(std::move(f));
        }
    }
    plan.hooks = spec.on_change;
    for (const HealthCheckSpec& check : spec.health_checks) {
        plan.checks.push_back({check,
                               bundle.certificate.serial_hex(),
                               bundle.certificate.fingerprint(pki::DigestAlgorithm::sha256)});
    }
    return plan;
}

}  // namespace certfleet::deploy
