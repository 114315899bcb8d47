#!/bin/bash
# Capture files and their rotation, on a link that carries nothing but the
# test's own datagrams (1400 bytes of UDP each, so every record has the
# same size and every count is known):
#  - -C 1: FILE, FILE1, FILE2, ...; each file valid alone, each but the last
#    just over 1,000,000 bytes (its last packet crossed the limit), all
#    packets together are the ones captured, in order;
#  - -C 1 -W 3: FILE0..FILE2 only, the oldest overwritten: the three files
#    hold the last three parts of the sequence, with the packet counts and
#    timestamps that follow from that;
#  - pcapng with -C 1: every file has its own section header, interface
#    description (tshark shows the interface name in each) and interface
#    statistics block;
#  - -G 1 -W 3 with a strftime pattern on a link without any packet: exactly
#    three (empty, valid) files, made by the timer, then exit 0 with
#    "maximum file limit reached", within a second of the third period's end;
#  - -G 1 -W 3 with a datagram every 5 ms: every packet is in the file of
#    the second its timestamp falls in (one stamped after a period ended is
#    in the next file), sockcap stops within a second of the end of the
#    third period, and the packets after it are "not written (file limit
#    reached)", never "lost": captured + dropped + not written == received;
#  - -G 1 and -C 1 together: numbered files within each period;
#  - -s 0 writes snap length 262144 into the file header, -s 100 cuts
#    packets to 100 bytes.
# Files are checked by capinfos, by tshark where the content matters, and by
# a small parser of the records, tests/layout.py (record boundaries, sizes,
# order).
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

sc_need_root
sc_need_cmd ip iproute2
sc_need_cmd sysctl procps
sc_need_cmd timeout coreutils
sc_need_cmd capinfos tshark
sc_need_cmd tshark tshark
sc_need_cmd "$SC_PYTHON" python3
sc_init
sc_quiet_link

PAYLOAD=1400
FRAME=$((14 + 20 + 8 + PAYLOAD))
LIMIT=1000000 # -C 1

# ----------------------------------------------------------------- helpers

declare -A L_fmt L_n L_first L_last L_lstart L_lend L_snap L_cap L_len L_blocks
declare -A CI_n

# inspect WHAT FILE...: capinfos must read every file without complaint and
# count what layout.py counts; every file must end on a record boundary.
# Fills CI_n and the L_* arrays with layout.py's fields: format, packets,
# first and last timestamp, where the last record starts and ends, snap
# length, captured and wire length of the last packet, pcapng blocks.
# (capinfos and the parser run once for all files: each start costs seconds
# in an emulated VM.)
inspect() {
	local what=$1 f fmt n first last ls le tail snap cap len blocks why
	shift
	if ! capinfos -T -r -c -M "$@" >"$SC_TMP/ci.out" 2>"$SC_TMP/ci.err"; then
		sc_fail "$what: capinfos failed: $(grep -v '^Running as user' "$SC_TMP/ci.err" | head -c 400)"
	elif grep -q -v -e '^Running as user "root"' -e '^$' "$SC_TMP/ci.err"; then
		sc_fail "$what: capinfos complained: $(grep -v '^Running as user' "$SC_TMP/ci.err" | head -c 400)"
	fi
	while IFS=$'\t' read -r f n; do
		CI_n[$f]=$n
	done <"$SC_TMP/ci.out"
	"$SC_PYTHON" "$SC_LAYOUT" "$@" >"$SC_TMP/layout.out" ||
		sc_die "$what: the record parser failed"
	while read -r f fmt n first last ls le _ tail snap cap len blocks why; do
		L_fmt[$f]=$fmt L_n[$f]=$n L_first[$f]=$first L_last[$f]=$last L_lstart[$f]=$ls
		L_lend[$f]=$le L_snap[$f]=$snap L_cap[$f]=$cap
		L_len[$f]=$len L_blocks[$f]=$blocks
		[ "$why" = - ] || sc_fail "$what: ${f##*/}: $why"
		[ "$tail" = 0 ] || sc_fail "$what: ${f##*/}: $tail bytes after the last complete record"
		sc_check_eq "$what: ${f##*/}: packets, capinfos vs the records" "$n" "${CI_n[$f]:-none}"
	done <"$SC_TMP/layout.out"
}

