#include "cli/daemon_logging.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace certfleet::cli {

void log_to_stderr(const std::string& level) {
    spdlog::set_default_logger(spdlog::stderr_logger_mt("certfleet"));
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ level=%l %v", spdlog::pattern_time_type::utc);
    spdlog::set_level(spdlog::level::from_str(level));
}

}  // namespace certfleet::cli
