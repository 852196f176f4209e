#pragma once
// cli/ owns the `certfleet` command line: it parses arguments, calls one library function per
// subcommand and prints the result (text or --json). It holds no PKI logic of its own.
//
// This header holds only the folder's opening comment (STYLE.md section 1); include the header of
// the type you use.
