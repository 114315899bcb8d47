#!/bin/bash
# Capture files when things go wrong, on a link that carries only the
# test's own 1400-byte datagrams:
#  - SIGINT / SIGTERM in the middle of a flood: exit status 0, a complete
#    file (pcapng with its statistics block) that capinfos and tshark read
#    without complaint, holding exactly the "packets captured";
#  - SIGKILL in the middle of a flood: the file is readable up to the last
#    complete packet (at most a final partial record); on a quiet link the
#    packets reach the file within moments, without an exit;
#  - a full file system (small tmpfs), pcap and pcapng: exit status 1, one
#    line naming the file and "No space left on device", and a file cut back
#    to its last complete record;
#  - a file size limit (ulimit -f): the same with "File too large";
#  - -w - into a pipe whose reader goes away: status 0, no error line, and
#    what was not written counted as "lost (output closed)";
#  - a read-only file system, a missing directory, a directory the -Z user
#    cannot write: exit status 1 at once, one line naming the file and the
#    reason, nothing created anywhere;
#  - -Z nobody: the process runs as nobody without capabilities, and the
#    files (also the second one of a -C sequence) belong to nobody;
#  - -Z with an unknown user: one line, before anything starts.
# Every mount is undone and every process stopped, also when a check fails.
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

sc_need_root
sc_need_cmd ip iproute2
sc_need_cmd sysctl procps
sc_need_cmd timeout coreutils
sc_need_cmd mount mount
sc_need_cmd capinfos tshark
sc_need_cmd tshark tshark
sc_need_cmd tcpdump tcpdump
sc_need_cmd "$SC_PYTHON" python3
sc_init

# Mounts made here are undone before lib.sh's cleanup removes SC_TMP (lazily:
# a process that still holds one is stopped by that cleanup right after).
MOUNTS=()
ff_cleanup() {
	local m
	for m in "${MOUNTS[@]}"; do
		grep -q -F " $m " /proc/mounts && umount -l "$m"
	done
}
trap 'rc=$?; ff_cleanup; sc_cleanup $rc; exit $rc' EXIT

sc_quiet_link

PAYLOAD=1400
FRAME=$((14 + 20 + 8 + PAYLOAD))
REC=$((16 + FRAME)) # a pcap record of one datagram

# tmpfs_at DIR OPTIONS: a tmpfs mounted on the new directory DIR.
tmpfs_at() {
	mkdir "$1" || sc_die "mkdir $1 failed"
	mount -t tmpfs -o "$2" "sockcap-test" "$1" || sc_die "cannot mount a tmpfs ($2) on $1"
	MOUNTS+=("$1")
}

unmount() {
	umount "$1" || sc_fail "umount $1 failed"
}

# layout FILE: the records of FILE, independently of sockcap's reader
# (tests/layout.py): L_FMT, L_N (packets), L_TAIL (bytes after the last
# complete record), L_BLOCKS (for pcapng, "SHB,IDB(vA),EPB*686,ISB"). A
# record that is inconsistent (not just cut short) is a failed check.
layout() {
	local why=-
	L_FMT='?' L_N=x L_TAIL=x L_BLOCKS=-
	# (a file, not process substitution: the test VM has no /dev/fd)
	"$SC_PYTHON" "$SC_LAYOUT" "$1" >"$SC_TMP/layout.out" || sc_fail "${1##*/}: the record parser failed"
	read -r _ L_FMT L_N _ _ _ _ _ L_TAIL _ _ _ L_BLOCKS why <"$SC_TMP/layout.out"
	[ "$why" = - ] || sc_fail "${1##*/}: $why"
}

# tool_ok WHAT CMD...: CMD succeeds and says nothing on stderr but the
# warnings Wireshark's tools give root; stdout in $SC_TMP/tool.out.
tool_ok() {
	local what=$1
	shift
	if ! "$@" >"$SC_TMP/tool.out" 2>"$SC_TMP/tool.err"; then
		sc_fail "$what: '$*' failed: $(grep -v '^Running as user' "$SC_TMP/tool.err" | head -c 300)"
		return 1
	fi
	if grep -q -v -e '^Running as user "root"' -e '^$' "$SC_TMP/tool.err"; then
		sc_fail "$what: '$*' complained: $(head -c 300 "$SC_TMP/tool.err")"
		return 1
	fi
}

