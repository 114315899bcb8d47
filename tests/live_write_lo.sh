#!/bin/bash
# Capture files (-w) on the loopback interface of a namespace, checked
# against tcpdump -w and read back with tcpdump, tshark, capinfos and
# tests/pcapcheck.py (sc_pf).
#
# ICMP echo, UDP (one datagram of 60000 bytes, a single frame on lo), a
# TCP SYN, IPv4 and IPv6, while sockcap writes pcap and pcapng on lo:
# each packet once (loopback hands packets to taps leaving and arriving,
# and only the arrival is kept, as libpcap does), identical to tcpdump's
# file; pcapng marks every packet inbound, unicast, and ends with an
# interface statistics block that agrees with the statistics on stderr.
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"
. "$srcdir/tests/lib_write.sh"

sc_need_root
sc_need_cmd ip iproute2
sc_need_cmd sysctl procps
sc_need_cmd timeout coreutils
sc_need_cmd tcpdump tcpdump
sc_need_cmd tshark tshark
sc_need_cmd capinfos wireshark-common
sc_need_cmd "$SC_PYTHON" python3
sc_init
sc_write_init

# ================================================================ setup
sc_netns A wl
sc_netns_quiet "$A"
sc_start srvA "$A" "out:^ready" "$SC_PYTHON" "$SC_TG" serve :: 40100 40011 40013 40099

# ================================================================ capture
T0=$(date +%s%N)
start_tcpdump ltd "$A" lo
sc_sockcap lp "$A" -i lo -w "$SC_TMP/lo.pcap"
sc_sockcap ln "$A" -i lo -w "$SC_TMP/lo.pcapng"

# lo's MTU is 64 KiB: a datagram of 60000 bytes stays one frame
on_lo=(
	ping 127.0.0.1 127.0.0.1 4662 3 +
	udp 127.0.0.1 40050 127.0.0.1 40011 31 +
	udp 127.0.0.1 40050 127.0.0.1 40011 60000 +
	tcp 127.0.0.1 40051 127.0.0.1 40100 +
	ping ::1 ::1 4663 4 +
	udp ::1 40052 ::1 40013 33 +
	udp 127.0.0.1 40050 127.0.0.1 40099 5
)
sc_tg "$A" "${on_lo[@]}" || sc_die "traffic on lo failed"

# The last datagram is the marker: once every capture has it, they have
# everything before it.
lmarker='127\.0\.0\.1\.40050 > 127\.0\.0\.1\.40099: UDP, length 5$'
for f in ltd.pcap lo.pcap lo.pcapng; do
	sc_wait_for "the marker in $f" 60 sc_pcap_has "$lmarker" "$SC_TMP/$f"
done
for n in lp ln; do
	stop_sockcap "$n" INT
done
sc_tcpdump_stop ltd
T1=$(date +%s%N)

# ================================================================ lo
# Each packet once: loopback hands packets to taps leaving and arriving,
# and only the arrival is kept. On lo nothing runs in the background.
frames "$SC_TMP/ltd.pcap" "$SC_TMP/ltd.frames" || sc_die "cannot read tcpdump's lo file"
fields "$SC_TMP/ltd.pcap" "$SC_TMP/ltd.fields"
sizes_md5 "$SC_TMP/ltd.fields" >"$SC_TMP/ltd.sizes"
n_lo=$(sc_lines "$SC_TMP/ltd.fields")
sc_log "tcpdump saw $n_lo packets on lo"
lo_once() { # WHAT FRAMES_FILE
	local re
	for re in \
		'127.0.0.1 > 127.0.0.1: ICMP echo request, id 4662, seq 3, length 64' \
		'127.0.0.1 > 127.0.0.1: ICMP echo reply, id 4662, seq 3, length 64' \
		'127.0.0.1.40050 > 127.0.0.1.40011: UDP, length 31' \
		'127.0.0.1.40050 > 127.0.0.1.40011: UDP, length 60000' \
		'::1 > ::1: ICMP6, echo request, id 4663, seq 4, length 64' \
		'::1 > ::1: ICMP6, echo reply, id 4663, seq 4, length 64' \
		'::1.40052 > ::1.40013: UDP, length 33' \
		'127.0.0.1.40050 > 127.0.0.1.40099: UDP, length 5'; do
		sc_expect_line "$1: once" ": $(q "$re") \\| " "$2"
	done
	sc_expect_line "$1: the TCP SYN once" ': 127\.0\.0\.1\.40051 > 127\.0\.0\.1\.40100: Flags \[S\],' "$2"
}
lo_once tcpdump "$SC_TMP/ltd.frames"
for spec in lp:lo.pcap:pcap ln:lo.pcapng:pcapng; do
	IFS=: read -r n file fmt <<<"$spec"
	check_wstats "$n"
	sc_check_eq "$n: packets dropped" 0 "$W_DROP"
	sc_check_eq "$n: packets captured vs tcpdump on lo" "$n_lo" "$W_CAPT"
	check_wstderr "$n" lo "$SNAP"
	check_file "$n" "$SC_TMP/$file" "$fmt" "$SNAP" lo
	frames "$SC_TMP/$file" "$SC_TMP/$n.frames"
	sc_same_lines "$n: frames vs tcpdump -w on lo" "$SC_TMP/ltd.frames" "$SC_TMP/$n.frames"
	sizes_md5 "$SC_TMP/$n.fields" >"$SC_TMP/$n.sizes"
	sc_same_lines "$n: len, cap_len, MD5 vs tcpdump -w on lo" "$SC_TMP/ltd.sizes" "$SC_TMP/$n.sizes"
	lo_once "$n" "$SC_TMP/$n.frames"
	if [ "$fmt" = pcapng ]; then
		# arrivals only: in, addressed to lo (unicast)
		bad=$(awk -F '\t' '$2 != "0x00000001" || $3 != 1 { print NR ": " $2 " " $3; exit }' "$SC_TMP/$n.fields")
		[ -z "$bad" ] || sc_fail "$n: a packet on lo not 'inbound, unicast': packet $bad"
		check_isb "$n" "" 1
	fi
done

sc_done
