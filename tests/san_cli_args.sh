#!/bin/bash
# cli_args.sh once more, with sockcap built with AddressSanitizer and UBSan:
# every malformed argument it tries.
export SOCKCAP=${SOCKCAP_SAN:?SOCKCAP_SAN names sockcap built with sanitizers}
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
exec bash "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/cli_args.sh"
