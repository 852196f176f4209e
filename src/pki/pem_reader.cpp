#include "pki/pem_reader.hpp"

#include "core/error.hpp"
#include "pki/openssl_handles.hpp"

#include <fmt/format.h>
#include <openssl/err.h>

#include <algorithm>
#include <array>

namespace certfleet::pki {
namespace {

using core::Error;
using core::ErrorCode;

constexpr std::string_view begin_marker = "-----BEGIN ";
constexpr std::string_view end_marker = "-----END ";
constexpr std::string_view dashes = "-----";

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

bool is_url_encoded(std::string_view text) {
    return text.find("-----BEGIN%20") != std::string_view::npos ||
           text.find("-----BEGIN+") != std::string_view::npos ||
           text.find("%2D%2D%2D%2D%2DBEGIN") != std::string_view::npos;
}

// Python's urllib.quote leaves '+' alone only if it was never a space; quote_plus turns spaces into '+'.
// The BEGIN line tells which one made the text.
std::string url_decode(std::string_view text) {
    const bool plus_is_space = text.find("BEGIN+") != std::string_view::npos;
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '%' && i + 2 < text.size()) {
            const int hi = hex_value(text[i + 1]);
            const int lo = hex_value(text[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out += static_cast<char>(hi * 16 + lo);
                i += 2;
                continue;
            }
        }
        out += (c == '+' && plus_is_space) ? ' ' : c;
    }
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    return s;
}

// Returns the label of a "-----BEGIN X-----" / "-----END X-----" line, or "" if it is not one.
std::string_view marker_label(std::string_view line, std::string_view marker) {
    if (line.substr(0, marker.size()) != marker || line.size() < marker.size() + dashes.size() ||
        line.substr(line.size() - dashes.size()) != dashes) {
        return {};
    }
    return line.substr(marker.size(), line.size() - marker.size() - dashes.size());
}

class LineCursor {
public:
    explicit LineCursor(std::string_view text) : m_text(text) {}
    bool next(std::string_view& line) {
        if (m_pos >= m_text.size()) {
            return false;
        }
        const auto nl = m_text.find('\n', m_pos);
        const auto end = nl == std::string_view::npos ? m_text.size() : nl;
        m_line_start = m_pos;
        line = trim(m_text.substr(m_pos, end - m_pos));
        m_pos = nl == std::string_view::npos ? m_text.size() : nl + 1;
        ++m_number;
        return true;
    }
    [[nodiscard]] std::size_t number() const noexcept { return m_number; }
    [[nodiscard]] std::size_t line_start() const noexcept { return m_line_start; }
    [[nodiscard]] std::size_t position() const noexcept { return m_pos; }

private:
    std::string_view m_text;
    std::size_t m_pos = 0;
    std::size_t m_line_start = 0;
    std::size_t m_number = 0;
};

// A block's base64 body decoded as its lines come (OpenSSL's PEM decoder, fed at most 96 characters at a
// time: they decode to at most 72 bytes).
class Base64Body {
public:
    Base64Body() : m_ctx(EVP_ENCODE_CTX_new()) {
        if (!m_ctx) {
            throw_openssl_error(ErrorCode::internal, "out of memory");
        }
        EVP_DecodeInit(m_ctx.get());
    }

    /// Appends the bytes of one line of base64 to `der`; false when it is not base64.
    bool add(std::string_view line, Bytes& der) {
        std::array<unsigned char, 128> out{};
        while (!line.empty()) {
            const auto chunk = line.substr(0, 96);
            line.remove_prefix(chunk.size());
            int outl = 0;
            if (EVP_DecodeUpdate(m_ctx.get(),
                                 out.data(),
                                 &outl,
                                 reinterpret_cast<const unsigned char*>(chunk.data()),
                                 static_cast<int>(chunk.size())) < 0) {
                ERR_clear_error();
                return false;
            }
            der.insert(der.end(), out.begin(), out.begin() + outl);
        }
        return true;
    }

