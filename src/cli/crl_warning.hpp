#pragma once

#include "authority/crl_health.hpp"
#include "core/clock.hpp"
#include "store/store.hpp"

#include <string>

namespace certfleet::cli {

using authority::CrlHealth;

/// Prints a warning to stderr unless the CRL is fresh; returns the health.
CrlHealth warn_about_crl(store::Store& store, const std::string& authority, core::TimePoint now);

}  // namespace certfleet::cli
