#!/bin/bash
# Choosing packets by their process, in the kernel (--pid, --comm, --uid,
# --cgroup), and the process comments of pcapng files.
#
# Namespaces A and B joined by veth. In B a TCP server (srv-tcp, root, in
# a cgroup of the test's own) and a UDP server (srv-udp, run as nobody);
# clients in A. In B, one capture of everything and one per process
# filter, all of the same traffic: each filtered capture must show exactly
# the lines of the full one that name a matching process, no more, no
# fewer. A pcapng file of the same traffic must name the owners in its
# comments (read back by tshark, checked against the ports each server
# says it owns) and print, with sockcap -r, the full capture's lines; its
# packets must be byte for byte those that the packet ring gives with
# --no-process. The filters refuse to run without attribution, for an
# unknown cgroup, and for a cgroup with more below it (4096) than the
# kernel's set of chosen cgroups holds.
# nine captures at once: minutes in an emulated VM
SC_TIMEOUT=${SC_TIMEOUT:-400}
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

sc_need_root
sc_need_cmd ip iproute2
sc_need_cmd timeout coreutils
sc_need_cmd setpriv util-linux
sc_need_cmd nsenter util-linux
sc_need_cmd tshark tshark
sc_need_cmd tcpdump tcpdump
sc_need_cmd "$SC_PYTHON" python3
sc_need_cmd /usr/bin/python3 python3
sc_init
. "$srcdir/tests/lib_owners.sh"

# A cgroup of our own, for the TCP server; removed at the end, once its
# processes are gone (they are moved back to the root first).
CG2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
[ -n "$CG2" ] || sc_skip "no cgroup v2 hierarchy mounted"
CGNAME=sockcap-test-$$
CG=$CG2/$CGNAME
cg_cleanup() {
	local p
	[ -d "$CG" ] || return 0
	[ -d "$CG/many" ] && rmdir "$CG"/many/c* "$CG/many" 2>/dev/null
	while read -r p; do echo "$p" >"$CG2/cgroup.procs"; done <"$CG/cgroup.procs" 2>/dev/null
	rmdir "$CG" 2>/dev/null
}
trap 'rc=$?; sc_cleanup $rc; cg_cleanup; exit $rc' EXIT
mkdir "$CG" || sc_die "cannot make the cgroup $CG"

# ------------------------------------------------ refusals
# no attribution: the process filters refuse to run, with one line
"$SOCKCAP" -i lo --pid 1 --no-process -c 1 >/dev/null 2>"$SC_TMP/r1.err"
sc_check_eq "--pid with --no-process: exit status" 1 "$?"
grep -q -- '--no-process' "$SC_TMP/r1.err" || sc_fail "--pid with --no-process: $(head -c 200 "$SC_TMP/r1.err")"
# without CAP_PERFMON (and CAP_SYS_ADMIN, which stood in for it)
timeout 30 setpriv --bounding-set=-perfmon,-sys_admin --inh-caps=-all -- \
	"$SOCKCAP" -i lo --comm x -c 1 >/dev/null 2>"$SC_TMP/r2.err"
sc_check_eq "--comm without CAP_PERFMON: exit status" 1 "$?"
grep -q 'CAP_PERFMON' "$SC_TMP/r2.err" && grep -q -- '--comm' "$SC_TMP/r2.err" ||
	sc_fail "--comm without CAP_PERFMON: $(head -c 300 "$SC_TMP/r2.err")"
"$SOCKCAP" -i lo --cgroup /no-such-cgroup-here -c 1 >/dev/null 2>"$SC_TMP/r3.err"
sc_check_eq "--cgroup of no cgroup: exit status" 1 "$?"
grep -q 'no such cgroup' "$SC_TMP/r3.err" || sc_fail "--cgroup of no cgroup: $(head -c 200 "$SC_TMP/r3.err")"
# a cgroup with 4096 below it: one more than the kernel's set holds
mkdir "$CG/many" && mkdir "$CG"/many/c{1..4096} || sc_die "cannot make 4096 cgroups in $CG/many"
"$SOCKCAP" -i lo --cgroup "/$CGNAME/many" -c 1 >/dev/null 2>"$SC_TMP/r4.err"
sc_check_eq "--cgroup of 4097 cgroups: exit status" 1 "$?"
sc_check_eq "--cgroup of 4097 cgroups: the message" "sockcap: --cgroup: more than 4096 cgroups in all" \
	"$(cat "$SC_TMP/r4.err")"
rmdir "$CG"/many/c{1..4096} "$CG/many" || sc_fail "cannot remove the 4096 cgroups"

# ------------------------------------------------ servers, captures
sc_pair_link
# (ip netns exec mounts a /sys of its own, without the cgroups: the server
# joins its cgroup first, then B's network namespace)
sc_start tsrv "" "out:^ready" sh -c "echo \$\$ >'$CG/cgroup.procs' &&
	exec nsenter --net='/run/netns/$B' '$SC_PYTHON' '$OWN' tserve srv-tcp 40100"
