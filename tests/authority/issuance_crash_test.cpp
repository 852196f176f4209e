// kill -9 during continuous issuance: every certificate handed out before the kill is in the store, no
// serial appears twice, and the database opens cleanly afterwards. The child reports each certificate on
// a pipe only after Authority::issue returned it, so the parent knows exactly what was "returned to someone".
#include "authority/authority.hpp"
#include "authority/authority_setup.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <random>
#include <set>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace certfleet::authority {
namespace {

const core::Secret passphrase{"crash test passphrase"};

[[noreturn]] void issue_forever(const std::string& url, int report_fd) {
    try {
        auto store = store::open_store(url);
        Authority ca = Authority::open(*store, "crash", passphrase);
        const pki::PrivateKey key = pki::PrivateKey::generate(pki::KeySpec::parse("ec:p256", "test"));
        const pki::Csr csr = pki::Csr::create({.subject = "CN=crash.example.com"}, key);
        const auto work = [&] {
            const core::TimePoint now{std::chrono::seconds{1'780'000'000}};
            for (;;) {
                const auto issued = ca.issue({.csr = &csr, .requester = "test:crash"}, now);
                const std::string line = issued.certificate.serial_hex() + "\n";
                if (write(report_fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
                    _exit(3);
                }
            }
        };
        std::thread other(work);
        work();
    } catch (...) {
        _exit(2);
    }
    _exit(1);
}

std::vector<std::string> read_lines(int fd) {
    std::string all;
    std::array<char, 4096> buffer{};
    for (;;) {
        const ssize_t n = read(fd, buffer.data(), buffer.size());
        if (n <= 0) {
            break;
        }
        all.append(buffer.data(), static_cast<std::size_t>(n));
    }
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (true) {
        const auto end = all.find('\n', start);
        if (end == std::string::npos) {
            break;  // a partial line was cut by the kill: its certificate was not fully reported
        }
        lines.push_back(all.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

TEST(IssuanceCrash, EveryReturnedCertificateSurvivesKillNine) {
    const auto dir = std::filesystem::temp_directory_path() / ("certfleet-crash-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    const std::string url = "sqlite://" + (dir / "certfleet.db").string();
    {
        auto store = store::open_store(url);
        init_authority(*store,
                       {.name = "crash",
                        .subject = "CN=Crash Root",
                        .key = pki::KeySpec::parse("ec:p256", "test"),
                        .validity = std::chrono::hours(24 * 3650),
                        .key_iterations = 1000},
                       passphrase,
                       {.name = "test", .at = core::TimePoint{std::chrono::seconds{1'780'000'000}}});
    }
    std::mt19937 random(std::random_device{}());
    std::size_t total = 0;
    constexpr int rounds = 5;
    for (int round = 0; round < rounds; ++round) {
        std::array<int, 2> fds{};
        ASSERT_EQ(pipe(fds.data()), 0);
        const pid_t child = fork();
        ASSERT_GE(child, 0);
        if (child == 0) {
            close(fds[0]);
            issue_forever(url, fds[1]);
        }
        close(fds[1]);
        // Let it run between 50 and 400 ms, then kill it without warning.
        std::this_thread::sleep_for(std::chrono::milliseconds(50 + random() % 350));
        ASSERT_EQ(kill(child, SIGKILL), 0);
        int status = 0;
        ASSERT_EQ(waitpid(child, &status, 0), child);
        ASSERT_TRUE(WIFSIGNALED(status)) << "the issuing child died by itself, exit " << WEXITSTATUS(status);
        const std::vector<std::string> returned = read_lines(fds[0]);
        close(fds[0]);

        auto store = store::open_store(url);  // must open (and recover the WAL) cleanly
        const auto stored = store->list_certificates({.authority = "crash"});
        std::set<std::string> serials;
        for (const auto& c : stored) {
            serials.insert(c.serial_hex);
        }
        EXPECT_EQ(serials.size(), stored.size()) << "a serial is duplicated";
        for (const auto& serial : returned) {
            EXPECT_TRUE(serials.contains(serial)) << "round " << round << ": certificate " << serial
                                                  << " was returned before the kill but is not in the store";
        }
        EXPECT_GE(stored.size(), total + returned.size());
        total = stored.size();
    }
    EXPECT_GT(total, 0U);
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace certfleet::authority
