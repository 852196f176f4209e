#include "authority/authority.hpp"
#include "authority/ledger.hpp"
#include "cli/authority_options.hpp"
#include "cli/command.hpp"
#include "cli/crl_warning.hpp"
#include "cli/json_output.hpp"
#include "cli/object_report.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/file.hpp"
#include "pki/object_reader.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

namespace certfleet::cli {
namespace {

struct CrlOptions {
    AuthorityOptions authority;
    std::string out;
    std::string validity = "30d";
    bool der = false;
    bool json = false;
    std::string file;
};

ExitCode run_generate(const CrlOptions& o) {
    const auto store = open_store(o.authority);
    const core::Secret passphrase = read_ca_passphrase(o.authority.passphrase_file, false);
    authority::Authority ca =
        authority::Authority::open(*store,
                                   authority::choose_authority(*store, o.authority.ca),
                                   passphrase,
                                   {.name = cli_actor(), .at = core::SystemClock().now()});
    const core::SystemClock clock;
    const pki::Crl crl = ca.generate_crl(core::parse_duration(o.validity, "--validity"),
                                         {.name = cli_actor(), .at = clock.now()});
    const std::string bytes = o.der ? pki::to_string(crl.der()) : crl.pem();
    if (o.out.empty()) {
        std::cout << bytes;
    } else {
        core::write_file_atomically(o.out, bytes, {.mode = 0644, .overwrite = core::Overwrite::replace});
    }
    std::cerr << fmt::format("CRL #{} of \"{}\": {} revoked, next update {}\n",
                             crl.crl_number().value_or("?"),
                             ca.name(),
                             crl.revoked().size(),
                             pki::format_time(*crl.next_update()));
    return ExitCode::ok;
}

ExitCode run_status(const CrlOptions& o) {
    const auto store = open_store(o.authority);
    const std::string name = authority::choose_authority(*store, o.authority.ca);
    const auto record = store->find_authority(name);
    if (!record) {
        throw core::Error(core::ErrorCode::not_found,
                          fmt::format("--ca: no authority \"{}\" in the store", name));
    }
    const core::SystemClock clock;
    const core::TimePoint now = clock.now();
    const auto crl = store->latest_crl(record->active_issuer().id);
    if (o.json) {
        nlohmann::json out{{"authority", name},
                           {"crl_number", nullptr},
                           {"this_update", nullptr},
                           {"next_update", nullptr},
                           {"health", authority::to_string(authority::Ledger(*store).crl_health(name, now))}};
        if (crl) {
            out["crl_number"] = crl->number;
            out["this_update"] = pki::format_time(crl->this_update);
            out["next_update"] = pki::format_time(crl->next_update);
        }
        std::cout << json_text(out) << '\n';
    } else if (crl) {
        std::cout << fmt::format("authority \"{}\": CRL #{} this update {} next update {} ({})\n",
                                 name,
                                 crl->number,
                                 pki::format_time(crl->this_update),
                                 pki::format_time(crl->next_update),
                                 remaining_text(crl->this_update, crl->next_update, now));
    } else {
        std::cout << fmt::format("authority \"{}\": no CRL generated yet\n", name);
    }
    return warn_about_crl(*store, name, now) == CrlHealth::fresh ? ExitCode::ok : ExitCode::findings;
}

ExitCode run_import(const CrlOptions& o) {
    const auto store = open_store(o.authority);
    const std::string name = authority::choose_authority(*store, o.authority.ca);
    const auto objects = pki::read_objects(core::read_file(o.file), o.file);
    const pki::Crl* crl = nullptr;
    for (const auto& item : objects) {
        if (const auto* c = std::get_if<pki::Crl>(&item.object)) {
            crl = c;
            break;
        }
    }
    if (crl == nullptr) {
        throw core::Error(core::ErrorCode::invalid_input, fmt::format("{}: no CRL found", o.file));
    }
    const core::SystemClock clock;
    authority::Ledger(*store).import_root_crl(name, *crl, {.name = cli_actor(), .at = clock.now()});
    std::cout << fmt::format("imported the root CRL #{} of \"{}\", next update {}\n",
                             crl->crl_number().value_or("?"),
                             name,
                             pki::format_time(*crl->next_update()));
    return ExitCode::ok;
}

}  // namespace

void add_crl_command(CLI::App& app, CommandAction& action) {
    CLI::App* crl = app.add_subcommand("crl", "Generate and watch certificate revocation lists.");
    crl->require_subcommand(1);
    auto o = std::make_shared<CrlOptions>();
    CLI::App* generate = crl->add_subcommand("generate",
                                             "Sign a new CRL with the next CRL number.\n\n"
                                             "Example:\n  certfleet crl generate --ca main --out "
                                             "/var/www/pki/main.crl --der\n\n"
                                             "Exit status: 0 written; 2 invalid input; 3 wrong CA "
                                             "passphrase; 4 no such authority;\n"
                                             "5 store unavailable.");
    add_authority_options(*generate, o->authority, true);
    generate->add_option("--out", o->out, "Output file (default: standard output)");
    generate->add_option("--validity", o->validity, "Time until nextUpdate")->capture_default_str();
    generate->add_flag("--der", o->der, "Write DER instead of PEM");
    generate->callback([&action, o] { action = [o] { return run_generate(*o); }; });
    CLI::App* status = crl->add_subcommand(
        "status",
        "Show the current CRL; exit 1 when it is due (a third of its life left), expired or missing.\n\n"
        "Example:\n  certfleet crl status --ca main --json\n\n"
        "Exit status: 0 fresh; 1 due, expired or missing; 4 no such authority; 5 store unavailable.");
    add_authority_options(*status, o->authority, false);
    status->add_flag(
        "--json", o->json, "Print JSON: authority, crl_number, this_update, next_update, health");
    status->callback([&action, o] { action = [o] { return run_status(*o); }; });
    CLI::App* import = crl->add_subcommand(
        "import",
        "Record a CRL that an offline root signed (ca init --offline-root), so it is served beside the\n"
        "issuing CA's own: clients that check the whole chain need a CRL from every CA.\n\n"
        "Example:\n  certfleet crl import --ca main --file root.crl\n\n"
        "Exit status: 0 imported; 2 not a CRL, not signed by the root, or not newer; 4 no such authority;\n"
        "5 store unavailable.");
    add_authority_options(*import, o->authority, false);
    import->add_option("--file", o->file, "The root's CRL (PEM or DER)")->required();
    import->callback([&action, o] { action = [o] { return run_import(*o);
};
}  // namespace certfleet::cli
);
}

}  // namespace certfleet::cli
