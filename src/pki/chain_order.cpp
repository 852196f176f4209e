#include "pki/chain_order.hpp"

#include <fmt/format.h>

namespace certfleet::pki {
namespace {

using core::Error;
using core::ErrorCode;

// Position 0 is the leaf; positions 1.. are issuers[0..].
const Certificate& at(const Certificate& leaf, const std::vector<Certificate>& issuers, std::size_t i) {
    return i == 0 ? leaf : issuers[i - 1];
}

std::string describe(std::size_t position, const Certificate& certificate) {
    return fmt::format("certificate {} ({})", position + 1, certificate.subject());
}

}  // namespace

void require_chain_order(const Certificate& leaf,
                         const std::vector<Certificate>& issuers,
                         std::string_view source) {
    const std::size_t count = issuers.size() + 1;
    for (std::size_t i = 0; i + 1 < count; ++i) {
        const Certificate& child = at(leaf, issuers, i);
        if (child.is_self_signed()) {
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}: out of order: {} is a self-signed root but {} follows it",
                                    source,
                                    describe(i, child),
                                    describe(i + 1, at(leaf, issuers, i + 1))));
        }
        if (child.is_issued_by(at(leaf, issuers, i + 1))) {
            continue;
        }
        for (std::size_t j = 0; j < count; ++j) {
            if (j != i && child.is_issued_by(at(leaf, issuers, j))) {
                throw Error(
                    ErrorCode::invalid_input,
                    fmt::format("{}: out of order: the issuer of {} is certificate {}, but certificate "
                                "{} ({}) follows it",
                                source,
                                describe(i, child),
                                j + 1,
                                i + 2,
                                at(leaf, issuers, i + 1).subject()));
            }
        }
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: gap in the chain: nothing in it issued {}, whose issuer is {}",
                                source,
                                describe(i, child),
                                child.issuer()));
    }
}

std::vector<Certificate> order_chain(std::vector<Certificate> certificates, std::string_view source) {
    if (certificates.empty()) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: no certificates", source));
    }
    // The leaf is the certificate that issued none of the others.
    std::size_t leaf = certificates.size();
    for (std::size_t i = 0; i < certificates.size() && leaf == certificates.size(); ++i) {
        bool issues_another = false;
        for (std::size_t j = 0; j < certificates.size() && !issues_another; ++j) {
            issues_another =
                j != i && !certificates[j].is_self_signed() && certificates[j].is_issued_by(certificates[i]);
        }
        if (!issues_another) {
            leaf = i;
        }
    }
    if (leaf == certificates.size()) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: the certificates form a loop", source));
    }
    std::vector<Certificate> ordered;
    ordered.push_back(std::move(certificates[leaf]));
    certificates.erase(certificates.begin() + static_cast<std::ptrdiff_t>(leaf));
    while (!certificates.empty() && !ordered.back().is_self_signed()) {
        auto next = certificates.end();
        for (auto it = certificates.begin(); it != certificates.end(); ++it) {
            if (ordered.back().is_issued_by(*it)) {
                next = it;
                break;
            }
        }
        if (next == certificates.end()) {
            break;
        }
        ordered.push_back(std::move(*next));
        certificates.erase(next);
    }
    if (!certificates.empty()) {
        const Certificate& last = ordered.back();
        throw Error(
            ErrorCode::invalid_input,
            fmt::format("{}: gap in the chain: nothing in it issued {} (issuer {}), and {} is left over",
                        source,
                        last.subject(),
                        last.issuer(),
                        certificates.front().subject()));
    }
    return ordered;
}

}  // namespace certfleet::pki
