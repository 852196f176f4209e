#include "enrollment/autosign_executable.hpp"

#include "deploy/hook_runner.hpp"

namespace certfleet::enrollment {

PolicyAnswer ask_policy_executable(const std::string& executable,
                                   std::string_view name,
                                   std::string_view csr_pem,
                                   core::Seconds timeout) {
    const deploy::CommandResult result = deploy::run_command(
        {executable, std::string(name)}, {.timeout = timeout, .standard_input = std::string(csr_pem)});
    return {.approved = result.succeeded(), .detail = result.describe()};
}

}  // namespace certfleet::enrollment
