#include "formats/yaml_document.hpp"

#include "core/error.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

namespace certfleet::formats {
namespace {

using ::testing::HasSubstr;

std::string invalid_input_message(const std::function<void()>& read) {
    try {
        read();
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::invalid_input);
        return e.what();
    }
    return "accepted";
}

TEST(YamlDocument, TextThatIsNotYamlNamesTheFileAndTheLine) {
    const std::string message = invalid_input_message([] { (void)load_yaml("a: [1,\nb: 2", "spec.yaml"); });
    EXPECT_THAT(message, HasSubstr("spec.yaml: not valid YAML"));
    EXPECT_THAT(message, HasSubstr("line"));
}

TEST(YamlDocument, AnUnknownFieldIsNamedWithTheKnownOnes) {
    const YAML::Node node = load_yaml("name: edge\non_chnage: []\n", "spec.yaml");
    const std::string message = invalid_input_message([&] {
        require_known_fields(node, {"name", "on_change"}, "spec.yaml");
    });
    EXPECT_EQ(message, "spec.yaml: unknown field \"on_chnage\" (known: name, on_change)");
    EXPECT_NO_THROW(require_known_fields(load_yaml("name: edge\n", "spec.yaml"), {"name"}, "spec.yaml"));
}

TEST(YamlDocument, AListWhereAMappingOrAValueBelongsIsRefused) {
    const YAML::Node list = load_yaml("- a\n- b\n", "f.yaml");
    EXPECT_EQ(invalid_input_message([&] { require_known_fields(list, {"a"}, "f.yaml"); }),
              "f.yaml: expected a mapping");
    EXPECT_EQ(invalid_input_message([&] { (void)scalar_text(list, "f.yaml: name"); }),
              "f.yaml: name: expected a single value");
    EXPECT_EQ(scalar_text(load_yaml("edge", "f.yaml"), "name"), "edge");
}

TEST(YamlDocument, PathsAreTakenFromTheDirectoryOfTheFileThatNamesThem) {
    EXPECT_EQ(path_relative_to("/etc/certfleet", "edge.pem"), "/etc/certfleet/edge.pem");
    EXPECT_EQ(path_relative_to("/etc/certfleet", "../ssl/./edge.pem"), "/etc/ssl/edge.pem");
    EXPECT_EQ(path_relative_to("/etc/certfleet", "/srv/edge.pem"), "/srv/edge.pem");
    EXPECT_EQ(path_relative_to("/etc/certfleet", "-"), "-");
    EXPECT_EQ(path_relative_to("/etc/certfleet", ""), "");
}

}  // namespace
}  // namespace certfleet::formats
