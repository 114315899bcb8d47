#!/bin/bash
# Regenerate the expected output of tests/read_golden.sh, then check it
# against tcpdump's reading of the same files.
#
#   tests/regen-golden.sh [SOCKCAP]      (default: ./sockcap, else $SOCKCAP)
#
# The generated inputs are made again from their generators first
# (tests/mkhostile.py writes hostile.pcapng, tests/mkdeep.py the
# deep-*.pcap files and tcpdump their .tcpdump lines, tests/mkcbpf.py the
# cbpf-*.pcap files and their .names that test_cbpf reads; editcap converts
# tcpdump-us.pcap into modpcap.pcap); the captured ones are kept as they
# are. Then, for every input that has a FILE.out, FILE.out (-tt -n),
# FILE.ev.out (-tt -n -e -v, where one exists), FILE.err (standard error,
# where one exists) and hostile.pcapng.tttt.out are written anew, in the
# time zone read_golden.sh uses. Last, each FILE.out is held against
# "tcpdump -n -S -tt -r FILE": the same number of packets with the same
# timestamps, line by line (the text itself differs where sockcap(8) says;
# read those diffs with git diff before committing). tcpdump cannot read
# files whose interfaces have several link types: those are named.
set -u
here=$(cd "$(dirname "$0")" && pwd)
G=$here/golden
SOCKCAP=${1:-${SOCKCAP:-./sockcap}}
[ -x "$SOCKCAP" ] || { echo "regen-golden: no sockcap at $SOCKCAP" >&2; exit 1; }
SOCKCAP=$(cd "$(dirname "$SOCKCAP")" && pwd)/$(basename "$SOCKCAP")
export TZ=XST-5:45
rc=0

python3 "$here/mkhostile.py" "$G/hostile.pcapng" || exit 1
python3 "$here/mkhostile.py" --comments "$G/comments.pcapng" || exit 1
python3 "$here/mkdeep.py" "$G" || exit 1
python3 "$here/mkcbpf.py" "$G" || exit 1
if command -v editcap >/dev/null; then
	editcap -F modpcap "$G/tcpdump-us.pcap" "$G/modpcap.pcap" || exit 1
fi

cd "$G" || exit 1
for out in *.out; do
	case $out in deep-*) continue ;; esac
	f=${out%.out}
	case $f in
	*.ev) f=${f%.ev} args="-tt -n -e -v" ;;
	*.tttt) f=${f%.tttt} args="-tttt -e -v" ;;
	*) args="-tt -n" ;;
	esac
	# shellcheck disable=SC2086
	"$SOCKCAP" -r "$f" $args >"$out" 2>"$f.err.new"
	if [ -s "$f.err.new" ] || [ -f "$f.err" ]; then
		[ "$args" = "-tt -n" ] && mv "$f.err.new" "$f.err"
	fi
	rm -f "$f.err.new"
done

# the deeper decoders' files (tests/read_deep.sh): tcpdump's lines, and
# sockcap's in UTC, with and without -v
for f in deep-*.pcap; do
	tcpdump -n -S -tt -r "$f" >"$f.tcpdump" 2>/dev/null
	TZ=UTC "$SOCKCAP" -r "$f" -tt -n >"$f.out"
	TZ=UTC "$SOCKCAP" -r "$f" -tt -n -v >"$f.v.out"
done

for out in *.out; do
	case $out in *.ev.out | *.tttt.out | deep-*) continue ;; esac
	f=${out%.out}
	if ! tcpdump -n -S -tt -r "$f" >"/tmp/regen.$$" 2>/dev/null &&
		! [ -s "/tmp/regen.$$" ]; then
		echo "regen-golden: $f: tcpdump cannot read it; not compared"
		continue
	fi
	a=$(awk '{ print $1 }' "$out" | tr '\n' ' ')
	b=$(awk '/^[0-9]/ { print $1 }' "/tmp/regen.$$" | tr '\n' ' ')
	if [ "$a" != "$b" ]; then
		echo "regen-golden: $f: packets or timestamps differ from tcpdump's" >&2
		rc=1
	else
		echo "regen-golden: $f: $(wc -l <"$out") packets, as tcpdump reads them"
	fi
done
rm -f "/tmp/regen.$$"
exit $rc
