#pragma once
// Renders what a fuzz target read the way `certfleet inspect` prints it (text and --json), so that
// every accessor a report calls runs on the mutated objects too.

#include "cli/json_output.hpp"
#include "cli/object_report.hpp"
#include "pki/object_reader.hpp"

#include <chrono>
#include <vector>

namespace certfleet::fuzz {

/// Prints every object to nowhere, as inspect's text and JSON would.
inline void render_as_inspect_would(const std::vector<pki::SourcedObject>& objects) {
    const core::TimePoint now{std::chrono::seconds{1'780'000'000}};
    nlohmann::json all = nlohmann::json::array();
    for (const pki::SourcedObject& object : objects) {
        static_cast<void>(cli::to_text({.object = &object}, now));
        all.push_back(cli::to_json({.object = &object}, now));
    }
    static_cast<void>(cli::json_text(all));
}

}  // namespace certfleet::fuzz
