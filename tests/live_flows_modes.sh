#!/bin/bash
# --flows with the capture modes around it, and a table far too small.
#
# Namespaces A and B joined by veth; tests/flows.py's sink in B and in A
# (for A's loopback). flows.py's clients (TCP and UDP, IPv4 and IPv6, a
# reset, a half-open SYN) run once to B and once over A's loopback, while
# on A at the same time:
#   multi   sockcap -i vA -i lo --flows: each interface's rows against
#           tcpdump's file of that interface, read by tshark, and the
#           clients' states and processes;
#   qin     sockcap -Q in --flows: only what vA received, against
#           tcpdump -Q in;
#   expr    sockcap --flows EXPR: only matching packets, against tcpdump
#           with the same expression;
#   tty     sockcap --flows=1 on a terminal (script(1), 12 rows): a view
#           that clears the screen before each table, rows cut to what the
#           terminal holds, and still a whole final table.
# Then 30,000 UDP flows against a table of 16,384: the flows counted and
# those not tracked add up to what was sent, the warning comes once, and
# the --metrics page says what the exit statistics say.
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

sc_need_root
sc_need_cmd ip iproute2
sc_need_cmd tcpdump tcpdump
sc_need_cmd tshark tshark
sc_need_cmd timeout coreutils
sc_need_cmd script util-linux
sc_need_cmd curl curl
sc_need_cmd "$SC_PYTHON" python3
sc_init
. "$srcdir/tests/lib_flows.sh"

EXPR='(udp and greater 500) or (ip6 and tcp)'
PORT=9468

sc_pair_link
# the half-open connection's SYN leaves A for a MAC address nobody has
ip -n "$A" neigh add 198.18.0.77 lladdr 02:00:00:00:00:4d dev vA nud permanent ||
	sc_die "cannot add the black hole's neighbour"
sc_start sink "$B" "out:^ready" "$SC_PYTHON" "$FL" sink 40100
sc_start sinklo "$A" "out:^ready" "$SC_PYTHON" "$FL" sink 40100


# compare NAME PCAP [EXPECT] [IFACE]: NAME's final table against PCAP
compare() {
	FLOWS_IFACE=${4:-} fl compare "$SC_TMP/$1.out" "$SC_TMP/$2.pcap" ${3:+"$SC_TMP/$3"} \
		>"$SC_TMP/$1${4:+.$4}.cmp" ||
		{ sc_fail "$1${4:+ ($4)}: the flows differ from tshark's"; sc_show "$1.cmp" "$SC_TMP/$1${4:+.$4}.cmp" 40; }
	sc_log "$1${4:+ ($4)}: $(tail -n 1 "$SC_TMP/$1${4:+.$4}.cmp")"
}

# ------------------------------------------------ the modes, one traffic
sc_tcpdump tdv "$A" vA
sc_tcpdump tdlo "$A" lo
sc_start tdin "$A" "err:listening on" tcpdump -Z root -U --immediate-mode -s 512 -B 16384 -n \
	-i vA -Q in -w "$SC_TMP/tdin.pcap"
sc_start tdexpr "$A" "err:listening on" tcpdump -Z root -U --immediate-mode -s 512 -B 16384 -n \
	-i vA -w "$SC_TMP/tdexpr.pcap" "$EXPR"
sc_sockcap multi "$A" -i vA -i lo --flows
sc_sockcap qin "$A" -i vA -Q in --flows
sc_sockcap expr "$A" -i vA --flows "$EXPR"
# script(1) gives sockcap a terminal of 12 rows; its pid is script's child
sc_start tty "$A" "" script -q -e -c "stty rows 12 cols 160 && exec $SOCKCAP -i vA --flows=1" /dev/null
sc_wait_for "sockcap on a terminal" 30 grep -q 'listening on vA' "$SC_TMP/tty.out"
ttypid=$(cat "/proc/${SC_CPID[tty]}/task/${SC_CPID[tty]}/children")
ttypid=${ttypid%% *}
[ -n "$ttypid" ] || sc_die "no sockcap under script"

ip netns exec "$A" timeout 60 "$SC_PYTHON" "$FL" clients 198.18.0.2 fd00:198:18::2 \
	>"$SC_TMP/clv.out" || sc_die "client traffic to B failed"
ip netns exec "$A" timeout 60 "$SC_PYTHON" "$FL" clients 127.0.0.1 ::1 \
	>"$SC_TMP/cllo.out" || sc_die "client traffic on lo failed"
# a table after the last packet, and at least two on the terminal
sleep 1.5
two_tables() { [ "$(grep -c 'flows at .* active in' "$SC_TMP/tty.out")" -ge 2 ]; }
sc_wait_for "two interval tables on the terminal" 30 two_tables
for n in multi qin expr; do
	sc_stop "$n" INT
	sc_check_eq "$n: exit status" 0 "$SC_RC"
done
kill -INT "$ttypid"
sc_wait tty || sc_fail "sockcap under script did not exit"
sc_check_eq "tty: exit status" 0 "$SC_RC"
for n in tdv tdlo tdin tdexpr; do
	sc_tcpdump_stop "$n"
done

