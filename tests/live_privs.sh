#!/bin/bash
# Privileges and promiscuous mode:
#  - once capturing, sockcap holds no capability at all (CapInh, CapPrm,
#    CapEff, CapAmb zero, no_new_privs set), and capture still works;
#  - CAP_BPF and CAP_NET_RAW alone are enough to capture;
#  - without them (user nobody, or root with only one of the two) it stops
#    with exit status 1 and one line naming what is missing;
#  - the interface is promiscuous while sockcap runs, not with -p, and not
#    after sockcap exits.
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

sc_need_root
sc_need_cmd ip iproute2
sc_need_cmd sysctl procps
sc_need_cmd timeout coreutils
sc_need_cmd setpriv util-linux
sc_need_cmd "$SC_PYTHON" python3
sc_init
sc_quiet_link

line_re='^[0-9:.]+ vA P   IP 198\.18\.0\.2\.40000 > 198\.18\.0\.99\.40001: UDP, length 6$'
send() { sc_tg "$B" udp 198.18.0.2 40000 198.18.0.99 40001 6 "$1" || sc_die "sender failed"; }

# promisc: "1 N" if vA has IFF_PROMISC (0x100) set, "0 N" if not; N is the
# kernel's promiscuity count.
promisc() {
	local flags count
	flags=$(ip netns exec "$A" cat /sys/class/net/vA/flags) || return 1
	count=$(ip -n "$A" -d -o link show dev vA | sed -n -E 's/.* promiscuity ([0-9]+) .*/\1/p')
	echo "$(((flags & 0x100) != 0)) ${count:-?}"
}

# ------------------------------------------------ capabilities dropped
sc_sockcap full "$A" -i vA
pid=${SC_CPID[full]}
for f in CapInh CapPrm CapEff CapAmb; do
	v=$(sed -n -E "s/^$f:[[:space:]]+([0-9a-f]+)$/\1/p" "/proc/$pid/status")
	sc_check_eq "$f of a capturing sockcap" 0000000000000000 "$v"
done
v=$(sed -n -E 's/^NoNewPrivs:[[:space:]]+([0-9]+)$/\1/p' "/proc/$pid/status")
sc_check_eq "NoNewPrivs of a capturing sockcap" 1 "$v"
sc_check_eq "promiscuous mode while sockcap runs without -p (IFF_PROMISC, promiscuity)" "1 1" "$(promisc)"
send 3
sc_wait_for "3 lines after the capabilities were dropped" 60 sc_has_lines 3 "$SC_TMP/full.out"
sc_stop full TERM
sc_check_eq "exit status after SIGTERM" 0 "$SC_RC"
sc_expect_line "lines captured without capabilities" "$line_re" "$SC_TMP/full.out" 3
sc_check_stats "without capabilities" "$SC_TMP/full.err" "$SC_TMP/full.out"
sc_check_stderr "without capabilities" "$SC_TMP/full.err"
sc_check_eq "promiscuous mode after sockcap exited" "0 0" "$(promisc)"

# ------------------------------------------------ -p
sc_sockcap nop "$A" -i vA -p
sc_check_eq "promiscuous mode while sockcap -p runs" "0 0" "$(promisc)"
send 2
sc_wait_for "2 lines with -p" 60 sc_has_lines 2 "$SC_TMP/nop.out"
sc_stop nop TERM
sc_check_eq "-p: exit status after SIGTERM" 0 "$SC_RC"
sc_expect_line "-p: lines" "$line_re" "$SC_TMP/nop.out" 2
sc_check_stderr "-p" "$SC_TMP/nop.err"

# ------------------------------------------------ CAP_BPF + CAP_NET_RAW only
if SC_SOFT=1 sc_start min "$A" "err:^sockcap: listening on " \
	setpriv --inh-caps=-all --bounding-set=-all,+bpf,+net_raw "$SOCKCAP" -i vA; then
	send 2
	sc_wait_for "2 lines with only CAP_BPF and CAP_NET_RAW" 60 sc_has_lines 2 "$SC_TMP/min.out"
	sc_stop min TERM
	sc_check_eq "CAP_BPF+CAP_NET_RAW: exit status after SIGTERM" 0 "$SC_RC"
	sc_expect_line "CAP_BPF+CAP_NET_RAW: lines" "$line_re" "$SC_TMP/min.out" 2
	# capturing goes on without process attribution, which says why once
	sc_check_eq "CAP_BPF+CAP_NET_RAW: why attribution is off" \
		"sockcap: process attribution off: it needs CAP_PERFMON and CAP_NET_ADMIN (missing CAP_PERFMON and CAP_NET_ADMIN)" \
		"$(grep 'attribution off' "$SC_TMP/min.err")"
	grep -v '^sockcap: process attribution off: ' "$SC_TMP/min.err" >"$SC_TMP/min.err2"
	sc_check_stderr "CAP_BPF+CAP_NET_RAW" "$SC_TMP/min.err2"
else
	sc_fail "sockcap does not capture with only CAP_BPF and CAP_NET_RAW, the capabilities it asks for"
fi

# ------------------------------------------------ refused without them
# nobody must be able to run the binary: use a copy in a readable place
chmod 755 "$SC_TMP"
mkdir -p "$SC_TMP/bin" && cp "$SOCKCAP" "$SC_TMP/bin/sockcap" &&
	chmod 755 "$SC_TMP/bin" "$SC_TMP/bin/sockcap" || sc_die "cannot copy $SOCKCAP"

# refused WHAT MISSING_RE SETPRIV_ARGS...
refused() {
	local what=$1 re=$2 out=$SC_TMP/refused.out err=$SC_TMP/refused.err rc
	shift 2
	ip netns exec "$A" timeout 60 setpriv "$@" "$SC_TMP/bin/sockcap" -i vA \
		>"$out" 2>"$err" </dev/null
	rc=$?
	sc_check_eq "$what: exit status" 1 "$rc"
	[ -s "$out" ] && sc_fail "$what: printed on stdout: $(head -n 3 "$out")"
	sc_check_eq "$what: lines on stderr" 1 "$(sc_lines "$err")"
	grep -q -E -e "^sockcap: .*CAP_BPF.*CAP_NET_RAW.*\\(missing $re\\)" "$err" ||
		sc_fail "$what: stderr '$(head -n 3 "$err")' does not name CAP_BPF and CAP_NET_RAW with '(missing $re)'"
}
refused "user nobody" "CAP_BPF and CAP_NET_RAW" \
	--reuid=65534 --regid=65534 --clear-groups --inh-caps=-all
refused "root with only CAP_NET_RAW" "CAP_BPF" --inh-caps=-all --bounding-set=-all,+net_raw
refused "root with only CAP_BPF" "CAP_NET_RAW" --inh-caps=-all --bounding-set=-all,+bpf
sc_check_eq "promiscuous mode at the end" "0 0" "$(promisc)"

sc_done
