#pragma once

#include "core/clock.hpp"
#include "pki/object_reader.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace certfleet::cli {

/// An object to report, with the locations of the keys/certificates it pairs with.
struct ReportedObject {
    const pki::SourcedObject* object = nullptr;
    std::vector<std::string> matches;  ///< locations of matching keys (for a certificate) or certificates
};

/// Returns the stable JSON form of one object (field names documented in README.md).
nlohmann::json to_json(const ReportedObject& item, core::TimePoint now);

/// Returns the human form of one object: a header line and indented "name: value" lines.
std::string to_text(const ReportedObject& item, core::TimePoint now);

/// Returns "364 days left" / "expired 3 days ago" / "not valid for 2 more days".
std::string remaining_text(core::TimePoint not_before, core::TimePoint not_after, core::TimePoint now);

/// Returns whole days from `now` until `until` (negative when past).
long days_until(core::TimePoint until, core::TimePoint now);

}  // namespace certfleet::cli