# valid WHAT FILE FORMAT [quick]: a complete file: it ends on a record
# boundary, and capinfos and (unless quick: it takes seconds in an emulated
# VM) tshark read it without complaint and count what the parser counts.
# Sets L_N.
valid() {
	local what=$1 f=$2
	layout "$f"
	sc_check_eq "$what: format" "$3" "$L_FMT"
	sc_check_eq "$what: bytes after the last complete record" 0 "$L_TAIL"
	tool_ok "$what" capinfos -T -r -c -M "$f" &&
		sc_check_eq "$what: capinfos: packets" "$L_N" "$(cut -f 2 "$SC_TMP/tool.out")"
	[ "${4:-}" = quick ] && return 0
	tool_ok "$what" tshark -r "$f" -T fields -e frame.len &&
		sc_check_eq "$what: tshark: packets" "$L_N" "$(sc_lines "$SC_TMP/tool.out")"
}

# stderr_errors FILE: the lines of sockcap's stderr that are neither the
# "listening" line nor statistics.
stderr_errors() {
	grep -v -E -e '^sockcap: listening on vA, link-type EN10MB \(Ethernet\), snapshot length [0-9]+ bytes$' \
		-e '^[0-9]+ packets (captured|received by filter|dropped by kernel|not written \(count reached\)|lost \(writing the file failed\))$' \
		-e "$SC_OWNER_STATS" "$1"
}

# failed_stats WHAT ERRFILE: after a failed write, "packets captured" is
# what the file holds (L_N), and every packet the filter received is
# accounted for: captured, dropped, or lost with the write. The statistics
# come after the line of the error.
failed_stats() {
	local lost
	sc_stats "$2" || return 1
	grep -B 1 -E '^[0-9]+ packets captured$' "$2" | head -n 1 | grep -q -E '^sockcap: .+: .+$' ||
		sc_fail "$1: the statistics do not follow the error line: $(tr '\n' '|' <"$2")"
	sc_check_eq "$1: 'packets captured' vs packets in the file" "$L_N" "$SC_CAPTURED"
	lost=$(sed -n -E 's/^([0-9]+) packets lost \(writing the file failed\)$/\1/p' "$2" | tail -n 1)
	sc_check_eq "$1: captured + dropped + lost == received" \
		"$SC_RECEIVED" "$((SC_CAPTURED + SC_DROPPED + ${lost:-0}))"
}

# bg_flood NAME: datagrams in the background at a bounded pace (about
# 10000 a second, fewer in a slow VM) for at most 20 s, until stopped.
bg_flood() {
	sc_start "$1" "$B" "" "$SC_PYTHON" "$srcdir/tests/paced.py" 198.18.0.99 40000 "$PAYLOAD"
}

size_of() { stat -c %s "$1" 2>/dev/null || echo 0; }
larger_than() { [ "$(size_of "$2")" -gt "$1" ]; }

# run_now WHAT ARGS...: sockcap -i vA ARGS in namespace A, from an empty
# working directory (which must stay empty); stdout, stderr and status in
# NOW_OUT, NOW_ERR, NOW_RC.
run_now() {
	local what=$1 cwd=$SC_TMP/cwd
	shift
	rm -rf "$cwd" && mkdir "$cwd" && chmod 755 "$cwd" || sc_die "cannot make $cwd"
	NOW_OUT=$SC_TMP/now.out NOW_ERR=$SC_TMP/now.err
	(cd "$cwd" && exec ip netns exec "$A" timeout -k 5 60 "$SOCKCAP" -i vA "$@") \
		>"$NOW_OUT" 2>"$NOW_ERR" </dev/null
	NOW_RC=$?
	[ -z "$(ls -A "$cwd")" ] || sc_fail "$what: created in the working directory: $(ls -A "$cwd")"
}

# refused WHAT LINE ARGS...: sockcap stops at once with status 1 and LINE as
# its only output.
refused() {
	local what=$1 line=$2
	shift 2
	run_now "$what" "$@"
	sc_check_eq "$what: exit status" 1 "$NOW_RC"
	[ -s "$NOW_OUT" ] && sc_fail "$what: printed on stdout: $(head -c 200 "$NOW_OUT")"
	sc_check_eq "$what: stderr" "$line" "$(cat "$NOW_ERR")"
}

