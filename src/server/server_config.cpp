#include "server/server_config.hpp"

#include "core/error.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <map>
#include <set>

namespace certfleet::server {
namespace {

using core::Error;
using core::ErrorCode;

// Reads the keys of one YAML mapping, refusing keys it does not know (a typo must not pass silently).
class Section {
public:
    Section(const YAML::Node& node, std::string where) : m_node(node), m_where(std::move(where)) {
        if (node && !node.IsNull() && !node.IsMap()) {
            throw Error(ErrorCode::invalid_input, fmt::format("{}: expected a mapping", m_where));
        }
    }

    [[nodiscard]] YAML::Node get(const std::string& key) {
        m_known.insert(key);
        return m_node ? m_node[key] : YAML::Node();
    }

    void text(const std::string& key, std::string& out) {
        if (const YAML::Node value = get(key); value && !value.IsNull()) {
            if (!value.IsScalar()) {
                throw Error(ErrorCode::invalid_input, fmt::format("{}.{}: expected a string", m_where, key));
            }
            out = value.as<std::string>();
        }
    }

    void flag(const std::string& key, bool& out) {
        std::string value;
        text(key, value);
        if (value == "true") {
            out = true;
        } else if (value == "false") {
            out = false;
        } else if (!value.empty()) {
            throw Error(ErrorCode::invalid_input, fmt::format("{}.{}: expected true or false", m_where, key));
        }
    }

    template <typename Number>
    void number(const std::string& key, Number& out) {
        std::string text;
        this->text(key, text);
        if (text.empty()) {
            return;
        }
        Number value{};
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec != std::errc{} || end != text.data() + text.size() || value <= 0) {
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}.{}: \"{}\" is not a positive number", m_where, key, text));
        }
        out = value;
    }

    void duration(const std::string& key, core::Seconds& out) {
        std::string text;
        this->text(key, text);
        if (!text.empty()) {
            out = core::parse_duration(text, fmt::format("{}.{}", m_where, key));
        }
    }

    void milliseconds(const std::string& key, std::chrono::milliseconds& out) {
        core::Seconds seconds{0};
        duration(key, seconds);
        if (seconds.count() > 0) {
            out = seconds;
        }
    }

    void texts(const std::string& key, std::vector<std::string>& out) {
        const YAML::Node value = get(key);
        if (!value || value.IsNull()) {
            return;
        }
        if (!value.IsSequence()) {
            throw Error(ErrorCode::invalid_input, fmt::format("{}.{}: expected a list", m_where, key));
        }
        out.clear();
        for (const auto& item : value) {
            out.push_back(item.as<std::string>());
        }
    }

    void texts_by_name(const std::string& key, std::map<std::string, std::string>& out) {
        const YAML::Node value = get(key);
        if (!value || value.IsNull()) {
            return;
        }
        if (!value.IsMap()) {
            throw Error(ErrorCode::invalid_input, fmt::format("{}.{}: expected a mapping", m_where, key));
        }
        for (const auto& entry : value) {
            if (!entry.second.IsScalar()) {
                throw Error(
                    ErrorCode::invalid_input,
                    fmt::format("{}.{}.{}: expected a string", m_where, key, entry.first.as<std::string>()));
            }
            out[entry.first.as<std::string>()] = entry.second.as<std::string>();
        }
    }

    [[nodiscard]] std::string where(const std::string& key) const {
        return fmt::format("{}.{}", m_where, key);
    }

    void refuse_unknown() const {
        if (!m_node || !m_node.IsMap()) {
            return;
        }
        for (const auto& entry : m_node) {
            const auto key = entry.first.as<std::string>();
            if (!m_known.contains(key)) {
                throw Error(ErrorCode::invalid_input, fmt::format("{}: unknown key \"{}\"", m_where, key));
            }
        }
    }

private:
    YAML::Node m_node;
    std::string m_where;
    std::set<std::string> m_known;
};

}  // namespace

void parse_listen_address(std::string_view text,
                          std::string_view field,
                          std::string& host,
                          unsigned short& port) {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: \"{}\" is not HOST:PORT", field, text));
    }
    std::string_view name = text.substr(0, colon);
    if (name.starts_with('[') && name.ends_with(']')) {
        name = name.substr(1, name.size() - 2);
    }
    const std::string_view digits = text.substr(colon + 1);
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size() || value > 65535) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: \"{}\" is not a port number", field, digits));
    }
    host = std::string(name);
    port = static_cast<unsigned short>(value);
}

