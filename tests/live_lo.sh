#!/bin/bash
# Live capture on loopback, in a namespace of its own so nothing else talks
# there: UDP, a TCP connection, IPv6 UDP and ICMP/ICMPv6 echo on lo.
# sockcap -i lo must print every packet exactly once (lo hands each packet to
# taps twice), the same packets as tcpdump -n -S, and time stamps that are
# the wall-clock time of day. A second sockcap with -c 3 -tt stops by itself
# after the first three packets, with epoch time stamps.
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

sc_need_root
sc_need_cmd ip iproute2
sc_need_cmd timeout coreutils
sc_need_cmd tcpdump tcpdump
sc_need_cmd "$SC_PYTHON" python3
sc_init

sc_netns NS lo
sc_start srv "$NS" "out:^ready" "$SC_PYTHON" "$SC_TG" serve :: 40002 40001 40011 40009

sc_tcpdump td "$NS" lo
sc_sockcap sc "$NS" -i lo
sc_sockcap sc3 "$NS" -i lo -c 3 -tt

t0=$(date +%H:%M:%S.%N)
# The three UDP datagrams first, for the -c 3 capture; the last one is the
# marker that says everything before it has been seen.
sc_tg "$NS" \
	udp 127.0.0.1 40000 127.0.0.1 40001 11 + \
	udp 127.0.0.1 40000 127.0.0.1 40001 12 + \
	udp 127.0.0.1 40000 127.0.0.1 40001 13 + \
	tcp 127.0.0.1 40003 127.0.0.1 40002 + \
	udp ::1 40010 ::1 40011 21 + \
	udp ::1 40010 ::1 40011 22 + \
	ping 127.0.0.1 127.0.0.1 4660 1 + \
	ping ::1 ::1 4661 2 + \
	udp 127.0.0.1 40008 127.0.0.1 40009 3 ||
	sc_die "traffic generator failed"
t1=$(date +%H:%M:%S.%N)

marker='127\.0\.0\.1\.40008 > 127\.0\.0\.1\.40009: UDP, length 3$'
sc_wait_for "sockcap to print the marker" 60 sc_grep_q "$marker" "$SC_TMP/sc.out"
sc_wait_for "tcpdump to see the marker" 60 sc_pcap_has "$marker" "$SC_TMP/td.pcap"
sc_stop sc INT
sc_check_eq "sockcap -i lo: exit status after SIGINT" 0 "$SC_RC"
sc_tcpdump_stop td
if sc_wait sc3; then
	sc_check_eq "sockcap -c 3: exit status" 0 "$SC_RC"
else
	sc_fail "sockcap -c 3 still running after the traffic (count not honoured)"
	sc_stop sc3 KILL
fi

# ---------------------------------------------------------------- same packets
tcpdump -n -S -r "$SC_TMP/td.pcap" 2>/dev/null >"$SC_TMP/td.txt"
sc_norm_tcpdump <"$SC_TMP/td.txt" >"$SC_TMP/td.norm"
sc_norm_sockcap <"$SC_TMP/sc.out" >"$SC_TMP/sc.norm"
n_td=$(sc_lines "$SC_TMP/td.norm")
sc_log "tcpdump saw $n_td packets, sockcap printed $(sc_lines "$SC_TMP/sc.out") lines"
[ "$n_td" -ge 15 ] || sc_fail "tcpdump saw only $n_td packets; the traffic did not happen"
sc_same_lines "sockcap -i lo vs tcpdump -n -S -i lo" "$SC_TMP/td.norm" "$SC_TMP/sc.norm"

dups=$(LC_ALL=C sort "$SC_TMP/sc.norm" | uniq -d)
[ -z "$dups" ] || sc_fail "lines printed more than once on lo: $dups"
bad=$(grep -v -E '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6} lo In  ' "$SC_TMP/sc.out")
[ -z "$bad" ] || sc_fail "lines not of the form 'HH:MM:SS.uuuuuu lo In  ...': $bad"

# What was sent, independently of tcpdump.
f=$SC_TMP/sc.norm
for len in 11 12 13; do
	sc_expect_line "UDP datagram of $len bytes" \
		"^IP 127\.0\.0\.1\.40000 > 127\.0\.0\.1\.40001: UDP, length $len\$" "$f"
done
for len in 21 22; do
	sc_expect_line "IPv6 UDP datagram of $len bytes" \
		"^IP6 ::1\.40010 > ::1\.40011: UDP, length $len\$" "$f"
done
sc_expect_line "ICMP echo request" '^IP 127\.0\.0\.1 > 127\.0\.0\.1: ICMP echo request, id 4660, seq 1, length 64$' "$f"
sc_expect_line "ICMP echo reply" '^IP 127\.0\.0\.1 > 127\.0\.0\.1: ICMP echo reply, id 4660, seq 1, length 64$' "$f"
sc_expect_line "ICMPv6 echo request" '^IP6 ::1 > ::1: ICMP6, echo request, id 4661, seq 2, length 64$' "$f"
sc_expect_line "ICMPv6 echo reply" '^IP6 ::1 > ::1: ICMP6, echo reply, id 4661, seq 2, length 64$' "$f"
syn=$(sed -n -E 's/^IP 127\.0\.0\.1\.40003 > 127\.0\.0\.1\.40002: Flags \[S\], seq ([0-9]+), win [0-9]+, options \[mss [^]]*\], length 0$/\1/p' "$f")
synack=$(sed -n -E 's/^IP 127\.0\.0\.1\.40002 > 127\.0\.0\.1\.40003: Flags \[S\.\], seq ([0-9]+), ack ([0-9]+), win [0-9]+, options \[mss [^]]*\], length 0$/\1 \2/p' "$f")
if [ -z "$syn" ] || [ -z "$synack" ]; then
	sc_fail "TCP handshake: SYN '$syn' / SYN-ACK '$synack' lines missing"
