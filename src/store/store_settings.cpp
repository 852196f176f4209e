#include "store/store_settings.hpp"

namespace certfleet::store {

std::optional<std::string> find_setting(Transaction& tx, std::string_view key) {
    const SqlResult r = tx.run("SELECT value FROM settings WHERE key = $1", {key});
    if (r.rows.empty()) {
        return std::nullopt;
    }
    return r.rows[0].text(0);
}

void insert_setting(Transaction& tx, std::string_view key, std::string_view value) {
    tx.run("INSERT INTO settings (key, value) VALUES ($1, $2)", {key, value});
}

}  // namespace certfleet::store
