#pragma once
// core/ owns what every other folder needs and nothing domain-specific: the one exception type
// (Error/ErrorCode), time (Clock, utc_time: whole seconds, years 0000-9999), secrets (Secret, and
// private_file for a file of several secrets that only its owner may read),
// durations written by people ("30d"), and atomic file writes. It depends on nothing but the standard
// library and fmt.
//
// This header holds only the folder's opening comment (STYLE.md section 1); include the header of
// the type you use.
