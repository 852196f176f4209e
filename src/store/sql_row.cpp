#include "core/error.hpp"
#include "store/sql_connection.hpp"

#include <fmt/format.h>

#include <charconv>

namespace certfleet::store {

std::int64_t SqlRow::integer(std::size_t i) const {
    const SqlValue& v = m_values.at(i);
    if (const auto* n = std::get_if<std::int64_t>(&v)) {
        return *n;
    }
    if (const auto* s = std::get_if<std::string>(&v)) {
        std::int64_t out = 0;
        const auto [ptr, ec] = std::from_chars(s->data(), s->data() + s->size(), out);
        if (ec == std::errc{} && ptr == s->data() + s->size()) {
            return out;
        }
    }
    throw core::Error(core::ErrorCode::internal, fmt::format("store: column {} is not an integer", i));
}

std::string SqlRow::text(std::size_t i) const {
    const SqlValue& v = m_values.at(i);
    if (const auto* s = std::get_if<std::string>(&v)) {
        return *s;
    }
    if (const auto* n = std::get_if<std::int64_t>(&v)) {
        return std::to_string(*n);
    }
    if (const auto* b = std::get_if<pki::Bytes>(&v)) {
        return {b->begin(), b->end()};
    }
    return {};
}

pki::Bytes SqlRow::blob(std::size_t i) const {
    const SqlValue& v = m_values.at(i);
    if (const auto* b = std::get_if<pki::Bytes>(&v)) {
        return *b;
    }
    if (const auto* s = std::get_if<std::string>(&v)) {
        return {s->begin(), s->end()};
    }
    return {};
}

}  // namespace certfleet::store
