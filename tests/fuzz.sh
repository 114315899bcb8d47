#!/bin/bash
# A short, fixed run of every fuzzer (libFuzzer with ASan and UBSan): the
# parser and formatter, the capture-file reader, and -r's path from file
# to line, all at once, each for FUZZ_CHECK_SECONDS (make fuzz:
# FUZZ_SECONDS). The file fuzzers start from the golden capture files. A
# crash leaves its input in tests/fuzz-artifacts/ of the build tree and
# fails the test.
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

sc_init

secs=${FUZZ_SECONDS:-${FUZZ_CHECK_SECONDS:-15}}
art=$PWD/tests/fuzz-artifacts
for f in ${FUZZERS:-tests/fuzz_parse tests/fuzz_pcapfile tests/fuzz_read}; do
	[ -x "$f" ] || sc_skip "$f was not built (clang cannot build libFuzzer targets: apt-get install libclang-rt-dev)"
done
mkdir -p "$art" || sc_die "cannot create $art"

# fuzz_one FUZZER: its run, then its verdict
fuzz_one() {
	local f=$1 name=${1##*/} corpus max log
	corpus=$SC_TMP/$name
	mkdir -p "$corpus"
	case $name in
	fuzz_parse) max=512 ;;
	*)
		max=4096
		cp "$srcdir"/tests/golden/*.pcap "$srcdir"/tests/golden/*.pcapng "$corpus"/
		;;
	esac
	log=$SC_TMP/$name.log
	"$f" -max_total_time="$secs" -max_len="$max" -timeout=10 \
		-artifact_prefix="$art/$name-" "$corpus" >"$log" 2>&1
	echo $? >"$SC_TMP/$name.rc"
}

# the fuzzers at once: the time is the slowest one's, not their sum
fuzzers=(${FUZZERS:-tests/fuzz_parse tests/fuzz_pcapfile tests/fuzz_read})
for f in "${fuzzers[@]}"; do
	fuzz_one "$f" &
done
wait
for f in "${fuzzers[@]}"; do
	name=${f##*/} log=$SC_TMP/${f##*/}.log
	if [ "$(cat "$SC_TMP/$name.rc")" != 0 ]; then
		sc_fail "$name: the fuzzer found a failure (input in $art)"
		grep -E -A 12 'ERROR|runtime error|deadly signal' "$log" | head -n 30 >&2
		continue
	fi
	runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log")
	[ -n "$runs" ] && [ "$runs" -gt 0 ] || {
		sc_fail "$name: did not run (see below)"
		tail -n 5 "$log" >&2
		continue
	}
	sc_log "$name: $runs runs in $secs s, corpus $(find "$SC_TMP/$name" -type f | wc -l) inputs"
done

sc_done
