#include "inventory/starttls.hpp"

#include "core/error.hpp"

#include <gtest/gtest.h>

#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace certfleet::inventory {
namespace {

/// A scripted plain-text server on one end of a socketpair: sends its lines, records what it got.
class ScriptedPeer {
public:
    ScriptedPeer() {
        EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, m_fds), 0);
        timeval tv{.tv_sec = 5, .tv_usec = 0};
        ::setsockopt(m_fds[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        ::setsockopt(m_fds[1], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }
    ScriptedPeer(const ScriptedPeer&) = delete;
    ScriptedPeer& operator=(const ScriptedPeer&) = delete;
    ~ScriptedPeer() {
        ::close(m_fds[0]);
        ::close(m_fds[1]);
    }
    int client() const { return m_fds[0]; }
    /// Sends `greeting`, then for each expected command line sends the matching reply.
    std::thread serve(std::string greeting, std::vector<std::string> replies) {
        return std::thread([this, greeting = std::move(greeting), replies = std::move(replies)] {
            send(greeting);
            for (const auto& reply : replies) {
                m_received += read_line() + "\n";
                send(reply);
            }
        });
    }
    const std::string& received() const { return m_received; }

private:
    void send(const std::string& text) { EXPECT_GT(::write(m_fds[1], text.data(), text.size()), 0); }
    std::string read_line() {
        std::string line;
        char c = 0;
        while (::read(m_fds[1], &c, 1) == 1 && c != '\n') {
            line += c;
        }
        return line;
    }
    int m_fds[2] = {-1, -1};
    std::string m_received;
};

TEST(StartTls, SpeaksSmtpUntilTheServerSaysReady) {
    ScriptedPeer peer;
    std::thread server =
        peer.serve("220 mail.example ESMTP\r\n",
                   {"250-mail.example\r\n250-PIPELINING\r\n250 STARTTLS\r\n", "220 go ahead\r\n"});
    negotiate_starttls(peer.client(), StartTls::smtp, "mail:25");
    server.join();
    EXPECT_EQ(peer.received(), "EHLO certfleet.invalid\r\nSTARTTLS\r\n");
}

TEST(StartTls, FailsWithTheServersAnswerWhenSmtpRefuses) {
    ScriptedPeer peer;
    std::thread server = peer.serve("220 hi\r\n", {"250 hi\r\n", "454 TLS not available\r\n"});
    try {
        negotiate_starttls(peer.client(), StartTls::smtp, "mail:25");
        ADD_FAILURE() << "expected an error";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::unavailable);
        EXPECT_NE(std::string(e.what()).find("454 TLS not available"), std::string::npos);
    }
    server.join();
}

TEST(StartTls, SpeaksImapAndFtp) {
    {
        ScriptedPeer peer;
        std::thread server = peer.serve("* OK IMAP ready\r\n", {"* CAPABILITY x\r\na1 OK begin TLS\r\n"});
        negotiate_starttls(peer.client(), StartTls::imap, "imap:143");
        server.join();
        EXPECT_EQ(peer.received(), "a1 STARTTLS\r\n");
    }
    {
        ScriptedPeer peer;
        std::thread server = peer.serve("220 ftp\r\n", {"234 AUTH TLS ok\r\n"});
        negotiate_starttls(peer.client(), StartTls::ftp, "ftp:21");
        server.join();
        EXPECT_EQ(peer.received(), "AUTH TLS\r\n");
    }
}

TEST(StartTls, ParsesProtocolNames) {
    EXPECT_EQ(parse_starttls("", "--starttls"), StartTls::none);
    EXPECT_EQ(parse_starttls("smtp", "--starttls"), StartTls::smtp);
    EXPECT_EQ(parse_starttls("imap", "--starttls"), StartTls::imap);
    EXPECT_EQ(parse_starttls("ftp", "--starttls"), StartTls::ftp);
    EXPECT_THROW(parse_starttls("postgres", "--starttls"), core::Error);
}

}  // namespace
}  // namespace certfleet::inventory
