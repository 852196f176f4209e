#include "deploy/health_check.hpp"

#include "core/error.hpp"
#include "deploy/hook_runner.hpp"
#include "pki/fingerprint.hpp"
#include "pki/tls_client.hpp"

#include <fmt/format.h>

#include <thread>

namespace certfleet::deploy {
namespace {

HealthCheckResult try_once(const PlannedHealthCheck& check) {
    const HealthCheckSpec& spec = check.spec;
    if (!spec.argv.empty()) {
        const CommandResult result = run_command(spec.argv, {.timeout = spec.timeout});
        return {result.succeeded(), 1, result.succeeded() ? "exit 0" : result.describe()};
    }
    try {
        const pki::ServedChain served = pki::read_served_chain(
            spec.tls,
            {.sni = spec.sni,
             .timeout = std::chrono::duration_cast<std::chrono::milliseconds>(spec.timeout)});
        const pki::Certificate& leaf = served.chain.front();
        if (spec.match == "sha256") {
            const std::string seen = leaf.fingerprint(pki::DigestAlgorithm::sha256);
            return {seen == check.expected_sha256,
                    1,
                    fmt::format("{} serves SHA-256 {}, expected {}", spec.tls, seen, check.expected_sha256)};
        }
        const std::string seen = leaf.serial_hex();
        return {seen == check.expected_serial,
                1,
                fmt::format("{} serves serial {}, expected {}", spec.tls, seen, check.expected_serial)};
    } catch (const core::Error& e) {
        return {false, 1, e.what()};
    }
}

}  // namespace

std::string describe(const HealthCheckSpec& check) {
    if (!check.tls.empty()) {
        return "tls " + check.tls;
    }
    std::string out = "command";
    for (const std::string& arg : check.argv) {
        out += " " + arg;
    }
    return out;
}

HealthCheckResult run_health_check(const PlannedHealthCheck& check) {
    HealthCheckResult result;
    for (unsigned attempt = 0; attempt <= check.spec.retries; ++attempt) {
        if (attempt > 0) {
            // A reloaded service takes a moment to serve the new files; retries are the operator's bound.
            std::this_thread::sleep_for(check.spec.interval);
        }
        const HealthCheckResult once = try_once(check);
        result.passed = once.passed;
        result.detail = once.detail;
        result.attempts = attempt + 1;
        if (result.passed) {
            break;
        }
    }
    return result;
}

}  // namespace certfleet::deploy