# --------------------------------------------- SIGINT, SIGTERM mid-flood
for sig in INT TERM; do
	case $sig in
	INT) f=$SC_TMP/int.pcap fmt=pcap ;;
	TERM) f=$SC_TMP/term.pcapng fmt=pcapng ;;
	esac
	sc_sockcap "s$sig" "$A" -i vA -w "$f"
	bg_flood "fl$sig"
	sc_wait_for "a flood to reach the file" 60 larger_than 300000 "$f"
	sc_alive "${SC_CPID[fl$sig]}" || sc_log "NOTE: the flood ended before SIG$sig"
	sc_stop "s$sig" "$sig"
	sc_check_eq "SIG$sig mid-flood: exit status" 0 "$SC_RC"
	sc_stop "fl$sig" TERM
	valid "SIG$sig mid-flood" "$f" "$fmt"
	if sc_stats "$SC_TMP/s$sig.err"; then
		sc_check_eq "SIG$sig mid-flood: packets in the file vs 'packets captured'" "$SC_CAPTURED" "$L_N"
		sc_check_eq "SIG$sig mid-flood: captured + dropped == received" \
			"$SC_RECEIVED" "$((SC_CAPTURED + SC_DROPPED))"
	fi
	extra=$(stderr_errors "$SC_TMP/s$sig.err")
	[ -z "$extra" ] || sc_fail "SIG$sig mid-flood: unexpected stderr: $extra"
	[ "$fmt" = pcapng ] && { [[ $L_BLOCKS =~ ^SHB,IDB\(vA\),EPB\*[0-9]+,ISB$ ]] ||
		sc_fail "SIG$sig mid-flood: blocks $L_BLOCKS, not SHB, IDB(vA), packets, ISB"; }
	sc_log "SIG$sig mid-flood: $L_N packets in the file"
	rm -f "$f"
done

# --------------------------------------------- SIGKILL
# Mid-flood: whole records reach the file, so at most the last one is cut.
f=$SC_TMP/kill.pcap
sc_sockcap kill "$A" -i vA -w "$f"
bg_flood flKILL
sc_wait_for "a flood to reach the file" 60 larger_than 300000 "$f"
sc_signal kill KILL
# (bash would report the killed job on stderr)
sc_wait kill 30 2>/dev/null || sc_fail "SIGKILL: sockcap still there 30 s later"
sc_stop flKILL TERM
layout "$f"
sc_check_eq "SIGKILL mid-flood: format" pcap "$L_FMT"
[ "$L_TAIL" -lt "$REC" ] 2>/dev/null ||
	sc_fail "SIGKILL mid-flood: $L_TAIL bytes after the last complete record (more than one record)"
tcpdump -n -r "$f" >"$SC_TMP/kill.txt" 2>"$SC_TMP/kill.td.err"
n=$(sc_lines "$SC_TMP/kill.txt")
[ "$n" -gt 0 ] || sc_fail "SIGKILL mid-flood: tcpdump -r printed no packet: $(head -c 300 "$SC_TMP/kill.td.err")"
sc_check_eq "SIGKILL mid-flood: packets tcpdump prints" "$L_N" "$n"
if [ "$L_TAIL" = 0 ]; then
	valid "SIGKILL mid-flood" "$f" pcap quick
else
	# a cut final record is all the readers may mention
	capinfos -c "$f" >/dev/null 2>"$SC_TMP/ci.err"
	grep -q -v -e '^Running as user' -e 'cut short in the middle of a packet' -e 'will continue anyway' \
		-e 'An error occurred after reading' -e '^$' "$SC_TMP/ci.err" &&
		sc_fail "SIGKILL mid-flood: capinfos: $(head -c 300 "$SC_TMP/ci.err")"
fi
sc_log "SIGKILL mid-flood: $L_N packets, $L_TAIL bytes of a partial record"

# On a quiet link: the packets are in the file shortly after they arrive,
# without any exit, and the file ends on a record boundary.
f=$SC_TMP/kill2.pcap
sc_sockcap kill2 "$A" -i vA -w "$f"
sc_flood 50 "$PAYLOAD"
sc_wait_for "$SENT packets in the file of a running sockcap" 30 \
	eval '[ "$(size_of "$f")" -eq $((24 + SENT * REC)) ]'
sc_signal kill2 KILL
sc_wait kill2 30 2>/dev/null || sc_fail "SIGKILL: sockcap still there 30 s later"
layout "$f"
sc_check_eq "SIGKILL on a quiet link: packets and bytes after the last record" "$SENT 0" "$L_N $L_TAIL"
if tcpdump -n -r "$f" >"$SC_TMP/kill2.txt" 2>"$SC_TMP/kill2.td.err"; then
	sc_check_eq "SIGKILL on a quiet link: tcpdump: packets" "$SENT" "$(sc_lines "$SC_TMP/kill2.txt")"
