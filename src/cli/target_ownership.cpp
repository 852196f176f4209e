#include "cli/target_ownership.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <charconv>
#include <grp.h>
#include <pwd.h>

namespace certfleet::cli {
namespace {

std::optional<unsigned> parse_number(const std::string& text, int base) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
        return std::nullopt;
    }
    return value;
}

}  // namespace

formats::TargetWriteOptions target_write_options(const std::string& owner,
                                                 const std::string& group,
                                                 const std::string& mode,
                                                 formats::BackupOptions backup) {
    formats::TargetWriteOptions out{.backup = std::move(backup)};
    if (!owner.empty()) {
        if (const auto uid = parse_number(owner, 10)) {
            out.owner = static_cast<uid_t>(*uid);
        } else if (const passwd* pw = ::getpwnam(owner.c_str())) {  // NOLINT(concurrency-mt-unsafe)
            out.owner = pw->pw_uid;
        } else {
            throw core::Error(core::ErrorCode::invalid_input, fmt::format("--owner: no user \"{}\"", owner));
        }
    }
    if (!group.empty()) {
        if (const auto gid = parse_number(group, 10)) {
            out.group = static_cast<gid_t>(*gid);
        } else if (const ::group* gr = ::getgrnam(group.c_str())) {  // NOLINT(concurrency-mt-unsafe)
            out.group = gr->gr_gid;
        } else {
            throw core::Error(core::ErrorCode::invalid_input, fmt::format("--group: no group \"{}\"", group));
        }
    }
    if (!mode.empty()) {
        const auto bits = parse_number(mode, 8);
        if (!bits || *bits > 07777) {
            throw core::Error(core::ErrorCode::invalid_input,
                              fmt::format("--mode: \"{}\" is not an octal mode", mode));
        }
        out.mode = static_cast<mode_t>(*bits);
    }
    return out;
}

}  // namespace certfleet::cli