ServerConfig parse_server_config(std::string_view yaml, std::string_view source) {
    ServerConfig config;
    YAML::Node root;
    try {
        root = YAML::Load(std::string(yaml));
    } catch (const YAML::Exception& e) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: malformed YAML: {}", source, e.what()));
    }
    try {
        Section top(root, std::string(source));
        std::string listen;
        top.text("listen", listen);
        if (!listen.empty()) {
            parse_listen_address(listen, top.where("listen"), config.listen_host, config.listen_port);
        }
        top.text("store", config.store);
        top.text("authority", config.authority);
        top.text("passphrase_file", config.passphrase_file);
        top.text("log_level", config.log_level);
        std::string min_agent;
        top.text("min_agent_version", min_agent);
        if (!min_agent.empty()) {
            const auto version = api::parse_version(min_agent);
            if (!version) {
                throw Error(
                    ErrorCode::invalid_input,
                    fmt::format(
                        "{}: \"{}\" is not MAJOR.MINOR.PATCH", top.where("min_agent_version"), min_agent));
            }
            config.limits.min_agent_version = *version;
        }

        Section tls(top.get("tls"), top.where("tls"));
        tls.texts("names", config.tls_names);
        tls.text("directory", config.tls_directory);
        tls.text("profile", config.tls_profile);
        tls.duration("validity", config.tls_validity);
        tls.refuse_unknown();

        Section crl(top.get("crl"), top.where("crl"));
        crl.duration("validity", config.crl_validity);
        crl.refuse_unknown();

        Section limits(top.get("limits"), top.where("limits"));
        ServerLimits& l = config.limits;
        limits.number("max_body_bytes", l.max_body_bytes);
        limits.number("max_header_bytes", l.max_header_bytes);
        limits.milliseconds("handshake_timeout", l.handshake_timeout);
        limits.milliseconds("read_timeout", l.read_timeout);
        limits.milliseconds("write_timeout", l.write_timeout);
        limits.milliseconds("idle_timeout", l.idle_timeout);
        limits.number("max_connections", l.max_connections);
        limits.number("workers", l.workers);
        limits.number("queue_limit", l.queue_limit);
        limits.refuse_unknown();

        Section acme(top.get("acme"), top.where("acme"));
        AcmeConfig& a = config.acme;
        acme.text("external_url", a.external_url);
        acme.duration("order_lifetime", a.order_lifetime);
        acme.duration("authorization_lifetime", a.authorization_lifetime);
        acme.duration("nonce_lifetime", a.nonce_lifetime);
        acme.number("validation_workers", a.validation_workers);
        acme.flag("external_account_required", a.external_account_required);
        acme.text("eab_keys_file", a.eab_keys_file);
        std::map<std::string, std::string> resolve;
        acme.texts_by_name("resolve", resolve);
        a.http01.resolve = acme::parse_resolve_overrides(resolve, acme.where("resolve"));
        Section http01(acme.get("http01"), acme.where("http01"));
        http01.number("port", a.http01.port);
        http01.duration("timeout", a.http01.timeout);
        http01.number("max_body_bytes", a.http01.max_body_bytes);
        http01.refuse_unknown();
        acme.refuse_unknown();
        Section requests(top.get("requests"), top.where("requests"));
        requests.text("profile", config.requests.profile);
        requests.refuse_unknown();
        Section autosign(top.get("autosign"), top.where("autosign"));
        autosign.texts("globs", config.requests.autosign_globs);
        autosign.text("challenge_file", config.requests.autosign_challenge_file);
        autosign.text("policy_executable", config.requests.autosign_policy_executable);
        autosign.duration("policy_timeout", config.requests.autosign_policy_timeout);
        autosign.refuse_unknown();
        Section puppet_ca(top.get("puppet_ca"), top.where("puppet_ca"));
        puppet_ca.flag("allow_subject_alt_names", config.puppet_ca_allow_subject_alt_names);
        puppet_ca.refuse_unknown();
        top.refuse_unknown();
    } catch (const YAML::Exception& e) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: {}", source, e.what()));
    }
    if (!config.acme.external_url.empty()) {
        std::string& url = config.acme.external_url;
        while (url.ends_with('/')) {
            url.pop_back();
        }
        if (!url.starts_with("https://") || url.size() == 8) {
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}.acme.external_url: \"{}\" is not an https:// URL", source, url));
        }
    }
    if (config.acme.external_account_required && config.acme.eab_keys_file.empty()) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}.acme.external_account_required: true needs acme.eab_keys_file (the "
                                "\"KID HMAC_KEY\" lines of the keys handed out)",
                                source));
    }
    if (config.acme.http01.port > 65535) {
        throw Error(
            ErrorCode::invalid_input,
            fmt::format("{}.acme.http01.port: {} is not a port number", source, config.acme.http01.port));
    }
    if (config.log_level != "debug" && config.log_level != "info" && config.log_level != "warn" &&
        config.log_level != "error") {
        throw Error(
            ErrorCode::invalid_input,
            fmt::format("{}.log_level: \"{}\" is not debug, info, warn or error", source, config.log_level));
    }
    return config;
}

}  // namespace certfleet::server