else
	sc_fail "SIGKILL on a quiet link: tcpdump -r failed: $(head -c 300 "$SC_TMP/kill2.td.err")"
fi

# --------------------------------------------- full file system
# 256 KiB hold about 180 records: the flood fills it at once.
mnt=$SC_TMP/full
tmpfs_at "$mnt" size=256k
for fmt in pcap pcapng; do
	f=$mnt/full.$fmt
	sc_sockcap "full$fmt" "$A" -i vA -w "$f"
	sc_flood 2000 "$PAYLOAD"
	if sc_wait "full$fmt" 60; then
		sc_check_eq "full disk ($fmt): exit status" 1 "$SC_RC"
	else
		sc_fail "full disk ($fmt): still running 60 s after the disk filled"
		sc_stop "full$fmt" TERM
	fi
	sc_check_eq "full disk ($fmt): error lines" "sockcap: $f: No space left on device" \
		"$(stderr_errors "$SC_TMP/full$fmt.err")"
	valid "full disk ($fmt)" "$f" "$fmt"
	[ "$L_N" -gt 0 ] 2>/dev/null || sc_fail "full disk ($fmt): no packet in the file"
	failed_stats "full disk ($fmt)" "$SC_TMP/full$fmt.err"
	sc_log "full disk ($fmt): $L_N packets, $(size_of "$f") bytes"
	rm -f "$f"
done
unmount "$mnt"

# --------------------------------------------- file size limit
f=$SC_TMP/fsize.pcap
sc_start fsize "$A" "err:^sockcap: listening on " \
	bash -c 'ulimit -f 64 && exec "$0" "$@"' "$SOCKCAP" -i vA -w "$f"
sc_flood 500 "$PAYLOAD"
if sc_wait fsize 60; then
	sc_check_eq "ulimit -f 64: exit status" 1 "$SC_RC"
else
	sc_fail "ulimit -f 64: still running 60 s after the limit was reached"
	sc_stop fsize TERM
fi
sc_check_eq "ulimit -f 64: error lines" "sockcap: $f: File too large" "$(stderr_errors "$SC_TMP/fsize.err")"
valid "ulimit -f 64" "$f" pcap quick
[ "$(size_of "$f")" -le 65536 ] || sc_fail "ulimit -f 64: the file has $(size_of "$f") bytes"
[ "$L_N" -gt 0 ] 2>/dev/null || sc_fail "ulimit -f 64: no packet in the file"
failed_stats "ulimit -f 64" "$SC_TMP/fsize.err"

# --------------------------------------------- a reader that goes away
# -w - into head -c 2000: once head has gone, the write fails with EPIPE,
# which ends the capture as a normal stop (status 0, no error line); what
# was not written is counted as lost because the output closed
sc_start gone "$A" "err:^sockcap: listening on " \
	bash -c 'set -o pipefail; "$0" "$@" | head -c 2000 >/dev/null' "$SOCKCAP" -i vA -w -
sc_flood 500 "$PAYLOAD"
if sc_wait gone 60; then
	sc_check_eq "-w - | head -c 2000: exit status" 0 "$SC_RC"
else
	sc_fail "-w - | head -c 2000: still running 60 s after head went"
	sc_stop gone TERM
fi
sc_check_eq "-w - | head -c 2000: error lines" "" \
	"$(stderr_errors "$SC_TMP/gone.err" | grep -v -E '^[0-9]+ packets lost \(output closed\)$')"
lost=$(sed -n -E 's/^([0-9]+) packets lost \(output closed\)$/\1/p' "$SC_TMP/gone.err")
if sc_stats "$SC_TMP/gone.err"; then
	[ "${lost:-0}" -ge 1 ] || sc_fail "-w - | head -c 2000: no 'packets lost (output closed)' line"
	sc_check_eq "-w - | head -c 2000: captured + dropped + lost == received" \
		"$SC_RECEIVED" "$((SC_CAPTURED + SC_DROPPED + ${lost:-0}))"
fi

# --------------------------------------------- files that cannot be made
mnt=$SC_TMP/ro
tmpfs_at "$mnt" ro,size=64k
refused "read-only file system" "sockcap: $mnt/x.pcap: Read-only file system" -w "$mnt/x.pcap"
[ -z "$(ls -A "$mnt")" ] || sc_fail "read-only file system: something was created: $(ls -A "$mnt")"
unmount "$mnt"