# (the system's python: another one may live where nobody cannot read)
sc_start usrv "$B" "out:^ready" setpriv --reuid=65534 --regid=65534 --clear-groups \
	/usr/bin/python3 "$OWN" userve srv-udp 40101
TPID=$(awk '$1 == "own" { print $4; exit }' "$SC_TMP/tsrv.out")
UPID=$(awk '$1 == "own" { print $4; exit }' "$SC_TMP/usrv.out")

# nine captures, started together (each loads its programs: seconds in an
# emulated VM), then waited for
start() { sc_start "$1" "$B" "" "$SOCKCAP" -i vB "${@:2}"; }
start all
start comm --comm srv-tcp
start pid --pid "$UPID"
start uid --uid nobody
start cg --cgroup "/$CGNAME"
start either --comm srv-tcp --comm srv-udp
start none --comm srv-tcp --uid nobody
start file -w "$SC_TMP/f.pcapng"
start ring --no-process -w "$SC_TMP/r.pcapng"
for n in all comm pid uid cg either none file ring; do
	sc_wait_for "$n to listen" "$SC_READY_SECS" sc_grep_q '^sockcap: listening on ' "$SC_TMP/$n.err" ||
		sc_die "$n did not start: $(head -c 300 "$SC_TMP/$n.err")"
done

# ------------------------------------------------ traffic
clients_to_b
owners_stop all

# what each filtered capture must show: the full capture's lines (without
# their time) that name a matching process
strip_time() { sed -E 's/^[0-9:.]+ //' "$1" | sort; }
sc_stats "$SC_TMP/all.err" || sc_die "all: no statistics"
ALL_RECEIVED=$SC_RECEIVED
strip_time "$SC_TMP/all.out" >"$SC_TMP/all.lines"
grep -F " srv-tcp[$TPID] " "$SC_TMP/all.lines" >"$SC_TMP/want.tcp"
grep -F " srv-udp[$UPID] " "$SC_TMP/all.lines" >"$SC_TMP/want.udp"
sort "$SC_TMP/want.tcp" "$SC_TMP/want.udp" >"$SC_TMP/want.both"
[ "$(sc_lines "$SC_TMP/want.tcp")" -ge 10 ] || sc_fail "all: only $(sc_lines "$SC_TMP/want.tcp") lines of srv-tcp"
[ "$(sc_lines "$SC_TMP/want.udp")" -ge 8 ] || sc_fail "all: only $(sc_lines "$SC_TMP/want.udp") lines of srv-udp"

# stop_at NAME WANT: once NAME has shown as many lines as WANT holds (or
# after a while, for one that shows more or fewer), stop it; its lines
# must be those of WANT, and its statistics add up.
stop_at() {
	local n
	n=$(sc_lines "$2")
	sc_wait_for "$1 to show $n lines" 20 sc_has_lines "$n" "$SC_TMP/$1.out" || true
	sleep 0.3 # a line too many would show now
	sc_stop "$1" INT
	sc_check_eq "$1: exit status" 0 "$SC_RC"
	sc_check_stderr "$1" "$SC_TMP/$1.err"
	strip_time "$SC_TMP/$1.out" >"$SC_TMP/$1.lines"
	cmp -s "$2" "$SC_TMP/$1.lines" || {
		sc_fail "$1: not the lines of the chosen processes"
		diff "$2" "$SC_TMP/$1.lines" | head -n 10 | sed 's/^/  | /' >&2
	}
	# the kernel's counters: what the filter took and what it left add
	# up to what the full capture received
	local other
	other=$(sed -n -E 's/^([0-9]+) packets of other processes .*/\1/p' "$SC_TMP/$1.err")
	sc_stats "$SC_TMP/$1.err" &&
		sc_check_eq "$1: received + other processes' = the full capture's received" \
			"$ALL_RECEIVED" "$((SC_RECEIVED + ${other:-0}))"
	[ "${other:-0}" -gt 0 ] || sc_fail "$1: no packets of other processes counted"
}
sc_check_stderr() {
	local extra
	extra=$(grep -v -E -e '^sockcap: listening on [^ ]+, summary mode$' \
		-e '^[0-9]+ packets (captured|received by filter|dropped by kernel|not shown \(count reached\))$' \
		-e '^[0-9]+ packets of other processes \(not chosen by --pid, --uid, --comm, --cgroup\)$' \
		-e "$SC_OWNER_STATS" "$2")
	[ -z "$extra" ] || sc_fail "$1: unexpected lines on stderr: $extra"
}
stop_at comm "$SC_TMP/want.tcp"
stop_at pid "$SC_TMP/want.udp"
stop_at uid "$SC_TMP/want.udp"
stop_at cg "$SC_TMP/want.tcp"
stop_at either "$SC_TMP/want.both"
: >"$SC_TMP/want.none"
stop_at none "$SC_TMP/want.none"

