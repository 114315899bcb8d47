#!/bin/bash
# --flows: the kernel's per-connection counts against tcpdump's file, read
# by tshark.
#
# Namespaces A and B joined by veth; a sink in B (TCP: read to the end;
# UDP: echo) on 40100. From A, over IPv4 and IPv6: TCP flows of known
# sizes closed in order, UDP flows echoed; a connection to a closed port
# (reset), and a SYN to an address nobody answers (half-open). Captured on
# vA by `sockcap --flows=1`, by `sockcap --flows -i any --no-process` and
# by tcpdump -w. Every TCP and UDP flow's packets and bytes each way must
# equal tshark's count from the file; the states, originators and
# processes what the clients expect; the interval tables add up to the
# final one; the statistics add up to what tcpdump saw. Then a table of 64
# entries and a few hundred UDP flows: counted and not tracked add up, the
# warning appears once.
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

sc_need_root
sc_need_cmd ip iproute2
sc_need_cmd tcpdump tcpdump
sc_need_cmd tshark tshark
sc_need_cmd timeout coreutils
sc_need_cmd "$SC_PYTHON" python3
sc_init
. "$srcdir/tests/lib_flows.sh"


sc_pair_link
# the half-open connection's SYN leaves A for a MAC address nobody has
ip -n "$A" neigh add 198.18.0.77 lladdr 02:00:00:00:00:4d dev vA nud permanent ||
	sc_die "cannot add the black hole's neighbour"
sc_start sink "$B" "out:^ready" "$SC_PYTHON" "$FL" sink 40100


check_stats() { # NAME [FRAMES]
	local f=$SC_TMP/$1.err seen in not none cap drop
	seen=$(stat "$f" 'packets received by filter')
	in=$(stat "$f" 'packets counted in flows')
	not=$(stat "$f" 'packets not tracked \(flow table full\)')
	none=$(stat "$f" 'packets in no flow \(not IP\)')
	cap=$(stat "$f" 'packets captured')
	drop=$(stat "$f" 'packets dropped by kernel')
	[ -n "$seen" ] && [ -n "$in" ] && [ -n "$not" ] && [ -n "$none" ] ||
		{ sc_fail "$1: no flow statistics"; sc_show "$1.err" "$f"; return 1; }
	sc_check_eq "$1: in flows + not tracked + in none == received" "$seen" "$((in + not + none))"
	sc_check_eq "$1: captured + dropped == received" "$seen" "$((cap + drop))"
	# multicast listener reports and router solicitations come when they
	# will: out of the count, on both sides
	bg=$(awk '/^[0-9]+ flows$/ { on = 1; next } on && $2 == "icmp6" && ($9 == "type:143/0" ||
		$9 == "type:133/0") { n += $5 + $7 } END { print n + 0 }' "$SC_TMP/$1.out")
	[ -z "${2:-}" ] || sc_check_eq "$1: received == tcpdump's frames (background apart)" "$2" "$((seen - bg))" || {
		tcpdump -n -r "$SC_TMP/td.pcap" 'not tcp and not udp' 2>/dev/null >"$SC_TMP/td.other"
		sc_show "tcpdump's frames neither TCP nor UDP" "$SC_TMP/td.other"
		sc_show "$1.out" "$SC_TMP/$1.out" 30
	}
	NOT_TRACKED=$not IN_FLOWS=$in
}

# ------------------------------------------------ flows against tcpdump
sc_tcpdump td "$A" vA
sc_sockcap fa "$A" -i vA --flows=1
sc_sockcap fany "$A" -i any --flows --no-process
ip netns exec "$A" timeout 60 "$SC_PYTHON" "$FL" clients 198.18.0.2 fd00:198:18::2 \
	>"$SC_TMP/clients.out" || sc_die "client traffic failed"
# a table after the last packet, and the closed flows swept (idle 2 s)
sleep 3.5
sc_stop fa INT
sc_check_eq "fa: exit status" 0 "$SC_RC"
sc_stop fany INT
sc_check_eq "fany: exit status" 0 "$SC_RC"
sc_tcpdump_stop td
frames=$(tcpdump -n -r "$SC_TMP/td.pcap" 2>/dev/null | sc_drop_background | wc -l)