# tshark_names WHAT FILE: tshark reads FILE without complaint and names the
# interface of every packet vA; the number of packets goes to TS_N.
tshark_names() {
	TS_N=x
	if ! tshark -r "$2" -T fields -e frame.interface_name >"$SC_TMP/ts.out" 2>"$SC_TMP/ts.err"; then
		sc_fail "$1: tshark -r ${2##*/} failed: $(head -c 300 "$SC_TMP/ts.err")"
		return 1
	fi
	if grep -q -v -e '^Running as user "root"' -e '^$' "$SC_TMP/ts.err"; then
		sc_fail "$1: tshark -r ${2##*/} complained: $(head -c 300 "$SC_TMP/ts.err")"
	fi
	TS_N=$(sc_lines "$SC_TMP/ts.out")
	[ "${3:-}" = names ] || return 0
	local other
	other=$(grep -c -v -x vA "$SC_TMP/ts.out")
	[ "$other" -eq 0 ] || sc_fail "$1: tshark: $other packets in ${2##*/} without interface name vA"
}

# list_dir DIR: the names of the files in DIR in the array GOT, numbered
# names in numeric order (rot.pcap, rot.pcap1, ..., rot.pcap10). (No process
# substitution: the test VM has no /dev/fd.)
list_dir() {
	(cd "$1" && LC_ALL=C ls -1 | sort -V) >"$SC_TMP/ls.out"
	mapfile -t GOT <"$SC_TMP/ls.out"
}

# stopped NAME WHAT SENT: NAME was stopped; exit status 0 and the
# statistics say every datagram was written.
stopped() {
	sc_check_eq "$2: exit status" 0 "$SC_RC"
	sc_stats "$SC_TMP/$1.err" || return 1
	sc_check_eq "$2: packets received by filter" "$3" "$SC_RECEIVED"
	sc_check_eq "$2: packets dropped by kernel" 0 "$SC_DROPPED"
	sc_check_eq "$2: packets captured" "$3" "$SC_CAPTURED"
}

# records_per_file HEADER RECORD: packets in a full -C 1 file, the first
# record after which the file is larger than the limit.
records_per_file() { echo $(((LIMIT - $1) / $2 + 1)); }

