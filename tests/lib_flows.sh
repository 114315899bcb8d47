# Helpers of the tests of --flows; source after lib.sh.

FL=$srcdir/tests/flows.py
fl() { "$SC_PYTHON" "$FL" "$@"; }

# stat FILE WHAT: N of the last statistics line "N WHAT" in FILE (WHAT an
# extended regular expression)
stat() { sed -n -E "s/^([0-9]+) $2\$/\\1/p" "$1" | tail -n 1; }

# sc_flow_row OUT PORT: the final table's TCP row in OUT whose originator
# has port PORT, into ROW_STATE, ROW_RTT and ROW_RETX; 1 if there is none.
sc_flow_row() {
	local row
	row=$(fl row "$1" tcp "$2") || return 1
	read -r ROW_STATE ROW_RTT ROW_RETX <<<"$row"
}

# sc_tshark_rtt PCAP PORT: tshark's initial RTT (the first SYN to the ACK
# completing the handshake) of the connection from PORT, in seconds.
sc_tshark_rtt() {
	tshark -n -r "$1" -Y "tcp.srcport == $2 && tcp.analysis.initial_rtt" \
		-T fields -e tcp.analysis.initial_rtt 2>/dev/null | sed -n 1p
}

# sc_check_dropped_syn WHAT OUT PCAP PORT: the connection from PORT lost
# its first SYN: closed in order, its handshake time marked ambiguous, two
# SYNs in PCAP, and its retransmissions as tshark counts them.
sc_check_dropped_syn() {
	local what=$1 out=$2 pcap=$3 port=$4 n
	sc_flow_row "$out" "$port" || { sc_fail "$what: no flow from port $port"; return; }
	sc_log "$what (port $port): $ROW_STATE, RTT $ROW_RTT, retransmissions $ROW_RETX"
	sc_check_eq "$what: state" CLOSED "$ROW_STATE"
	[[ $ROW_RTT == *ms\? ]] || sc_fail "$what: RTT '$ROW_RTT' is not marked ambiguous"
	n=$(tshark -n -r "$pcap" -Y "tcp.srcport == $port && tcp.flags.syn == 1" 2>/dev/null | wc -l)
	sc_check_eq "$what: SYNs in tcpdump's file" 2 "$n"
	n=$(tshark -n -r "$pcap" -Y "tcp.port == $port && tcp.analysis.retransmission" 2>/dev/null | wc -l)
	sc_check_eq "$what: retransmissions, as tshark counts them" "$n" "$ROW_RETX"
}
