#include "pki/public_suffix_list.hpp"

#include "pki/dns_name.hpp"

#include <fstream>
#include <sstream>

namespace certfleet::pki {
namespace {

constexpr const char* system_list = "/usr/share/publicsuffix/public_suffix_list.dat";

// Returns true if `rules` makes `domain` (lower case) a public suffix: listed as is, or under a
// wildcard rule of its parent without an exception rule for it.
bool lists(const std::unordered_set<std::string>& rules, const std::string& domain) {
    if (rules.contains(domain)) {
        return true;
    }
    const std::size_t dot = domain.find('.');
    return dot != std::string::npos && rules.contains("*" + domain.substr(dot)) &&
           !rules.contains("!" + domain);
}

}  // namespace

PublicSuffixList PublicSuffixList::parse(std::string_view text) {
    PublicSuffixList list;
    bool in_private = false;
    std::istringstream lines{std::string(text)};
    std::string line;
    while (std::getline(lines, line)) {
        if (line.find("===BEGIN PRIVATE DOMAINS===") != std::string::npos) {
            in_private = true;
        }
        const std::size_t end = line.find_first_of(" \t\r");
        line = line.substr(0, end);
        if (line.empty() || line.starts_with("//")) {
            continue;
        }
        (in_private ? list.m_private : list.m_icann).insert(ascii_lower(line));
    }
    return list;
}

const PublicSuffixList& PublicSuffixList::system() {
    static const PublicSuffixList list = [] {
        std::ifstream in(system_list);
        std::ostringstream text;
        text << in.rdbuf();
        return parse(text.str());
    }();
    return list;
}

SuffixSection PublicSuffixList::section_of(std::string_view domain) const {
    const std::string folded = ascii_lower(domain);
    if (lists(m_icann, folded)) {
        return SuffixSection::icann;
    }
    if (lists(m_private, folded)) {
        return SuffixSection::private_domains;
    }
    return SuffixSection::none;
}

}  // namespace certfleet::pki
