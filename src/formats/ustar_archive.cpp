#include "formats/ustar_archive.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>

namespace certfleet::formats {
namespace {

using core::Error;
using core::ErrorCode;

// POSIX.1-2001, pax "ustar Interchange Format": the header's fields, offset and length.
struct Field {
    std::size_t offset;
    std::size_t length;
    const char* label;
};

constexpr std::size_t block_size = 512;
constexpr Field name_field{0, 100, "name"};
constexpr Field mode_field{100, 8, "mode"};
constexpr Field uid_field{108, 8, "uid"};
constexpr Field gid_field{116, 8, "gid"};
constexpr Field size_field{124, 12, "size"};
constexpr Field mtime_field{136, 12, "mtime"};
constexpr Field checksum_field{148, 8, "chksum"};
constexpr std::size_t typeflag_offset = 156;
constexpr Field magic_field{257, 6, "magic"};
constexpr Field version_field{263, 2, "version"};
constexpr Field prefix_field{345, 155, "prefix"};

using Block = std::array<char, block_size>;

// The name rule both ways: a plain file name, so that no member can land outside the directory it is
// unpacked in, nor be anything but the file the package layout names.
std::string name_problem(std::string_view name) {
    if (name.empty()) {
        return "empty";
    }
    if (name == "." || name == "..") {
        return fmt::format("\"{}\" is not a file name", name);
    }
    if (name.find('/') != std::string_view::npos) {
        return fmt::format(
            "\"{}\" holds a '/' (only plain file names: no directory, no absolute or ../ path)", name);
    }
    if (std::any_of(name.begin(), name.end(), [](char c) {
            return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
        })) {
        return "holds a control character";
    }
    return {};
}

void put_octal(Block& block, const Field& field, std::uint64_t value) {
    // length - 1 digits, zero-padded, then NUL: what GNU tar writes.
    const std::string digits = fmt::format("{:0{}o}", value, field.length - 1);
    std::copy(digits.begin(), digits.end(), block.begin() + static_cast<std::ptrdiff_t>(field.offset));
    block[field.offset + field.length - 1] = '\0';
}

void put_text(Block& block, const Field& field, std::string_view text) {
    std::copy(text.begin(), text.end(), block.begin() + static_cast<std::ptrdiff_t>(field.offset));
}

// The sum of the header's bytes as unsigned, the checksum field counted as eight spaces.
std::uint64_t header_sum(const char* header) {
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < block_size; ++i) {
        const bool in_checksum =
            i >= checksum_field.offset && i < checksum_field.offset + checksum_field.length;
        sum += in_checksum ? static_cast<unsigned char>(' ') : static_cast<unsigned char>(header[i]);
    }
    return sum;
}

std::string_view field_text(const char* header, const Field& field) {
    const std::string_view raw(header + field.offset, field.length);
    return raw.substr(0, std::min(raw.find('\0'), raw.size()));
}

class Reader {
public:
    Reader(std::string_view archive, std::string_view source, const UstarLimits& limits)
        : m_archive(archive), m_source(source), m_limits(limits) {}

    std::vector<ArchiveMember> read() {
        std::vector<ArchiveMember> members;
        std::size_t at = 0;
        for (std::size_t index = 0;; ++index) {
            if (at + block_size > m_archive.size()) {
                throw Error(
                    ErrorCode::invalid_input,
                    fmt::format("{}: truncated: {} bytes, and no end-of-archive blocks after member {}",
                                m_source,
                                m_archive.size(),
                                index));
            }
            const char* header = m_archive.data() + at;
            if (std::all_of(header, header + block_size, [](char c) { return c == '\0'; })) {
                require_zero_tail(at);
                return members;
            }
            if (members.size() == m_limits.max_members) {
                throw Error(ErrorCode::invalid_input,
                            fmt::format("{}: more than {} members", m_source, m_limits.max_members));
            }
            ArchiveMember member = read_header(header, index);
            at += block_size;
            const std::size_t size = m_size;
            if (size > m_archive.size() - at) {
                throw Error(ErrorCode::invalid_input,
                            fmt::format("{}: member {} \"{}\": size: {} bytes, beyond the end of the archive "
                                        "({} bytes left)",
                                        m_source,
                                        index,
                                        member.name,
                                        size,
                                        m_archive.size() - at));
            }
            member.content.assign(m_archive.substr(at, size));
            at += (size + block_size - 1) / block_size * block_size;
            if (std::any_of(members.begin(), members.end(), [&](const ArchiveMember& m) {
                    return m.name == member.name;
                })) {
                throw Error(ErrorCode::invalid_input,
                            fmt::format("{}: member {} \"{}\": name: a second member of that name",
                                        m_source,
                                        index,
                                        member.name));
            }
            members.push_back(std::move(member));
        }
    }

private:
    [[noreturn]] void refuse(std::size_t index,
                             std::string_view name,
                             std::string_view field,
                             std::string_view why) const {
        throw Error(ErrorCode::invalid_input,
                    name.empty()
                        ? fmt::format("{}: member {}: {}: {}", m_source, index, field, why)
                        : fmt::format("{}: member {} \"{}\": {}: {}", m_source, index, name, field, why));
    }

    std::uint64_t octal(const char* header,
                        const Field& field,
                        std::size_t index,
                        std::string_view name) const {
        const std::string_view raw(header + field.offset, field.length);
        if ((static_cast<unsigned char>(raw.front()) & 0x80U) != 0) {
            refuse(index, name, field.label, "a base-256 number (too large for this reader)");
        }
        std::size_t i = 0;
        while (i < raw.size() && raw[i] == ' ') {
            ++i;
        }
        std::uint64_t value = 0;
        std::size_t digits = 0;
        for (; i < raw.size() && raw[i] >= '0' && raw[i] <= '7'; ++i, ++digits) {
            value = value * 8 + static_cast<std::uint64_t>(raw[i] - '0');
        }
        for (; i < raw.size(); ++i) {
            if (raw[i] != '\0' && raw[i] != ' ') {
                refuse(index, name, field.label, "not an octal number");
            }
        }
        if (digits == 0) {
            refuse(index, name, field.label, "not an octal number");
        }
        return value;
    }