# ------------------------------------------------ the files
for n in file ring; do
	sc_stop "$n" INT
	sc_check_eq "$n: exit status" 0 "$SC_RC"
done
# sockcap -r prints the owners back from the comments: the live lines
"$SOCKCAP" -r "$SC_TMP/f.pcapng" 2>/dev/null >"$SC_TMP/fr.out"
strip_time "$SC_TMP/fr.out" | sed -E 's/^vB //' >"$SC_TMP/fr.lines"
sed -E 's/^vB //' "$SC_TMP/all.lines" >"$SC_TMP/all.noif"
cmp -s "$SC_TMP/all.noif" "$SC_TMP/fr.lines" || {
	sc_fail "sockcap -r of the pcapng file: not the live capture's lines"
	diff "$SC_TMP/all.noif" "$SC_TMP/fr.lines" | head -n 10 | sed 's/^/  | /' >&2
}
# -v: the uid and the cgroup, from the comments too
"$SOCKCAP" -r "$SC_TMP/f.pcapng" -v 2>/dev/null >"$SC_TMP/frv.out"
grep -q -F " srv-tcp[$TPID](uid=0,cgroup=/$CGNAME) " "$SC_TMP/frv.out" ||
	sc_fail "-r -v: srv-tcp without its uid and cgroup: $(grep -m 1 srv-tcp "$SC_TMP/frv.out")"
grep -q -F " srv-udp[$UPID](uid=65534,cgroup=" "$SC_TMP/frv.out" ||
	sc_fail "-r -v: srv-udp without its uid: $(grep -m 1 srv-udp "$SC_TMP/frv.out")"

# tshark's view of the comments, against the ports the servers own
tshark -r "$SC_TMP/f.pcapng" -T fields -e ip.src -e ipv6.src \
	-e tcp.srcport -e tcp.dstport -e udp.srcport -e udp.dstport -e frame.comment \
	>"$SC_TMP/comments" 2>"$SC_TMP/tshark.err" || sc_fail "tshark: $(head -c 200 "$SC_TMP/tshark.err")"
"$SC_PYTHON" - "$SC_TMP/comments" "$TPID" "$UPID" "$CGNAME" >"$SC_TMP/comments.res" <<'EOF' ||
import sys
path, tpid, upid, cg = sys.argv[1:]
want = {"40100": "pid=%s comm=srv-tcp uid=0 cgroup=/%s" % (tpid, cg),
        "40101": "pid=%s comm=srv-udp uid=65534 " % upid}
bad, checked, blank = [], 0, 0
for n, line in enumerate(open(path), 1):
    src4, src6, ts, td, us, ud, note = (line.rstrip("\n").split("\t", 6) + [""] * 7)[:7]
    local = (ts or us) if (src4 == "198.18.0.2" or src6 == "fd00:198:18::2") else (td or ud)
    if not note:
        blank += 1
    if local in want:
        checked += 1
        if not note.startswith("sockcap: " + want[local]):
            bad.append("packet %d (port %s): %r" % (n, local, note))
    elif note:
        bad.append("packet %d (port %s) names %r" % (n, local, note))
print("checked %d blank %d wrong %d" % (checked, blank, len(bad)))
for b in bad[:10]:
    print(b)
sys.exit(1 if bad or checked < 18 else 0)
EOF
	sc_fail "the file's comments: $(head -n 5 "$SC_TMP/comments.res")"
sc_log "comments: $(head -n 1 "$SC_TMP/comments.res")"
# Wireshark's display filter on the comments counts each server's packets
for w in "srv-tcp want.tcp" "srv-udp want.udp"; do
	set -- $w
	n=$(tshark -r "$SC_TMP/f.pcapng" -Y "frame.comment contains \"comm=$1 \"" 2>/dev/null | wc -l)
	sc_check_eq "tshark -Y 'frame.comment contains \"comm=$1 \"'" "$(sc_lines "$SC_TMP/$2")" "$n"
done

# the same packets, byte for byte, as the packet ring gives them
bytes() { tcpdump -r "$1" -n -xx 2>/dev/null | awk '/^[0-9]/ { if (p) print p; p = "" } /^\t/ { p = p $0 } END { if (p) print p }' | sort; }
bytes "$SC_TMP/f.pcapng" >"$SC_TMP/f.bytes"
bytes "$SC_TMP/r.pcapng" >"$SC_TMP/r.bytes"
[ "$(sc_lines "$SC_TMP/f.bytes")" -ge 30 ] || sc_fail "the pcapng file holds only $(sc_lines "$SC_TMP/f.bytes") packets"
cmp -s "$SC_TMP/f.bytes" "$SC_TMP/r.bytes" ||
	sc_fail "the packets with comments differ from the packet ring's ($(sc_lines "$SC_TMP/f.bytes") and $(sc_lines "$SC_TMP/r.bytes") packets)"

sc_stop tsrv TERM
sc_stop usrv TERM
sc_done