refused "missing directory" "sockcap: $SC_TMP/missing/x.pcap: No such file or directory" \
	-w "$SC_TMP/missing/x.pcap"
[ -e "$SC_TMP/missing" ] && sc_fail "missing directory: $SC_TMP/missing was created"
refused "a directory" "sockcap: $SC_TMP: Is a directory" -w "$SC_TMP"

# --------------------------------------------- -Z
# nobody must reach the directories below SC_TMP
chmod 711 "$SC_TMP" || sc_die "chmod $SC_TMP failed"
nobody_gid=$(id -g nobody) && nobody_group=$(id -g -n nobody) ||
	sc_die "no user nobody"

pub=$SC_TMP/pub
mkdir "$pub" && chmod 1777 "$pub" || sc_die "cannot make $pub"
sc_sockcap znob "$A" -i vA -Z nobody -C 1 -w "$pub/z.pcap"
pid=${SC_CPID[znob]}
v=$(awk '$1 == "Uid:" { print $2, $3, $4, $5 }' "/proc/$pid/status")
sc_check_eq "-Z nobody: Uid (real, effective, saved, fs)" "65534 65534 65534 65534" "$v"
v=$(awk '$1 == "Gid:" { print $2, $3, $4, $5 }' "/proc/$pid/status")
sc_check_eq "-Z nobody: Gid" "$nobody_gid $nobody_gid $nobody_gid $nobody_gid" "$v"
v=$(sed -n -E 's/^Groups:[[:space:]]*(.*)$/\1/p' "/proc/$pid/status")
[[ " $v " == *" 0 "* ]] && sc_fail "-Z nobody: still in group 0 (Groups: $v)"
for c in CapEff CapPrm CapInh CapAmb; do
	v=$(sed -n -E "s/^$c:[[:space:]]+([0-9a-f]+)$/\1/p" "/proc/$pid/status")
	sc_check_eq "-Z nobody: $c" 0000000000000000 "$v"
done
# more than 1,000,000 bytes: the second file is made later, also as nobody
sc_flood 1000 "$PAYLOAD"
sc_stop znob TERM
sc_check_eq "-Z nobody: exit status" 0 "$SC_RC"
for f in z.pcap z.pcap1; do
	sc_check_eq "-Z nobody: owner of $f" "nobody:$nobody_group" "$(stat -c %U:%G "$pub/$f" 2>&1)"
done
extra=$(stderr_errors "$SC_TMP/znob.err")
[ -z "$extra" ] || sc_fail "-Z nobody: unexpected stderr: $extra"
if sc_stats "$SC_TMP/znob.err"; then
	layout "$pub/z.pcap"
	n=$L_N
	layout "$pub/z.pcap1"
	sc_check_eq "-Z nobody: packets in z.pcap and z.pcap1" "$SENT" "$((n + L_N))"
	sc_check_eq "-Z nobody: packets captured" "$SENT" "$SC_CAPTURED"
fi
tool_ok "-Z nobody" capinfos -T -r -c -M "$pub/z.pcap" "$pub/z.pcap1"

# root's own directory is closed to nobody
priv=$SC_TMP/rootonly
mkdir "$priv" && chmod 700 "$priv" || sc_die "cannot make $priv"
refused "-Z nobody, root-only directory" "sockcap: $priv/z.pcap: Permission denied" \
	-Z nobody -w "$priv/z.pcap"
[ -z "$(ls -A "$priv")" ] || sc_fail "-Z nobody, root-only directory: created $(ls -A "$priv")"

# an unknown user: one line, no capture started, no file
nsu=$SC_TMP/nsu
mkdir "$nsu" || sc_die "cannot make $nsu"
run_now "-Z nosuchuser" -Z nosuchuser -w "$nsu/x.pcap"
sc_check_eq "-Z nosuchuser: exit status" 1 "$NOW_RC"
sc_check_eq "-Z nosuchuser: lines on stderr" 1 "$(sc_lines "$NOW_ERR")"
grep -q -E '^sockcap: .*nosuchuser' "$NOW_ERR" ||
	sc_fail "-Z nosuchuser: stderr '$(head -c 200 "$NOW_ERR")' does not name the user"
[ -z "$(ls -A "$nsu")" ] || sc_fail "-Z nosuchuser: created $(ls -A "$nsu")"

sc_done