fl compare "$SC_TMP/fa.out" "$SC_TMP/td.pcap" "$SC_TMP/clients.out" >"$SC_TMP/fa.cmp" ||
	{ sc_fail "fa: the flows differ from tshark's"; sc_show fa.cmp "$SC_TMP/fa.cmp" 60; }
sc_log "fa: $(tail -n 1 "$SC_TMP/fa.cmp")"
fl intervals "$SC_TMP/fa.out" >"$SC_TMP/fa.int" ||
	{ sc_fail "fa: the interval tables do not add up"; sc_show fa.int "$SC_TMP/fa.int"; }
sc_log "fa: $(tail -n 1 "$SC_TMP/fa.int")"
check_stats fa "$frames"
sc_check_eq "fa: flows not tracked" 0 "$NOT_TRACKED"

# -i any: the same flows, without processes; bytes from the network header
FLOWS_NO_PROCESS=1 fl compare "$SC_TMP/fany.out" "$SC_TMP/td.pcap" "$SC_TMP/clients.out" \
	>"$SC_TMP/fany.cmp"
grep -v -E '^(MISMATCH|flows) ' "$SC_TMP/fany.cmp" | grep -v '^row ' >"$SC_TMP/fany.bad"
[ -s "$SC_TMP/fany.bad" ] && { sc_fail "fany: states or originators differ"; sc_show fany.bad "$SC_TMP/fany.bad"; }
# packets as tshark counts; bytes 14 fewer each (no Ethernet header)
fl compare "$SC_TMP/fa.out" "$SC_TMP/td.pcap" | grep '^row ' |
	awk '$2 == "tcp" || $2 == "udp" { split($7, o, "/"); split($9, b, "/");
		print $2, $3, $5, o[1] "/" o[2] - 14 * o[1], b[1] "/" b[2] - 14 * b[1] }' |
	sort >"$SC_TMP/fa.net"
grep '^row ' "$SC_TMP/fany.cmp" | awk '$2 == "tcp" || $2 == "udp" { print $2, $3, $5, $7, $9 }' |
	sort >"$SC_TMP/fany.net"
cmp -s "$SC_TMP/fa.net" "$SC_TMP/fany.net" || {
	sc_fail "-i any: flows differ from vA's (less 14 bytes a packet)"
	diff "$SC_TMP/fa.net" "$SC_TMP/fany.net" | head -20 >&2
}
check_stats fany

# ------------------------------------------------ a full table
sc_tcpdump tfull "$A" vA
sc_sockcap full "$A" -i vA --flows --flow-table 64 -Q out udp
ip netns exec "$A" timeout 60 "$SC_PYTHON" "$FL" many 198.18.0.2 40100 300 ||
	sc_die "the UDP flows failed"
sleep 0.5
sc_stop full INT
sc_check_eq "full: exit status" 0 "$SC_RC"
sc_tcpdump_stop tfull
out=$(tcpdump -n -r "$SC_TMP/tfull.pcap" 'udp and src host 198.18.0.1' 2>/dev/null | grep -c ' UDP, length 10$')
sc_check_eq "full: datagrams tcpdump saw" 300 "$out"
check_stats full
sc_check_eq "full: datagrams counted in flows and not tracked" 300 "$((IN_FLOWS + NOT_TRACKED))"
rows=$(sed -n -E 's/^([0-9]+) flows$/\1/p' "$SC_TMP/full.out")
# a preallocated hash map keeps an element per CPU besides its entries
[ "${rows:-0}" -ge 64 ] && [ "$rows" -le $((64 + $(nproc))) ] ||
	sc_fail "full: ${rows:-no} flows in a table of 64"
sc_check_eq "full: packets in flows (one a flow)" "$rows" "$IN_FLOWS"
warn=$(grep -c 'sockcap: the flow table is full (64 flows)' "$SC_TMP/full.err")
sc_check_eq "full: warnings" 1 "$warn"

sc_done
