#pragma once
// agent/ keeps a node's certificates valid and deployed: it reads the node's configuration (the
// certificates it tracks, each with the deploy spec that writes it), decides when each is due
// (RenewalSchedule), renews it over mTLS with the certificate it has (POST /v1/renew, a key made on the
// node), and deploys the renewal through deploy/'s engine. It links deploy/, api/, formats/, pki/ and
// core/ only: never store/, authority/ or server/, so a node carries no CA code.
//
// This is the renewal pass (`certfleet agent --once`). Enrollment, check-ins, remote actions, the
// persisted per-certificate state machine, the daemon and the separate certfleet-agent executable are
// issue 15's next steps (docs/agent.md).
