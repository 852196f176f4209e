#include "deploy/hook_runner.hpp"

#include "deploy/fault_injection.hpp"

#include <fmt/format.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

// POSIX declares environ in no header; it is the process's own environment, not ours to make const.
// NOLINTNEXTLINE(readability-redundant-declaration,cppcoreguidelines-avoid-non-const-global-variables)
extern char** environ;

namespace certfleet::deploy {
namespace {

constexpr std::size_t kept_output = 4096;

[[noreturn]] void exec_child(const std::vector<std::string>& argv,
                             const std::map<std::string, std::string>& environment,
                             int input_fd,
                             int output_fd) {
    ::setpgid(0, 0);
    ::dup2(input_fd >= 0 ? input_fd : ::open("/dev/null", O_RDONLY), STDIN_FILENO);
    ::dup2(output_fd, STDOUT_FILENO);
    ::dup2(output_fd, STDERR_FILENO);
    for (const auto& [name, value] : environment) {
        ::setenv(name.c_str(), value.c_str(), 1);  // NOLINT(concurrency-mt-unsafe): the child only
    }
    std::vector<char*> args;
    args.reserve(argv.size() + 1);
    for (const std::string& a : argv) {
        args.push_back(const_cast<char*>(a.c_str()));  // NOLINT(cppcoreguidelines-pro-type-const-cast)
    }
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    const std::string reason = fmt::format("cannot run {}: {}\n", argv[0], std::strerror(errno));  // NOLINT
    static_cast<void>(::write(STDERR_FILENO, reason.data(), reason.size()));
    ::_exit(127);
}

// The command's stdin: an anonymous memory file holding `input` (read from its start), so writing it
// never blocks on, nor is killed by (SIGPIPE), a command that does not read it. -1 for /dev/null.
int input_file(const std::string& input) {
    if (input.empty()) {
        return -1;
    }
    const int fd = ::memfd_create("certfleet-stdin", MFD_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    std::size_t written = 0;
    while (written < input.size()) {
        const ssize_t n = ::write(fd, input.data() + written, input.size() - written);
        if (n <= 0) {
            break;
        }
        written += static_cast<std::size_t>(n);
    }
    ::lseek(fd, 0, SEEK_SET);
    return fd;
}

}  // namespace

std::string CommandResult::describe() const {
    std::string last = output;
    while (!last.empty() && (last.back() == '\n' || last.back() == '\r')) {
        last.pop_back();
    }
    if (const auto newline = last.rfind('\n'); newline != std::string::npos) {
        last = last.substr(newline + 1);
    }
    if (timed_out) {
        return "timed out" + (last.empty() ? std::string() : ": " + last);
    }
    if (exit_status < 0) {
        return "killed by a signal" + (last.empty() ? std::string() : ": " + last);
    }
    return fmt::format("exit {}{}", exit_status, last.empty() ? std::string() : ": " + last);
}

CommandResult run_command(const std::vector<std::string>& argv, const CommandOptions& options) {
    CommandResult result;
    std::array<int, 2> pipe_fds{};
    if (argv.empty() || ::pipe2(pipe_fds.data(), O_CLOEXEC) != 0) {
        result.exit_status = 127;
        result.output = "cannot start the command";
        return result;
    }
    const int input_fd = input_file(options.standard_input);
    const pid_t child = ::fork();
    if (child == 0) {
        ::close(pipe_fds[0]);
        exec_child(argv, options.environment, input_fd, pipe_fds[1]);
    }
    ::close(pipe_fds[1]);
    if (input_fd >= 0) {
        ::close(input_fd);
    }
    if (child < 0) {
        ::close(pipe_fds[0]);
        result.exit_status = 127;
        result.output = "fork failed";
        return result;
    }
    fault_point("during_hook");
    const auto deadline = std::chrono::steady_clock::now() + options.timeout;
    std::array<char, 4096> buffer{};
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            result.timed_out = true;
            break;
        }
        pollfd pfd{.fd = pipe_fds[0], .events = POLLIN, .revents = 0};
        const int ready = ::poll(&pfd, 1, static_cast<int>(left.count()));
        if (ready < 0 && errno == EINTR) {
            continue;
        }
        if (ready == 0) {
            result.timed_out = true;
            break;
        }
        const ssize_t n = ::read(pipe_fds[0], buffer.data(), buffer.size());
        if (n <= 0) {
            break;  // every writer closed: the command (and what it started) is done with its output
        }
        result.output.append(buffer.data(), static_cast<std::size_t>(n));
        if (result.output.size() > 2 * kept_output) {
            result.output.erase(0, result.output.size() - kept_output);
        }
    }
    ::close(pipe_fds[0]);
    if (result.timed_out) {
        ::kill(-child, SIGKILL);
    }
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    if (result.output.size() > kept_output) {
        result.output.erase(0, result.output.size() - kept_output);
    }
    result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

}  // namespace certfleet::deploy
