#include "inventory/starttls.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <string>
#include <sys/socket.h>

namespace certfleet::inventory {
namespace {

using core::Error;
using core::ErrorCode;

constexpr std::size_t max_line = 4096;
constexpr int max_lines = 100;

std::string read_line(int fd, std::string_view endpoint) {
    std::string line;
    while (line.size() < max_line) {
        char c = 0;
        const ssize_t n = ::recv(fd, &c, 1, 0);
        if (n <= 0) {
            throw Error(ErrorCode::unavailable,
                        fmt::format("{}: connection closed or timed out during STARTTLS", endpoint));
        }
        if (c == '\n') {
            if (!line.empty() && line.back() == '\r') {
                line.pop_back();
            }
            return line;
        }
        line += c;
    }
    throw Error(ErrorCode::unavailable, fmt::format("{}: STARTTLS reply line too long", endpoint));
}

void send_line(int fd, std::string_view text, std::string_view endpoint) {
    const std::string line = std::string(text) + "\r\n";
    std::size_t sent = 0;
    while (sent < line.size()) {
        const ssize_t n = ::send(fd, line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) {
            throw Error(ErrorCode::unavailable, fmt::format("{}: cannot send during STARTTLS", endpoint));
        }
        sent += static_cast<std::size_t>(n);
    }
}

/// Reads an SMTP/FTP reply (continuation lines are "250-...", the last "250 ...") and checks its code.
void expect_reply(int fd, std::string_view code, std::string_view after, std::string_view endpoint) {
    for (int i = 0; i < max_lines; ++i) {
        const std::string line = read_line(fd, endpoint);
        if (line.size() >= 4 && line[3] == '-') {
            continue;
        }
        if (!line.starts_with(code)) {
            throw Error(ErrorCode::unavailable,
                        fmt::format("{}: server answered \"{}\" after {}", endpoint, line, after));
        }
        return;
    }
    throw Error(ErrorCode::unavailable, fmt::format("{}: reply too long after {}", endpoint, after));
}

/// Reads IMAP lines until the one tagged `tag` and checks it says OK.
void expect_tagged_ok(int fd, std::string_view tag, std::string_view endpoint) {
    for (int i = 0; i < max_lines; ++i) {
        const std::string line = read_line(fd, endpoint);
        if (!line.starts_with(fmt::format("{} ", tag))) {
            continue;
        }
        if (line.substr(tag.size() + 1).starts_with("OK")) {
            return;
        }
        throw Error(ErrorCode::unavailable,
                    fmt::format("{}: server answered \"{}\" to STARTTLS", endpoint, line));
    }
    throw Error(ErrorCode::unavailable, fmt::format("{}: no answer to STARTTLS", endpoint));
}

}  // namespace

StartTls parse_starttls(std::string_view text, std::string_view field) {
    if (text.empty() || text == "none") {
        return StartTls::none;
    }
    if (text == "smtp") {
        return StartTls::smtp;
    }
    if (text == "imap") {
        return StartTls::imap;
    }
    if (text == "ftp") {
        return StartTls::ftp;
    }
    throw Error(ErrorCode::invalid_input,
                fmt::format("{}: \"{}\" is not one of smtp, imap, ftp", field, text));
}

std::string_view to_string(StartTls protocol) {
    switch (protocol) {
        case StartTls::none:
            return "none";
        case StartTls::smtp:
            return "smtp";
        case StartTls::imap:
            return "imap";
        case StartTls::ftp:
            return "ftp";
    }
    return "none";
}

void negotiate_starttls(int fd, StartTls protocol, std::string_view endpoint) {
    switch (protocol) {
        case StartTls::none:
            return;
        case StartTls::smtp:
            expect_reply(fd, "220", "connecting", endpoint);
            send_line(fd, "EHLO certfleet.invalid", endpoint);
            expect_reply(fd, "250", "EHLO", endpoint);
            send_line(fd, "STARTTLS", endpoint);
            expect_reply(fd, "220", "STARTTLS", endpoint);
            return;
        case StartTls::imap:
            if (!read_line(fd, endpoint).starts_with("* OK")) {
                throw Error(ErrorCode::unavailable, fmt::format("{}: not an IMAP greeting", endpoint));
            }
            send_line(fd, "a1 STARTTLS", endpoint);
            expect_tagged_ok(fd, "a1", endpoint);
            return;
        case StartTls::ftp:
            expect_reply(fd, "220", "connecting", endpoint);
            send_line(fd, "AUTH TLS", endpoint);
            expect_reply(fd, "234", "AUTH TLS", endpoint);
            return;
    }
}

}  // namespace certfleet::inventory
