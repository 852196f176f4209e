#pragma once

#include <string>
#include <string_view>
#include <unordered_set>

namespace certfleet::pki {

/// Which part of the Public Suffix List names a domain as a public suffix.
enum class SuffixSection {
    none,             ///< not a public suffix
    icann,            ///< a registry's suffix ("com", "co.uk")
    private_domains,  ///< a suffix an organisation offers its users ("s3.amazonaws.com")
};

/// The Public Suffix List (https://publicsuffix.org), as Debian's publicsuffix package installs it.
class PublicSuffixList {
public:
    /// Parses the list's text (rules one a line, "*." wildcards, "!" exceptions, "// ===BEGIN PRIVATE
    /// DOMAINS===" before the private section).
    static PublicSuffixList parse(std::string_view text);
    /// Returns the list at /usr/share/publicsuffix/public_suffix_list.dat, read once; empty when the
    /// file is missing (then no domain is a public suffix).
    static const PublicSuffixList& system();

    /// Returns the section whose rules make `domain` (ASCII, any case) a public suffix, or none.
    [[nodiscard]] SuffixSection section_of(std::string_view domain) const;
    /// Returns true if the list holds no rule.
    [[nodiscard]] bool is_empty() const noexcept { return m_icann.empty() && m_private.empty(); }

private:
    std::unordered_set<std::string> m_icann;  // rules as written ("co.uk", "*.ck", "!www.ck")
    std::unordered_set<std::string> m_private;
};

}  // namespace certfleet::pki
