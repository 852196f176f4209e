#pragma once

#include <string_view>

namespace certfleet::inventory {

/// The plain-text protocol spoken before TLS starts on a connection.
enum class StartTls { none, smtp, imap, ftp };

/// Parses "smtp", "imap", "ftp" (or "" / "none"). Throws Error(invalid_input) naming `field` otherwise.
StartTls parse_starttls(std::string_view text, std::string_view field);

/// Returns "none", "smtp", "imap" or "ftp".
std::string_view to_string(StartTls protocol);

/// Speaks `protocol` on the connected socket `fd` until the server agrees to start TLS (SMTP EHLO +
/// STARTTLS, IMAP STARTTLS, FTP AUTH TLS). Reads byte by byte so no TLS byte is consumed. The socket's
/// own timeouts bound every read; replies are bounded in size.
/// Throws Error(unavailable) naming `endpoint` and the server's reply if it refuses or hangs up.
void negotiate_starttls(int fd, StartTls protocol, std::string_view endpoint);

}  // namespace certfleet::inventory
