#pragma once
// A fresh directory per test, removed with everything in it when the test ends.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace certfleet::testing {

class TempDir {
public:
    TempDir() {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        std::string name = std::string("certfleet-") + (info != nullptr ? info->name() : "test") + "-XXXXXX";
        std::replace(name.begin(), name.end(), '/', '_');  // parameterised tests are named "Test/param"
        std::string templ = (std::filesystem::temp_directory_path() / name).string();
        if (::mkdtemp(templ.data()) == nullptr) {
            throw std::runtime_error("mkdtemp failed");
        }
        m_path = templ;
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    TempDir(TempDir&&) = delete;
    TempDir& operator=(TempDir&&) = delete;
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }

    [[nodiscard]] const std::filesystem::path& path() const noexcept { return m_path; }
    /// Returns the path of `name` inside the directory.
    [[nodiscard]] std::string file(std::string_view name) const { return (m_path / name).string(); }
    /// Writes `bytes` to `name` inside the directory and returns its path.
    std::string write(std::string_view name, std::string_view bytes) const {
        const std::string p = file(name);
        std::ofstream(p, std::ios::binary) << bytes;
        return p;
    }
    /// Returns the names of the entries in the directory.
    [[nodiscard]] std::vector<std::string> entries() const {
        std::vector<std::string> out;
        for (const auto& e : std::filesystem::directory_iterator(m_path)) {
            out.push_back(e.path().filename().string());
        }
        return out;
    }

private:
    std::filesystem::path m_path;
};

}  // namespace certfleet::testing