    ArchiveMember read_header(const char* header, std::size_t index) {
        const std::string_view magic(header + magic_field.offset, magic_field.length);
        const std::string_view version(header + version_field.offset, version_field.length);
        const bool posix = magic == std::string_view("ustar\0", 6) && version == "00";
        const bool gnu = magic == "ustar " && version == std::string_view(" \0", 2);
        if (!posix && !gnu) {
            refuse(index, "", "magic", "not a ustar header (damaged, or not a tar archive)");
        }
        const std::uint64_t stored = octal(header, checksum_field, index, "");
        if (stored != header_sum(header)) {
            refuse(index,
                   "",
                   "chksum",
                   fmt::format("{:o} stored, {:o} computed: a damaged header", stored, header_sum(header)));
        }
        std::string name(field_text(header, name_field));
        if (posix && !field_text(header, prefix_field).empty()) {
            name = fmt::format("{}/{}", field_text(header, prefix_field), name);
        }
        const char type = header[typeflag_offset];
        if (type != '0' && type != '\0') {
            refuse(index, name, "typeflag", type_problem(type));
        }
        if (const std::string problem = name_problem(name); !problem.empty()) {
            refuse(index, name, "name", problem);
        }
        const std::uint64_t mode = octal(header, mode_field, index, name);
        if (mode > 0777) {
            refuse(index, name, "mode", fmt::format("{:o}: only permission bits (0777) are accepted", mode));
        }
        const std::uint64_t size = octal(header, size_field, index, name);
        if (size > m_limits.max_member_size) {
            refuse(index,
                   name,
                   "size",
                   fmt::format("{} bytes, more than the {} accepted", size, m_limits.max_member_size));
        }
        m_size = static_cast<std::size_t>(size);
        return {.name = std::move(name), .content = {}, .mode = static_cast<mode_t>(mode)};
    }

    static std::string type_problem(char type) {
        switch (type) {
            case '1':
                return "a hard link (only regular files are accepted)";
            case '2':
                return "a symbolic link (only regular files are accepted)";
            case '3':
            case '4':
                return "a device (only regular files are accepted)";
            case '5':
                return "a directory (only regular files are accepted)";
            case '6':
                return "a FIFO (only regular files are accepted)";
            case 'L':
            case 'K':
                return "a GNU long name (names are at most 100 bytes)";
            case 'x':
            case 'g':
                return "a pax extended header (not accepted)";
            default:
                return fmt::format("type '{}' (only regular files are accepted)", type);
        }
    }

    // After the first zero block, the rest (the second zero block and the record's padding) must be zero.
    void require_zero_tail(std::size_t at) const {
        const std::string_view tail = m_archive.substr(at);
        if (!std::all_of(tail.begin(), tail.end(), [](char c) { return c == '\0'; })) {
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}: data after the end-of-archive block (at byte {})", m_source, at));
        }
    }

    std::string_view m_archive;
    std::string_view m_source;
    const UstarLimits& m_limits;
    std::size_t m_size = 0;
};

}  // namespace

std::string write_ustar_archive(const std::vector<ArchiveMember>& members, const UstarWriteOptions& options) {
    std::string out;
    for (std::size_t i = 0; i < members.size(); ++i) {
        const ArchiveMember& member = members[i];
        const std::string at = fmt::format("archive member {} \"{}\"", i, member.name);
        if (const std::string problem = name_problem(member.name); !problem.empty()) {
            throw Error(ErrorCode::invalid_input, fmt::format("{}: name: {}", at, problem));
        }
        if (member.name.size() > name_field.length) {
            throw Error(ErrorCode::invalid_input, fmt::format("{}: name: longer than 100 bytes", at));
        }
        if (member.mode > 0777) {
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}: mode: {:o} is beyond 0777", at, member.mode));
        }
        if (std::any_of(members.begin(),
                        members.begin() + static_cast<std::ptrdiff_t>(i),
                        [&](const ArchiveMember& m) { return m.name == member.name; })) {
            throw Error(ErrorCode::invalid_input, fmt::format("{}: name: listed twice", at));
        }
        Block header{};
        put_text(header, name_field, member.name);
        put_octal(header, mode_field, member.mode);
        put_octal(header, uid_field, 0);
        put_octal(header, gid_field, 0);
        put_octal(header, size_field, member.content.size());
        put_octal(
            header,
            mtime_field,
            static_cast<std::uint64_t>(std::max<std::int64_t>(0, options.mtime.time_since_epoch().count())));
        header[typeflag_offset] = '0';
        put_text(header, magic_field, std::string_view("ustar\0", 6));
        put_text(header, version_field, "00");
        // The checksum: six octal digits, NUL, space (what POSIX readers and GNU tar expect).
        const std::string checksum = fmt::format("{:06o}", header_sum(header.data()));
        put_text(header, checksum_field, checksum);
        header[checksum_field.offset + 6] = '\0';
        header[checksum_field.offset + 7] = ' ';
        out.append(header.data(), header.size());
        out += member.content;
        out.append((block_size - member.content.size() % block_size) % block_size, '\0');
    }
    out.append(2 * block_size, '\0');
    return out;
}

std::vector<ArchiveMember> read_ustar_archive(std::string_view archive,
                                              std::string_view source,
                                              const UstarLimits& limits) {
    return Reader(archive, source, limits).read();
}

}  // namespace certfleet::formats
