#!/bin/bash
# json.sh once more, with sockcap and test_json built with AddressSanitizer
# and UBSan: every golden and hostile file as JSON, every escaping case.
export SOCKCAP=${SOCKCAP_SAN:?SOCKCAP_SAN names sockcap built with sanitizers}
export TEST_JSON=${TEST_JSON:-$PWD/tests/test_json-san}
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
exec bash "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/json.sh"
