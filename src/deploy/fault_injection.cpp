#include "deploy/fault_injection.hpp"

#include <csignal>
#include <cstdlib>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace certfleet::deploy {

void fault_point(std::string_view step) {
    if (const char* crash = std::getenv("CERTFLEET_DEPLOY_CRASH_AT");
        crash != nullptr && step == crash) {  // NOLINT
        ::kill(::getpid(), SIGKILL);
    }
    const char* run = std::getenv("CERTFLEET_DEPLOY_RUN_AT");  // NOLINT(concurrency-mt-unsafe)
    if (run == nullptr) {
        return;
    }
    const std::string_view text(run);
    const auto colon = text.find(':');
    if (colon == std::string_view::npos || text.substr(0, colon) != step) {
        return;
    }
    const std::string command(text.substr(colon + 1));
    const pid_t child = ::fork();
    if (child == 0) {
        ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    int status = 0;
    if (child > 0) {
        ::waitpid(child, &status, 0);
    }
}

}  // namespace certfleet::deploy
