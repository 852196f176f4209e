// The YAML readers, each on every input: authority policy, certificate profiles, the external-CA hosts
// file and scan's keystore passwords. Each must answer bad YAML, wrong node types and out-of-range
// values with core::Error naming the file and field. Password files named in the passwords YAML are
// looked up relative to a directory that does not exist; absolute ones are read as the CLI would.
#include "authority/policy.hpp"
#include "authority/profile.hpp"
#include "external_ca/host_request.hpp"
#include "fuzz/fuzz_target.hpp"
#include "inventory/keystore_passwords.hpp"

using namespace certfleet;

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view yaml = fuzz::as_text(data, size);
    fuzz::expect_only_core_errors([&] {
        const authority::Policy policy = authority::parse_policy(yaml, "policy.yaml");
        static_cast<void>(authority::parse_policy(authority::to_yaml(policy), "policy.yaml: rewritten"));
    });
    fuzz::expect_only_core_errors([&] {
        const authority::ProfileSet profiles = authority::parse_profiles(yaml, "profiles.yaml");
        static_cast<void>(
            authority::parse_profiles(authority::to_yaml(profiles), "profiles.yaml: rewritten"));
    });
    fuzz::expect_only_core_errors(
        [&] { static_cast<void>(external_ca::parse_host_list(yaml, "hosts.yaml")); });
    fuzz::expect_only_core_errors([&] {
        static_cast<void>(
            inventory::KeystorePasswords::from_yaml(yaml, "/nonexistent-certfleet-fuzz/passwords.yaml"));
    });
    return 0;
}
