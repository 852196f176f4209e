#include "core/secret.hpp"

#include "core/error.hpp"

#include <fstream>
#include <sstream>

namespace certfleet::core {

Secret::~Secret() {
    // Wipe the whole buffer, not just size(): a moved-from string keeps its old bytes past its new,
    // zero size (libstdc++'s short-string buffer, or the buffer a move assignment swapped in).
    m_value.resize(m_value.capacity());
    // A volatile write loop is what OPENSSL_cleanse does; core/ must not depend on OpenSSL.
    volatile char* p = m_value.data();
    for (std::size_t i = 0; i < m_value.size(); ++i) {
        p[i] = 0;
    }
}

Secret read_secret_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw Error(ErrorCode::invalid_input, path + ": cannot read passphrase file");
    }
    std::string line;
    std::getline(in, line);
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) {
        line.pop_back();
    }
    return Secret(std::move(line));
}

}  // namespace certfleet::core
