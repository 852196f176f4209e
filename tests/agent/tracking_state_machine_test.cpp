#include "agent/tracking_state_machine.hpp"

#include "core/error.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <string>

namespace certfleet::agent {
namespace {

using E = TrackingEvent;
using S = TrackingState;

constexpr std::array all_states{S::needs_key,
                                S::needs_csr,
                                S::submitting,
                                S::pending_at_ca,
                                S::needs_deploy,
                                S::deploying,
                                S::verifying,
                                S::monitoring,
                                S::rejected,
                                S::needs_operator,
                                S::adopted};

constexpr std::array all_events{E::due,
                                E::key_generated,
                                E::csr_created,
                                E::pending,
                                E::issued,
                                E::refused,
                                E::failed,
                                E::deployment_started,
                                E::deployed,
                                E::verified,
                                E::untrusted_server,
                                E::operator_trusted,
                                E::restarted,
                                E::adopted_by_operator};

struct Row {
    S from;
    E event;
    S to;
};

// Every transition the agent makes; any (state, event) not listed here must be refused.
constexpr std::array table{
    // A renewal or an enrollment, step by step.
    Row{S::monitoring, E::due, S::needs_key},
    Row{S::needs_key, E::due, S::needs_key},
    Row{S::needs_key, E::key_generated, S::needs_csr},
    Row{S::needs_csr, E::csr_created, S::submitting},
    Row{S::submitting, E::issued, S::needs_deploy},
    Row{S::needs_deploy, E::deployment_started, S::deploying},
    Row{S::deploying, E::deployed, S::verifying},
    Row{S::verifying, E::verified, S::monitoring},
    // Waiting for an operator's approval at the CA.
    Row{S::submitting, E::pending, S::pending_at_ca},
    Row{S::pending_at_ca, E::pending, S::pending_at_ca},
    Row{S::pending_at_ca, E::issued, S::needs_deploy},
    Row{S::pending_at_ca, E::refused, S::rejected},
    Row{S::pending_at_ca, E::failed, S::pending_at_ca},
    // The server refuses: stop until forced.
    Row{S::submitting, E::refused, S::rejected},
    Row{S::rejected, E::due, S::needs_key},
    // A failed attempt starts over with a new key at the next pass.
    Row{S::needs_key, E::failed, S::needs_key},
    Row{S::needs_csr, E::failed, S::needs_key},
    Row{S::submitting, E::failed, S::needs_key},
    Row{S::needs_deploy, E::failed, S::needs_key},
    Row{S::deploying, E::failed, S::needs_key},
    Row{S::verifying, E::failed, S::needs_key},
    // A CA this node does not trust, and the operator's answer.
    Row{S::needs_key, E::untrusted_server, S::needs_operator},
    Row{S::needs_csr, E::untrusted_server, S::needs_operator},
    Row{S::submitting, E::untrusted_server, S::needs_operator},
    Row{S::pending_at_ca, E::untrusted_server, S::needs_operator},
    Row{S::needs_deploy, E::untrusted_server, S::needs_operator},
    Row{S::deploying, E::untrusted_server, S::needs_operator},
    Row{S::verifying, E::untrusted_server, S::needs_operator},
    Row{S::monitoring, E::untrusted_server, S::needs_operator},
    Row{S::rejected, E::untrusted_server, S::needs_operator},
    Row{S::needs_operator, E::untrusted_server, S::needs_operator},
    Row{S::needs_operator, E::operator_trusted, S::needs_key},
    // A restart: states of an interrupted pass go back to needs_key, stable states stay.
    Row{S::needs_key, E::restarted, S::needs_key},
    Row{S::needs_csr, E::restarted, S::needs_key},
    Row{S::submitting, E::restarted, S::needs_key},
    Row{S::pending_at_ca, E::restarted, S::pending_at_ca},
    Row{S::needs_deploy, E::restarted, S::needs_key},
    Row{S::deploying, E::restarted, S::needs_key},
    Row{S::verifying, E::restarted, S::needs_key},
    Row{S::monitoring, E::restarted, S::monitoring},
    Row{S::rejected, E::restarted, S::rejected},
    Row{S::needs_operator, E::restarted, S::needs_operator},
    Row{S::adopted, E::restarted, S::adopted},
    // `agent adopt`: a package copied by hand replaces any stable state, and is renewed when due.
    Row{S::needs_key, E::adopted_by_operator, S::adopted},
    Row{S::pending_at_ca, E::adopted_by_operator, S::adopted},
    Row{S::monitoring, E::adopted_by_operator, S::adopted},
    Row{S::rejected, E::adopted_by_operator, S::adopted},
    Row{S::needs_operator, E::adopted_by_operator, S::adopted},
    Row{S::adopted, E::adopted_by_operator, S::adopted},
    Row{S::adopted, E::due, S::needs_key},
    Row{S::adopted, E::untrusted_server, S::needs_operator},
};

TEST(TrackingStateMachine, MakesEveryTransitionOfTheTable) {
    for (const Row& row : table) {
        EXPECT_EQ(next(row.from, row.event), row.to)
            << to_string(row.from) << " + " << to_string(row.event) << " should be " << to_string(row.to);
    }
}

TEST(TrackingStateMachine, RefusesEveryTransitionTheTableDoesNotHave) {
    int refused = 0;
    for (const S from : all_states) {
        for (const E event : all_events) {
            const bool listed = std::any_of(
                table.begin(), table.end(), [&](const Row& r) { return r.from == from && r.event == event; });
            if (listed) {
                continue;
            }
            ++refused;
            try {
                static_cast<void>(next(from, event));
                ADD_FAILURE() << to_string(from) << " + " << to_string(event) << " was accepted";
            } catch (const core::Error& e) {
                EXPECT_EQ(e.code(), core::ErrorCode::internal);
                EXPECT_NE(std::string(e.what()).find(std::string(to_string(from))), std::string::npos);
                EXPECT_NE(std::string(e.what()).find(std::string(to_string(event))), std::string::npos);
            }
        }
    }
    EXPECT_GT(refused, 0);
}

TEST(TrackingStateMachine, AMonitoredCertificateIsRenewedInEightSteps) {
    S state = S::monitoring;
    for (const E event : {E::due,
                          E::key_generated,
                          E::csr_created,
                          E::issued,
                          E::deployment_started,
                          E::deployed,
                          E::verified}) {
        state = next(state, event);
    }
    EXPECT_EQ(state, S::monitoring);
}

TEST(TrackingStateMachine, APendingRequestWaitsAcrossPassesThenIsIssuedAndDeployed) {
    S state = S::needs_key;
    for (const E event : {E::key_generated, E::csr_created, E::pending}) {
        state = next(state, event);
    }
    EXPECT_EQ(state, S::pending_at_ca);
    // Later passes: still pending, or the server unreachable, and a restart in between.
    for (const E event : {E::pending, E::failed, E::restarted, E::pending}) {
        state = next(state, event);
        EXPECT_EQ(state, S::pending_at_ca) << to_string(event);
    }
    for (const E event : {E::issued, E::deployment_started, E::deployed, E::verified}) {
        state = next(state, event);
    }
    EXPECT_EQ(state, S::monitoring);
}

TEST(TrackingStateMachine, ADeniedRequestIsRejectedUntilForced) {
    S state = next(next(next(S::needs_key, E::key_generated), E::csr_created), E::pending);
    state = next(state, E::refused);
    EXPECT_EQ(state, S::rejected);
    EXPECT_TRUE(is_stable(state));
    EXPECT_EQ(next(state, E::due), S::needs_key);
}

TEST(TrackingStateMachine, AnAdoptedCertificateIsRenewedLikeAMonitoredOne) {
    const S state = next(S::pending_at_ca, E::adopted_by_operator);
    EXPECT_EQ(state, S::adopted);
    EXPECT_EQ(next(state, E::due), S::needs_key);
    EXPECT_THROW(static_cast<void>(next(S::deploying, E::adopted_by_operator)), core::Error);
}

TEST(TrackingStateMachine, StableStatesAreTheOnesAPassLeaves) {
    for (const S state : all_states) {
        EXPECT_EQ(is_stable(state), next(state, E::restarted) == state) << to_string(state);
    }
}

TEST(TrackingStateMachine, NamesRoundTripAndUnknownNamesAreRefusedByField) {
    for (const S state : all_states) {
        EXPECT_EQ(parse_tracking_state(to_string(state), "state"), state);
    }
    try {
        static_cast<void>(parse_tracking_state("renewing", "node1.json: state"));
        FAIL() << "accepted";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::invalid_input);
        EXPECT_STREQ(e.what(), "node1.json: state: \"renewing\" is not a tracking state");
    }
}

}  // namespace
}  // namespace certfleet::agent