compare multi tdv clv.out vA
compare multi tdlo cllo.out lo
n=$(sed -n -E 's/^([0-9]+) flows$/\1/p' "$SC_TMP/multi.out")
v=$(grep -c '^row ' "$SC_TMP/multi.vA.cmp")
l=$(grep -c '^row ' "$SC_TMP/multi.lo.cmp")
sc_check_eq "multi: rows of vA and lo make the table" "$n" "$((v + l))"
compare qin tdin
compare expr tdexpr
sc_check_eq "expr: received == tcpdump's frames" \
	"$(tcpdump -n -r "$SC_TMP/tdexpr.pcap" 2>/dev/null | wc -l)" \
	"$(stat "$SC_TMP/expr.err" 'packets received by filter')"

# the terminal: a clear before each interval table, at most 12 - 4 rows
# under its two lines, and the final table whole (the last "N flows")
ESC=$'\033'
tables=$(grep -c 'flows at .* active in' "$SC_TMP/tty.out")
clears=$(grep -o "${ESC}\\[H${ESC}\\[J" "$SC_TMP/tty.out" | wc -l)
[ "$tables" -ge 2 ] || sc_fail "tty: $tables interval tables"
sc_check_eq "tty: a clear for each interval table" "$tables" "$clears"
tr -d '\r' <"$SC_TMP/tty.out" | awk -v esc="$ESC" '
	index($0, esc "[H") { if (rows > most) most = rows; rows = 0; on = 1; next }
	/^[0-9]+ flows$/ { if (rows > most) most = rows; on = 0 }
	on && !/^(flows at|IFACE|$)/ { rows++ }
	END { if (rows > most) most = rows; print most + 0 }' >"$SC_TMP/tty.most"
most=$(cat "$SC_TMP/tty.most")
[ "$most" -ge 1 ] && [ "$most" -le 8 ] || sc_fail "tty: $most rows in an interval table of a 12-row terminal"
tr -d '\r' <"$SC_TMP/tty.out" >"$SC_TMP/tty.txt"
tn=$(sed -n -E 's/^([0-9]+) flows$/\1/p' "$SC_TMP/tty.txt" | tail -n 1)
fl compare "$SC_TMP/tty.txt" "$SC_TMP/tdv.pcap" "$SC_TMP/clv.out" >"$SC_TMP/tty.cmp" ||
	{ sc_fail "tty: the final table differs from tshark's"; sc_show tty.cmp "$SC_TMP/tty.cmp" 40; }
sc_log "tty: $tables tables, at most $most rows each, final table of ${tn:-no} flows"

# ------------------------------------------------ 30,000 flows, 16,384 entries
N=30000 SIZE=16384
sc_sockcap full "$A" -i vA --flows --flow-table "$SIZE" -Q out --metrics "127.0.0.1:$PORT" udp
ip netns exec "$A" timeout 120 "$SC_PYTHON" "$FL" spray 198.18.0.2 10000 "$N" ||
	sc_die "the UDP flows failed"
# the counters are collected once a second: scrape until two scrapes a
# second apart agree
scrape() { ip netns exec "$A" curl -sS --max-time 10 -o "$SC_TMP/$1" "http://127.0.0.1:$PORT/metrics"; }
settled() {
	sleep 1
	scrape full.prom2 || return 1
	cmp -s <(grep '^sockcap_flows' "$SC_TMP/full.prom") <(grep '^sockcap_flows' "$SC_TMP/full.prom2") && return 0
	mv "$SC_TMP/full.prom2" "$SC_TMP/full.prom"
	return 1
}
scrape full.prom || sc_fail "full: the scrape failed"
sc_wait_for "the flow metrics to settle" 5 settled # up to 50 scrapes
sc_stop full INT
sc_check_eq "full: exit status" 0 "$SC_RC"
seen=$(stat "$SC_TMP/full.err" 'packets received by filter')
in=$(stat "$SC_TMP/full.err" 'packets counted in flows')
not=$(stat "$SC_TMP/full.err" 'packets not tracked \(flow table full\)')
none=$(stat "$SC_TMP/full.err" 'packets in no flow \(not IP\)')
sc_log "full: received $seen, in flows $in, not tracked $not, in no flow $none"
sc_check_eq "full: in flows + not tracked + in none == received" "$seen" "$((in + not + none))"
sc_check_eq "full: datagrams counted in flows and not tracked" "$N" "$((in + not))"
rows=$(sed -n -E 's/^([0-9]+) flows$/\1/p' "$SC_TMP/full.out")
# a preallocated hash map keeps an element per CPU besides its entries
[ "${rows:-0}" -ge "$SIZE" ] && [ "$rows" -le $((SIZE + $(nproc))) ] ||
	sc_fail "full: ${rows:-no} flows in a table of $SIZE"
sc_check_eq "full: packets in flows (one a flow)" "$rows" "$in"
warn=$(grep -c "sockcap: the flow table is full ($SIZE flows)" "$SC_TMP/full.err")
sc_check_eq "full: warnings" 1 "$warn"
m() { awk -v k="$1" '$1 == k { print $2 }' "$SC_TMP/full.prom"; }
sc_check_eq "full: metrics, packets not tracked" "$not" "$(m sockcap_flows_not_tracked_packets_total)"
sc_check_eq "full: metrics, flows tracked" "$rows" "$(m sockcap_flows_tracked)"

sc_done
