#pragma once

#include "deploy/deployment_plan.hpp"

#include <string>

namespace certfleet::deploy {

/// How a health check ended.
struct HealthCheckResult {
    bool passed = false;
    unsigned attempts = 0;
    std::string detail;  ///< what was seen ("127.0.0.1:8443 serves serial 0a1b..., expected 0c2d...")
};

/// Returns a one-line name of the check ("tls 127.0.0.1:8443", "command curl -fsS ...").
std::string describe(const HealthCheckSpec& check);

/// Runs `check` up to 1 + retries times, `interval` apart, until it passes: a `tls` check connects
/// (with SNI) and passes when the served leaf has the expected serial (or SHA-256); a `command` check
/// passes when the command exits 0 within its timeout. Never throws for the check's own failure.
HealthCheckResult run_health_check(const PlannedHealthCheck& check);

}  // namespace certfleet::deploy