    /// Appends the last bytes to `der`; false when the body stopped mid-quantum.
    bool finish(Bytes& der) {
        std::array<unsigned char, 128> out{};
        int outl = 0;
        if (EVP_DecodeFinal(m_ctx.get(), out.data(), &outl) < 0) {
            ERR_clear_error();
            return false;
        }
        der.insert(der.end(), out.begin(), out.begin() + outl);
        return true;
    }

private:
    EvpEncodeCtxPtr m_ctx;
};

std::string block_location(std::string_view source, const PemBlock& block, std::size_t line_no) {
    return fmt::format("{}: block {} ({}, line {})", source, block.index, block.label, line_no);
}

// Reads the lines after `block`'s BEGIN line up to its END line into block.der: RFC 1421 headers
// ("Proc-Type: 4,ENCRYPTED") before the body are skipped; an END of another label, a BEGIN before the
// END, bad base64, no END and an empty body are refused naming the block and line.
void read_body(LineCursor& cursor, PemBlock& block, std::string_view source) {
    Base64Body body;
    block.der.reserve(2048);
    bool in_headers = true;
    std::string_view line;
    while (cursor.next(line)) {
        if (line.substr(0, end_marker.size()) == end_marker) {
            const std::string_view end_label = marker_label(line, end_marker);
            if (end_label != block.label) {
                throw Error(ErrorCode::invalid_input,
                            fmt::format(R"({}: END line says "{}" but the block began as "{}" at line {})",
                                        block_location(source, block, cursor.number()),
                                        end_label,
                                        block.label,
                                        block.line));
            }
            if (!body.finish(block.der)) {
                throw Error(
                    ErrorCode::invalid_input,
                    fmt::format("{}: base64 body is incomplete", block_location(source, block, block.line)));
            }
            if (block.der.empty()) {
                throw Error(ErrorCode::invalid_input,
                            fmt::format("{}: empty body", block_location(source, block, block.line)));
            }
            return;
        }
        if (line.substr(0, begin_marker.size()) == begin_marker) {
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}: missing END line before the next BEGIN at line {}",
                                    block_location(source, block, block.line),
                                    cursor.number()));
        }
        if (line.empty() || (in_headers && line.find(':') != std::string_view::npos)) {
            continue;
        }
        in_headers = false;
        if (!body.add(line, block.der)) {
            throw Error(
                ErrorCode::invalid_input,
                fmt::format(
                    "{}: bad base64 at line {}", block_location(source, block, block.line), cursor.number()));
        }
    }
    throw Error(ErrorCode::invalid_input,
                fmt::format("{}: no \"-----END {}-----\" line (truncated?)",
                            block_location(source, block, block.line),
                            block.label));
}

std::vector<PemBlock> read_blocks(std::string_view text, std::string_view source) {
    std::vector<PemBlock> blocks;
    LineCursor cursor(text);
    std::string_view line;
    while (cursor.next(line)) {
        // Tolerate a BEGIN line that does not start the line (e.g. "cert=-----BEGIN ...").
        const auto at = line.find(begin_marker);
        const std::string_view label =
            at == std::string_view::npos ? std::string_view() : marker_label(line.substr(at), begin_marker);
        if (label.empty()) {
            continue;
        }
        PemBlock block;
        block.label = std::string(label);
        block.index = blocks.size() + 1;
        block.line = cursor.number();
        const std::size_t block_start =
            cursor.line_start() + (text.substr(cursor.line_start()).find(begin_marker));
        read_body(cursor, block, source);
        block.text = std::string(text.substr(block_start, cursor.position() - block_start));
        blocks.push_back(std::move(block));
    }
    return blocks;
}

}  // namespace

bool contains_pem(std::string_view text) {
    return text.find(begin_marker) != std::string_view::npos || is_url_encoded(text);
}

std::vector<PemBlock> read_pem_blocks(std::string_view text, std::string_view source) {
    if (is_url_encoded(text)) {
        const std::string decoded = url_decode(text);
        return read_blocks(decoded, source);
    }
    return read_blocks(text, source);
}

std::string write_pem(std::string_view label, const Bytes& der) {
    std::string out = fmt::format("-----BEGIN {}-----\n", label);
    std::array<unsigned char, 65> line{};
    for (std::size_t off = 0; off < der.size(); off += 48) {
        const auto n = std::min<std::size_t>(48, der.size() - off);
        const int len = EVP_EncodeBlock(line.data(), der.data() + off, static_cast<int>(n));
        out.append(reinterpret_cast<const char*>(line.data()), static_cast<std::size_t>(len));
        out += '\n';
    }
    out += fmt::format("-----END {}-----\n", label);
    return out;
}

}  // namespace certfleet::pki
