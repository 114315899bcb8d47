#!/bin/bash
# Capture files (-w) in floods on a link that carries nothing else, so
# "received" must equal what was sent; every file is read back with
# tcpdump, tshark, capinfos and tests/pcapcheck.py (sc_pf) and holds
# nothing but the flood's datagrams.
#
# The default ring drops nothing; a one-page ring (-B 4 -s 1500) with its
# reader stopped drops, and the counts, the ISB and the file still agree;
# -c 1000 writes exactly 1000 packets; stopped in the middle of a flood,
# everything queued still reaches the file.
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"
. "$srcdir/tests/lib_write.sh"

sc_need_root
sc_need_cmd ip iproute2
sc_need_cmd sysctl procps
sc_need_cmd timeout coreutils
sc_need_cmd getconf libc-bin
sc_need_cmd tcpdump tcpdump
sc_need_cmd tshark tshark
sc_need_cmd capinfos wireshark-common
sc_need_cmd "$SC_PYTHON" python3
sc_init
sc_write_init

# ================================================================ setup
# Nothing but the test's datagrams crosses the quiet link, to a MAC
# address nobody has.
sc_quiet_link
FLOOD=${SC_FLOOD:-20000}
fmarker='^IP 198\.18\.0\.2\.[0-9]+ > 198\.18\.0\.99\.40000: UDP, length 18$'

# only_flood NAME FILE: every packet in FILE is one of the flood's.
only_flood() {
	local n
	tool "tcpdump -r ${2##*/}" "$SC_TMP/$1.txt" tcpdump -t -n -r "$2" || return 1
	n=$(grep -c -v -E -e "$fmarker" "$SC_TMP/$1.txt")
	[ "$n" -eq 0 ] && return 0
	sc_fail "$1: $n packets are not the flood's datagrams"
	grep -v -E -e "$fmarker" "$SC_TMP/$1.txt" | head -n 5 | sed 's/^/  | /' >&2
}

file_size() { stat -c %s "$1" 2>/dev/null || echo 0; }
size_is() { [ "$(file_size "$1")" = "$2" ]; }

# A 16 MiB packet ring: a 60-byte frame takes 16 + 60 bytes of pcap; wait
# until all SENT are in the file (nothing may be dropped: the ring holds them
# all, even if the writer falls behind; -w's default of 2 MiB may not).
T0=$(date +%s%N)
sc_sockcap fd "$A" -i vA -B 16384 -w "$SC_TMP/fd.pcap"
sc_flood "$FLOOD"
sc_wait_for "all $SENT datagrams in the file" 60 size_is "$SC_TMP/fd.pcap" $((24 + 76 * SENT))
stop_sockcap fd TERM
T1=$(date +%s%N)
check_wstats fd
check_wstderr fd vA "$SNAP"
sc_check_eq "fd: packets received by filter (datagrams sent)" "$SENT" "$W_RECV"
sc_check_eq "fd: packets dropped (the ring holds them all)" 0 "$W_DROP"
sc_check_eq "fd: packets captured" "$SENT" "$W_CAPT"
check_file fd "$SC_TMP/fd.pcap" pcap "$SNAP" vA
only_flood fd "$SC_TMP/fd.pcap"

# One-page ring, -s 1500: the ring is two blocks of a page each (a block
# must hold a whole frame), and a packet takes more than 64 bytes of it,
# so with the reader stopped no more than 2 * page / 64 fit; the rest of a
# burst is dropped. Then a flood with the reader running.
page=$(getconf PAGESIZE)
cap=$((2 * page / 64))
burst=$((4 * cap + 100))
T0=$(date +%s%N)
sc_sockcap ft "$A" -i vA -B 4 -s 1500 -w "$SC_TMP/ft.pcapng"
sc_signal ft STOP
sc_flood "$burst"
burst_sent=$SENT
sc_signal ft CONT
sc_flood "$FLOOD"
total=$((burst_sent + SENT))
stop_sockcap ft TERM
T1=$(date +%s%N)
check_wstats ft
check_wstderr ft vA 1500
sc_check_eq "ft: packets received by filter (datagrams sent)" "$total" "$W_RECV"
if ! [ "$W_DROP" -ge $((burst_sent - cap)) ] 2>/dev/null; then
	sc_fail "ft: $W_DROP packets dropped, but $burst_sent were sent while the reader was stopped with room for $cap"
fi
check_file ft "$SC_TMP/ft.pcapng" pcapng 1500 vA
check_isb ft "$SC_TMP/ft.pcapng" 1
only_flood ft "$SC_TMP/ft.pcapng"
sc_log "-B 4: received $W_RECV, captured $W_CAPT, dropped $W_DROP"

# -c 1000 in a flood: exactly 1000 written, the rest counted.
T0=$(date +%s%N)
sc_sockcap fc "$A" -i vA -c 1000 -w "$SC_TMP/fc.pcapng"
sc_flood "$FLOOD"
if sc_wait fc; then
	sc_check_eq "fc: exit status with -c 1000" 0 "$SC_RC"
else
	sc_fail "fc: -c 1000 still running after $SENT datagrams"
	sc_stop fc TERM
fi
T1=$(date +%s%N)
check_wstats fc
check_wstderr fc vA "$SNAP"
sc_check_eq "fc: packets captured with -c 1000" 1000 "$W_CAPT"
[ "$W_RECV" -ge 1000 ] 2>/dev/null && [ "$W_RECV" -le "$SENT" ] ||
	sc_fail "fc: $W_RECV received by filter, expected 1000..$SENT"
check_file fc "$SC_TMP/fc.pcapng" pcapng "$SNAP" vA
check_isb fc "$SC_TMP/fc.pcapng" 1
only_flood fc "$SC_TMP/fc.pcapng"
sc_log "-c 1000: received $W_RECV, dropped $W_DROP, not written $W_NOTW"

# Stopped in the middle of a flood, with a ring small enough to drop:
# what the kernel queued before the stop must still reach the file, and
# the counts add up.
bigger_than() { [ "$(file_size "$1")" -gt "$2" ]; }
T0=$(date +%s%N)
sc_sockcap fm "$A" -i vA -B 64 -s 1500 -w "$SC_TMP/fm.pcapng"
sc_start fmfl "$B" "" "$SC_PYTHON" "$SC_TG" flood 198.18.0.99 40000 100000 5
sc_wait_for "the file to grow during the flood" 60 bigger_than "$SC_TMP/fm.pcapng" 100000
sc_alive "${SC_CPID[fmfl]}" || sc_log "NOTE: the flood ended before sockcap was stopped"
stop_sockcap fm INT
T1=$(date +%s%N)
sc_wait fmfl 30 || sc_fail "the 5 s flood did not end within 30 s"
check_wstats fm
check_wstderr fm vA 1500
check_file fm "$SC_TMP/fm.pcapng" pcapng 1500 vA
check_isb fm "" 1
only_flood fm "$SC_TMP/fm.pcapng"
sc_log "stopped mid-flood: received $W_RECV, captured $W_CAPT, dropped $W_DROP"

sc_done
