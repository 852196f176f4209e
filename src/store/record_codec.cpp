#include "store/record_codec.hpp"

namespace certfleet::store {

std::int64_t to_unix_seconds(core::TimePoint at) noexcept {
    return std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count();
}

core::TimePoint from_unix_seconds(std::int64_t seconds) noexcept {
    return core::TimePoint{std::chrono::seconds{seconds}};
}

std::string join_names(const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& name : names) {
        if (!out.empty()) {
            out += '\n';
        }
        out += name;
    }
    return out;
}

std::vector<std::string> split_names(std::string_view column) {
    std::vector<std::string> out;
    while (!column.empty()) {
        const auto end = column.find('\n');
        out.emplace_back(column.substr(0, end));
        if (end == std::string_view::npos) {
            break;
        }
        column.remove_prefix(end + 1);
    }
    return out;
}

}  // namespace certfleet::store