else
	set -- $synack
	sc_check_eq "SYN-ACK acknowledges the SYN" "$(((syn + 1) % 4294967296))" "$2"
	sc_expect_line "TCP data segment" \
		"^IP 127\.0\.0\.1\.40003 > 127\.0\.0\.1\.40002: Flags \[P\.\], seq $((syn + 1)):$((syn + 6)), ack $(($1 + 1)), win [0-9]+(, options \[[^]]*\])?, length 5\$" "$f"
fi
sc_check_stats "sockcap -i lo" "$SC_TMP/sc.err" "$SC_TMP/sc.out"
sc_check_eq "sockcap -i lo: packets dropped" 0 "$SC_DROPPED"
sc_check_eq "sockcap -i lo: packets received by filter" "$n_td" "$SC_RECEIVED"
sc_check_stderr "sockcap -i lo" "$SC_TMP/sc.err"

# ---------------------------------------------------------------- time of day
# Each line's time against the same packet in tcpdump (kernel time stamp),
# and against date(1) taken before and after the traffic.
sed -E 's/^([0-9:.]+) (.*)$/\2\t\1/' "$SC_TMP/td.txt" | sc_norm_tcpdump >"$SC_TMP/td.ts"
sc_strip_proc <"$SC_TMP/sc.out" |
	sed -E 's/^([0-9:.]+) [^ ]+ (In |Out|B  |M  |P  ) (.*)$/\3\t\1/' >"$SC_TMP/sc.ts"
terr=$(awk -F '\t' -v t0="$t0" -v t1="$t1" '
	function tod(s,  a) { split(s, a, ":"); return a[1] * 3600 + a[2] * 60 + a[3] }
	function dist(a, b,  d) { d = a - b; while (d > 43200) d -= 86400; while (d < -43200) d += 86400; return d }
	NR == FNR { td[$1] = $2; next }
	{
		t = tod($2)
		if (!($1 in td)) next
		if (dist(t, tod(td[$1])) > 1 || dist(t, tod(td[$1])) < -1)
			printf "%s: sockcap %s, tcpdump %s; ", $1, $2, td[$1]
		if (dist(t, tod(t0)) < -1 || dist(t, tod(t1)) > 1)
			printf "%s: %s is not between date %s and %s; ", $1, $2, t0, t1
		n++
	}
	END { if (n < 10) printf "only %d lines could be paired with tcpdump", n }' \
	"$SC_TMP/td.ts" "$SC_TMP/sc.ts")
[ -z "$terr" ] || sc_fail "time stamps: $terr"

# ---------------------------------------------------------------- -c 3 -tt
tcpdump -tt -n -S -r "$SC_TMP/td.pcap" 2>/dev/null | head -n 3 |
	sed -E 's/^([0-9.]+) (.*)$/\2\t\1/' | sc_norm_tcpdump >"$SC_TMP/td3.ts"
sc_strip_proc <"$SC_TMP/sc3.out" |
	sed -E 's/^([0-9.]+) [^ ]+ (In |Out|B  |M  |P  ) (.*)$/\3\t\1/' >"$SC_TMP/sc3.ts"
sc_check_eq "sockcap -c 3: lines printed" 3 "$(sc_lines "$SC_TMP/sc3.out")"
cut -f1 "$SC_TMP/td3.ts" >"$SC_TMP/td3.lines"
cut -f1 "$SC_TMP/sc3.ts" >"$SC_TMP/sc3.lines"
if ! cmp -s "$SC_TMP/td3.lines" "$SC_TMP/sc3.lines"; then
	sc_fail "sockcap -c 3 did not print the first three packets tcpdump saw"
	sc_show "tcpdump" "$SC_TMP/td3.ts"
	sc_show "sockcap -c 3 -tt" "$SC_TMP/sc3.out"
fi
bad=$(grep -v -E '^[0-9]{10}\.[0-9]{6} lo In  ' "$SC_TMP/sc3.out")
[ -z "$bad" ] || sc_fail "-tt lines not of the form 'SECONDS.uuuuuu lo In  ...': $bad"
terr=$(paste "$SC_TMP/td3.ts" "$SC_TMP/sc3.ts" | awk -F '\t' '{
	d = $4 - $2; if (d > 1 || d < -1) printf "%s: sockcap %s, tcpdump %s; ", $1, $4, $2 }')
[ -z "$terr" ] || sc_fail "-tt time stamps differ from tcpdump -tt by more than 1 s: $terr"
now=$(date +%s)
first=$(cut -d' ' -f1 "$SC_TMP/sc3.out" | head -n 1)
if [ -n "$first" ] && { [ "${first%.*}" -gt "$now" ] || [ "${first%.*}" -lt $((now - 600)) ]; }; then
	sc_fail "-tt time stamp $first is not near the current epoch time $now"
fi
sc_check_stats "sockcap -c 3" "$SC_TMP/sc3.err" "$SC_TMP/sc3.out"
sc_check_eq "sockcap -c 3: packets captured" 3 "$SC_CAPTURED"
sc_check_stderr "sockcap -c 3" "$SC_TMP/sc3.err"

sc_done