# check_sequence WHAT FORMAT_RE DIR NAME...: NAME... are the files of one
# rotation sequence in order: each valid, of FORMAT, ending where the limit
# was crossed (all but the last above it, no record started above it),
# timestamps in order. Sets SEQ_PACKETS.
check_sequence() {
	local what=$1 fre=$2 dir=$3 f prev="" last
	shift 3
	if [ $# -eq 0 ]; then
		sc_fail "$what: no files"
		return 1
	fi
	local paths=()
	for f; do paths+=("$dir/$f"); done
	inspect "$what" "${paths[@]}"
	SEQ_PACKETS=0
	last=${paths[${#paths[@]} - 1]}
	for f in "${paths[@]}"; do
		if [ -z "${L_n[$f]+set}" ]; then
			sc_fail "$what: ${f##*/} is missing"
			continue
		fi
		[[ ${L_fmt[$f]} =~ ^($fre)$ ]] || sc_fail "$what: ${f##*/} is ${L_fmt[$f]}, not $fre"
		SEQ_PACKETS=$((SEQ_PACKETS + L_n[$f]))
		[ "${L_n[$f]}" -ge 1 ] || sc_fail "$what: ${f##*/} has no packet"
		[ "${L_lstart[$f]}" -le $LIMIT ] ||
			sc_fail "$what: ${f##*/}: a record starts at ${L_lstart[$f]}, beyond $LIMIT bytes (rotated too late)"
		if [ "$f" != "$last" ] && [ "${L_lend[$f]}" -le $LIMIT ]; then
			sc_fail "$what: ${f##*/} ends at ${L_lend[$f]} bytes, not above $LIMIT (rotated too early)"
		fi
		if [ -n "$prev" ] && [ "${L_first[$f]}" -lt "${L_last[$prev]}" ]; then
			sc_fail "$what: ${f##*/} starts before ${prev##*/} ends"
		fi
		prev=$f
	done
}

# The floods below come faster than a busy machine may write files: a
# packet ring of 16 MiB (-B) holds all of one (-w's default of 2 MiB, as
# libpcap's, may not), so that every packet reaches the files under test.
RING=(-B 16384)

# ------------------------------------------------------------ -C 1
d=$SC_TMP/c1
mkdir "$d"
sc_sockcap c1 "$A" -i vA "${RING[@]}" -C 1 -w "$d/rot.pcap"
sc_flood 3000 "$PAYLOAD"
sc_stop c1 TERM
stopped c1 "-C 1" "$SENT"
list_dir "$d"
rec=$((16 + FRAME))
k=$(records_per_file 24 $rec)
nfiles=$(((SENT + k - 1) / k))
want=(rot.pcap)
for ((i = 1; i < nfiles; i++)); do want+=("rot.pcap$i"); done
sc_check_eq "-C 1: files for $SENT packets of $rec bytes ($k a file)" "${want[*]}" "${GOT[*]}"
check_sequence "-C 1" pcap "$d" "${want[@]}"
sc_check_eq "-C 1: packets in all files" "$SENT" "$SEQ_PACKETS"
for f in "${want[@]}"; do
	[ -n "${L_n[$d/$f]+set}" ] || continue
	sc_check_eq "-C 1: ${f}: snap length" 262144 "${L_snap[$d/$f]}"
	sc_check_eq "-C 1: ${f}: last packet, captured and wire length" "$FRAME $FRAME" \
		"${L_cap[$d/$f]} ${L_len[$d/$f]}"
done
# tshark on the first and the last file (each run costs seconds in a VM)
for f in "${want[0]}" "${want[${#want[@]} - 1]}"; do
	tshark_names "-C 1" "$d/$f" && sc_check_eq "-C 1: tshark: packets in $f" "${L_n[$d/$f]:-none}" "$TS_N"
done
sc_log "-C 1: $SENT packets in ${#GOT[@]} files"

# ------------------------------------------------------------ -C 1 -W 3
# The sequence is 0, 1, 2, 0, 1, 2, ...: with F parts of k packets (the
# last one shorter) the three files are parts F-3, F-2 and F-1.
d=$SC_TMP/w3
mkdir "$d"
sc_sockcap w3 "$A" -i vA "${RING[@]}" -C 1 -W 3 -w "$d/rot.pcap"
sc_flood 4000 "$PAYLOAD"
sc_stop w3 TERM
stopped w3 "-C 1 -W 3" "$SENT"
list_dir "$d"
sc_check_eq "-C 1 -W 3: files" "rot.pcap0 rot.pcap1 rot.pcap2" "${GOT[*]}"
parts=$(((SENT + k - 1) / k))
if [ "$parts" -lt 4 ]; then
	sc_fail "-C 1 -W 3: only $SENT datagrams left the sender, too few to wrap around"
elif [ "${#GOT[@]}" -eq 3 ]; then
	order=()
	for ((p = parts - 3; p < parts; p++)); do order+=("rot.pcap$((p % 3))"); done
	check_sequence "-C 1 -W 3 (oldest first)" pcap "$d" "${order[@]}"
	sc_check_eq "-C 1 -W 3: packets in ${order[*]}" \
		"$k $k $((SENT - (parts - 1) * k))" \
		"${L_n[$d/${order[0]}]:-none} ${L_n[$d/${order[1]}]:-none} ${L_n[$d/${order[2]}]:-none}"
	sc_log "-C 1 -W 3: $SENT packets in $parts parts; kept ${order[*]}"
fi

# ------------------------------------------------------------ pcapng -C 1
d=$SC_TMP/ng
mkdir "$d"
sc_sockcap ng "$A" -i vA "${RING[@]}" -C 1 -w "$d/rot.pcapng"
sc_flood 1500 "$PAYLOAD"
sc_stop ng TERM
stopped ng "pcapng -C 1" "$SENT"
list_dir "$d"
check_sequence "pcapng -C 1" pcapng "$d" "${GOT[@]}"
# enhanced packet block: 28 bytes, data padded to 4, epb_flags 12, length 4;
# the header is what comes before the first file's first packet
rec=$((28 + (FRAME + 3) / 4 * 4 + 12 + 4))
hdr=$((${L_lend[$d/rot.pcapng]:-0} - ${L_n[$d/rot.pcapng]:-0} * rec))
k=$(records_per_file "$hdr" "$rec")
nfiles=$(((SENT + k - 1) / k))
want=(rot.pcapng)
for ((i = 1; i < nfiles; i++)); do want+=("rot.pcapng$i"); done
sc_check_eq "pcapng -C 1: files for $SENT packets ($k a file)" "${want[*]}" "${GOT[*]}"
sc_check_eq "pcapng -C 1: packets in all files" "$SENT" "$SEQ_PACKETS"
for f in "${GOT[@]}"; do
	[[ ${L_blocks[$d/$f]} =~ ^SHB,IDB\(vA\),EPB(\*[0-9]+)?,ISB$ ]] ||
		sc_fail "pcapng -C 1: $f: blocks ${L_blocks[$d/$f]}, not SHB, IDB(vA), packets, ISB"
	tshark_names "pcapng -C 1" "$d/$f" names &&
		sc_check_eq "pcapng -C 1: tshark: packets in $f" "${L_n[$d/$f]}" "$TS_N"
done

# ------------------------------------------------------------ -G 1 -W 3
# Nothing crosses the link: the files come from the timer alone.
d=$SC_TMP/g
mkdir "$d"
sc_sockcap g "$A" -i vA -G 1 -W 3 -w "$d/cap-%s.pcap"
t0=$EPOCHREALTIME # the first file was opened just before the "listening" line
if sc_wait g 60; then
	t1=$EPOCHREALTIME
	sc_check_eq "-G 1 -W 3: exit status" 0 "$SC_RC"
	sc_expect_line "-G 1 -W 3: limit message" '^sockcap: maximum file limit reached: 3$' "$SC_TMP/g.err"
	extra=$(grep -v -E -e '^sockcap: listening on vA, link-type EN10MB \(Ethernet\), snapshot length 262144 bytes$' \
		-e '^sockcap: maximum file limit reached: 3$' \
		-e '^[0-9]+ packets (captured|received by filter|dropped by kernel)$' "$SC_TMP/g.err")
	[ -z "$extra" ] || sc_fail "-G 1 -W 3: unexpected lines on stderr: $extra"
	sc_stats "$SC_TMP/g.err" && sc_check_eq "-G 1 -W 3: packets captured" 0 "$SC_CAPTURED"
	# three periods, the first of them partial: at least two seconds
	awk -v a="$t0" -v b="$t1" 'BEGIN { exit !(b - a >= 1.8) }' ||
		sc_fail "-G 1 -W 3: three 1 s files took only $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') s"
else
	sc_fail "-G 1 -W 3: still running 60 s after it started"
	sc_stop g TERM
fi
list_dir "$d"
sc_check_eq "-G 1 -W 3: number of files" 3 "${#GOT[@]}"
prev=
for f in "${GOT[@]}"; do
	if [[ $f =~ ^cap-([0-9]+)\.pcap$ ]]; then
		t=${BASH_REMATCH[1]}
		[ -z "$prev" ] || [ "$t" -ge $((prev + 1)) ] ||
			sc_fail "-G 1 -W 3: $f opened less than a second after cap-$prev.pcap"
		prev=$t
	else
		sc_fail "-G 1 -W 3: file '$f' does not match cap-%s.pcap"
	fi
done
if [ "${#GOT[@]}" -gt 0 ]; then
	paths=()
	for f in "${GOT[@]}"; do paths+=("$d/$f"); done
	inspect "-G 1 -W 3" "${paths[@]}"
	for f in "${paths[@]}"; do
		sc_check_eq "-G 1 -W 3: ${f##*/}: format and packets" "pcap 0" "${L_fmt[$f]} ${L_n[$f]}"
	done
fi

# The third period ended a second after the third file's name says it began;
# the timer ends it a moment later (so that packets stamped within it still
# get in), and then the capture stops.
if [ "${#GOT[@]}" -eq 3 ] && [[ ${GOT[2]} =~ ^cap-([0-9]+)\.pcap$ ]] && [ -n "${t1:-}" ]; then
	late=$(awk -v e="$((BASH_REMATCH[1] + 1))" -v t="$t1" 'BEGIN { printf "%.3f", t - e }')
	sc_log "-G 1 -W 3: exit ${late}s after the end of the third period"
	awk -v l="$late" 'BEGIN { exit !(l < 1.0) }' ||
		sc_fail "-G 1 -W 3: exit ${late}s after the end of the third period (a second at most)"
fi

# ------------------------------------------------------------ -G 1 -W 3, traffic
# A datagram every 5 ms, from before the capture starts until after its last
# file: every second's file holds exactly the packets stamped in that second
# (a rotation by the clock alone puts those stamped just after a second began
# in the file before); when the third second is over, the capture stops at
# once, and the packets after it are not written: the limit, not an error.
d=$SC_TMP/gt
mkdir "$d"
# at most 4000 datagrams in at most 20 s: longer than sockcap takes to
# start (seconds on a busy machine) and three periods
sc_start gtfl "$B" "out:^sending$" "$SC_PYTHON" "$srcdir/tests/paced.py" 198.18.0.99 40000 \
	"$PAYLOAD" 1 4000 20
sc_sockcap gt "$A" -i vA "${RING[@]}" -G 1 -W 3 -w "$d/t-%s.pcap"
if sc_wait gt 30; then
	t1=$EPOCHREALTIME
	sc_check_eq "-G 1 -W 3, traffic: exit status" 0 "$SC_RC"
else
	t1=
	sc_fail "-G 1 -W 3, traffic: still running 30 s after it started"
	sc_stop gt TERM
fi
sc_alive "${SC_CPID[gtfl]}" || sc_fail "-G 1 -W 3, traffic: the datagrams ended before sockcap did"
sc_stop gtfl TERM
f=$SC_TMP/gt.err
sc_expect_line "-G 1 -W 3, traffic: limit message" '^sockcap: maximum file limit reached: 3$' "$f"
grep -q 'lost' "$f" && sc_fail "-G 1 -W 3, traffic: packets after the last file counted as lost: $(grep lost "$f")"
extra=$(grep -v -E -e '^sockcap: listening on vA, link-type EN10MB \(Ethernet\), snapshot length 262144 bytes$' \
	-e '^sockcap: maximum file limit reached: 3$' \
	-e '^[0-9]+ packets (captured|received by filter|dropped by kernel|not written \(file limit reached\))$' "$f")
[ -z "$extra" ] || sc_fail "-G 1 -W 3, traffic: unexpected lines on stderr: $extra"
over=$(sed -n -E 's/^([0-9]+) packets not written \(file limit reached\)$/\1/p' "$f")
[ "${over:-0}" -ge 1 ] 2>/dev/null ||
	sc_fail "-G 1 -W 3, traffic: no packet counted as not written (file limit reached)"
list_dir "$d"
sc_check_eq "-G 1 -W 3, traffic: number of files" 3 "${#GOT[@]}"
paths=() sum=0 prev=
for f in "${GOT[@]}"; do paths+=("$d/$f"); done
[ "${#paths[@]}" -gt 0 ] && inspect "-G 1 -W 3, traffic" "${paths[@]}"
for f in "${GOT[@]}"; do
	if ! [[ $f =~ ^t-([0-9]+)\.pcap$ ]]; then
		sc_fail "-G 1 -W 3, traffic: file '$f' does not match t-%s.pcap"
		continue
	fi
	t=${BASH_REMATCH[1]} p=$d/$f first=${prev:-yes}
	# periods follow on from each other, a second each
	[ -z "$prev" ] || sc_check_eq "-G 1 -W 3, traffic: the period after t-$prev.pcap" "$((prev + 1))" "$t"
	prev=$t
	sum=$((sum + ${L_n[$p]:-0}))
	[ "${L_n[$p]:-0}" -ge 1 ] || continue
	# (the first file also holds what came before it was opened)
	[ "$first" = yes ] || [ "${L_first[$p]}" -ge $((t * 1000000000)) ] ||
		sc_fail "-G 1 -W 3, traffic: $f holds a packet stamped ${L_first[$p]} ns, before its second"
	[ "${L_last[$p]}" -lt $(((t + 1) * 1000000000)) ] ||
		sc_fail "-G 1 -W 3, traffic: $f holds a packet stamped ${L_last[$p]} ns, after its second (it belongs in the next file)"
done
# the later two periods are whole: up to 200 packets each, fewer on a busy
# machine, but packets all through, so some were stamped just after a
# second began
for f in "${paths[@]:1}"; do
	[ "${L_n[$f]:-0}" -ge 20 ] || sc_fail "-G 1 -W 3, traffic: only ${L_n[$f]:-0} packets in ${f##*/}"
done
if sc_stats "$SC_TMP/gt.err"; then
	sc_check_eq "-G 1 -W 3, traffic: 'packets captured' vs packets in the files" "$sum" "$SC_CAPTURED"
	sc_check_eq "-G 1 -W 3, traffic: captured + dropped + not written == received" \
		"$SC_RECEIVED" "$((SC_CAPTURED + SC_DROPPED + ${over:-0}))"
fi
if [ -n "$t1" ] && [ -n "$prev" ]; then
	late=$(awk -v e="$((prev + 1))" -v t="$t1" 'BEGIN { printf "%.3f", t - e }')
	sc_log "-G 1 -W 3, traffic: $sum packets in ${#GOT[@]} files, ${over:-0} after them; exit ${late}s after the end of the third period"
	awk -v l="$late" 'BEGIN { exit !(l < 1.0) }' ||
		sc_fail "-G 1 -W 3, traffic: exit ${late}s after the end of the third period (a second at most)"
fi

# ------------------------------------------------------------ -G 1 -C 1
# Bursts more than a second apart, each larger than the size limit: -C
# numbers the files within a period, -G starts a new name for the next.
d=$SC_TMP/gc
mkdir "$d"
sc_sockcap gc "$A" -i vA "${RING[@]}" -G 1 -C 1 -w "$d/gc-%s.pcap"
total=0
for _ in 1 2; do
	sc_flood 2500 "$PAYLOAD"
	total=$((total + SENT))
	sleep 1.5
done
sc_stop gc TERM
stopped gc "-G 1 -C 1" "$total"
list_dir "$d"
declare -A period=()
for f in "${GOT[@]}"; do
	if [[ $f =~ ^gc-([0-9]+)\.pcap([0-9]*)$ ]]; then
		period[${BASH_REMATCH[1]}]+=" ${BASH_REMATCH[2]:-0}"
	else
		sc_fail "-G 1 -C 1: file '$f' does not match gc-%s.pcap[N]"
	fi
done
sum=0 numbered=0 busy=0
for t in $(printf '%s\n' "${!period[@]}" | sort -n); do
	# the files of one period, in sequence order: gc-T.pcap, gc-T.pcap1, ...
	read -r -a seqs <<<"$(tr ' ' '\n' <<<"${period[$t]}" | sort -n | tr '\n' ' ')"
	names=()
	for ((i = 0; i < ${#seqs[@]}; i++)); do
		sc_check_eq "-G 1 -C 1: sequence numbers of period $t" "$i" "${seqs[i]}" || break
		if [ "$i" -eq 0 ]; then names+=("gc-$t.pcap"); else names+=("gc-$t.pcap$i"); fi
	done
	[ "${#names[@]}" -gt 1 ] && numbered=1
	# a period without packets has one empty file; check_sequence wants packets
	paths=()
	for f in "${names[@]}"; do paths+=("$d/$f"); done
	inspect "-G 1 -C 1" "${paths[@]}"
	if [ "${#names[@]}" -eq 1 ] && [ "${L_n[${paths[0]}]}" -eq 0 ]; then
		continue
	fi
	busy=$((busy + 1))
	check_sequence "-G 1 -C 1: period $t" pcap "$d" "${names[@]}"
	sum=$((sum + SEQ_PACKETS))
done
sc_check_eq "-G 1 -C 1: packets in all files" "$total" "$sum"
[ "$busy" -ge 2 ] || sc_fail "-G 1 -C 1: packets in $busy period(s), expected the two bursts in different ones"
[ "$numbered" = 1 ] || sc_fail "-G 1 -C 1: no period has a second (numbered) file"
sc_log "-G 1 -C 1: $total packets in ${#GOT[@]} files, $busy periods with packets"

# ------------------------------------------------------------ -s
for s in 0 100; do
	d=$SC_TMP/s$s
	mkdir "$d"
	want_snap=$s
	[ "$s" = 0 ] && want_snap=262144
	sc_sockcap "s$s" "$A" -i vA -s "$s" -w "$d/snap.pcap"
	sc_expect_line "-s $s: listening line" \
		"^sockcap: listening on vA, link-type EN10MB \\(Ethernet\\), snapshot length $want_snap bytes\$" \
		"$SC_TMP/s$s.err"
	sc_flood 3 "$PAYLOAD"
	sc_stop "s$s" TERM
	stopped "s$s" "-s $s" "$SENT"
	inspect "-s $s" "$d/snap.pcap"
	if capinfos -T -r -l "$d/snap.pcap" >"$SC_TMP/ci.out" 2>/dev/null; then
		sc_check_eq "-s $s: snap length in the file header (capinfos)" "$want_snap" \
			"$(cut -f 2 "$SC_TMP/ci.out")"
	else
		sc_fail "-s $s: capinfos -l failed"
	fi
	cap=$FRAME
	[ "$s" = 100 ] && cap=100
	sc_check_eq "-s $s: captured and wire length" "$cap $FRAME" "${L_cap[$d/snap.pcap]} ${L_len[$d/snap.pcap]}"
done

sc_done
