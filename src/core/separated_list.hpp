#pragma once

#include <algorithm>
#include <string_view>
#include <vector>

namespace certfleet::core {

/// Returns the items of a list an operator typed on one line ("server,client", "DNS:a,IP:10.0.0.1"),
/// split at every `separator`, in order, with empty items dropped and nothing else trimmed. The
/// views point into `text`.
inline std::vector<std::string_view> split_list(std::string_view text, char separator = ',') {
    std::vector<std::string_view> items;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto end = std::min(text.find(separator, start), text.size());
        if (end > start) {
            items.push_back(text.substr(start, end - start));
        }
        start = end + 1;
    }
    return items;
}

}  // namespace certfleet::core
