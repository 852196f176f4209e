#include "agent/agent_state_file.hpp"

#include "core/error.hpp"
#include "core/file.hpp"
#include "core/utc_time.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <system_error>

namespace certfleet::agent {
namespace {

using core::Error;
using core::ErrorCode;

nlohmann::json time_json(const std::optional<core::TimePoint>& at) {
    return at ? nlohmann::json(core::format_time(*at)) : nlohmann::json(nullptr);
}

std::optional<core::TimePoint> time_field(const nlohmann::json& in,
                                          const char* key,
                                          std::string_view source) {
    if (!in.contains(key) || in.at(key).is_null()) {
        return std::nullopt;
    }
    return core::parse_time(in.at(key).get<std::string>(), fmt::format("{}: {}", source, key));
}

std::string text_field(const nlohmann::json& in, const char* key) {
    return in.contains(key) && in.at(key).is_string() ? in.at(key).get<std::string>() : std::string();
}

}  // namespace

std::string record_path(const std::string& state_dir, std::string_view name) {
    if (name.empty() || name.starts_with('.') || name.find('/') != std::string_view::npos) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("certificates[].name: \"{}\" cannot name a state file (no '/', no leading "
                                "'.')",
                                name));
    }
    return (std::filesystem::path(state_dir) / "agent" / (std::string(name) + ".json")).string();
}

std::string to_json(const CertificateRecord& record) {
    const nlohmann::json out{{"name", record.name},
                             {"state", to_string(record.state)},
                             {"serial", record.serial},
                             {"not_after", time_json(record.not_after)},
                             {"next_renewal", time_json(record.next_renewal)},
                             {"last_deployment", record.last_deployment},
                             {"last_deployment_at", time_json(record.last_deployment_at)},
                             {"last_outcome", record.last_outcome},
                             {"detail", record.detail},
                             {"updated_at", time_json(record.updated_at)},
                             {"reenroll", record.reenroll},
                             {"presented_root_sha256", record.presented_root_sha256},
                             {"presented_root_subject", record.presented_root_subject},
                             {"pending_request", record.pending_request}};
    return out.dump(2) + "\n";
}

CertificateRecord parse_record(std::string_view text, std::string_view source) {
    try {
        const nlohmann::json in = nlohmann::json::parse(text);
        CertificateRecord record{.name = in.at("name").get<std::string>(),
                                 .state = parse_tracking_state(in.at("state").get<std::string>(),
                                                               fmt::format("{}: state", source)),
                                 .serial = text_field(in, "serial"),
                                 .not_after = time_field(in, "not_after", source),
                                 .next_renewal = time_field(in, "next_renewal", source),
                                 .last_deployment = text_field(in, "last_deployment"),
                                 .last_deployment_at = time_field(in, "last_deployment_at", source),
                                 .last_outcome = text_field(in, "last_outcome"),
                                 .detail = text_field(in, "detail"),
                                 .updated_at = time_field(in, "updated_at", source),
                                 .reenroll = in.value("reenroll", false),
                                 .presented_root_sha256 = text_field(in, "presented_root_sha256"),
                                 .presented_root_subject = text_field(in, "presented_root_subject"),
                                 .pending_request = text_field(in, "pending_request")};
        return record;
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: not an agent state record: {}", source, e.what()));
    }
}

std::optional<CertificateRecord> read_record(const std::string& state_dir, std::string_view name) {
    const std::string path = record_path(state_dir, name);
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        return std::nullopt;
    }
    return parse_record(core::read_file(path), path);
}

void write_record(const std::string& state_dir, const CertificateRecord& record) {
    const std::string path = record_path(state_dir, record.name);
    const std::filesystem::path dir = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (std::filesystem::create_directories(dir, ec)) {
        std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
    }
    if (ec) {
        throw Error(ErrorCode::unavailable, fmt::format("{}: cannot create: {}", dir.string(), ec.message()));
    }
    core::write_file_atomically(path, to_json(record), {.mode = 0644, .overwrite = core::Overwrite::replace});
}

}  // namespace certfleet::agent
