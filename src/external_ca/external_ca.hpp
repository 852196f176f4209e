#pragma once
// external_ca/ owns the External CA workflow (DESIGN.md vocabulary): a CA we do not hold signs our
// CSRs. We make a key and a CSR per host, hand the customer a summary, then import what they signed,
// check each host's certificate the way seed 000 checks it by hand, and write targets only for hosts
// that pass. It does not sign anything (authority/) nor decide where files go on nodes (agent/).
//
// This header holds only the folder's opening comment (STYLE.md section 1); include the header of
// the type you use.
