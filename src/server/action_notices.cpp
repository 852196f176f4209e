#include "server/action_notices.hpp"

#include "core/error.hpp"
#include "store/node_records.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

namespace certfleet::server {
namespace {

// How long one wait lasts: the longest a stop waits for the thread.
constexpr std::chrono::milliseconds wait_slice{500};
// After the store could not be reached, how long before trying again.
constexpr std::chrono::seconds retry_after{2};

}  // namespace

std::unique_ptr<ActionNotices> ActionNotices::start(const store::Store& store,
                                                    std::string authority,
                                                    Wake wake,
                                                    Missed missed) {
    std::unique_ptr<store::NotificationListener> listener =
        store.listen(std::string(store::node_action_channel));
    if (!listener) {
        return nullptr;
    }
    return std::unique_ptr<ActionNotices>(
        new ActionNotices(std::move(listener), std::move(authority), std::move(wake), std::move(missed)));
}

ActionNotices::ActionNotices(std::unique_ptr<store::NotificationListener> listener,
                             std::string authority,
                             Wake wake,
                             Missed missed)
    : m_listener(std::move(listener)),
      m_authority(std::move(authority)),
      m_wake(std::move(wake)),
      m_missed(std::move(missed)),
      m_thread([this](const std::stop_token& stop) { listen(stop); }) {}

ActionNotices::~ActionNotices() {
    m_thread.request_stop();
    m_stopping.notify_all();
}

void ActionNotices::listen(const std::stop_token& stop) {
    while (!stop.stop_requested()) {
        try {
            const auto notices = m_listener->wait(wait_slice);
            if (!notices) {
                spdlog::info(
                    "node action notices: listening again after a lost connection; reading the "
                    "queued actions");
                m_missed();
                continue;
            }
            std::vector<std::string> nodes;
            for (const std::string& notice : *notices) {
                if (auto node = store::node_of_action_notice(notice, m_authority)) {
                    nodes.push_back(std::move(*node));
                }
            }
            if (!nodes.empty()) {
                m_wake(std::move(nodes));
            }
        } catch (const core::Error& e) {
            spdlog::warn("node action notices: {}; trying again in {} s", e.what(), retry_after.count());
            std::unique_lock lock(m_mutex);
            m_stopping.wait_for(lock, stop, retry_after, [] { return false; });
        }
    }
}

}  // namespace certfleet::server
