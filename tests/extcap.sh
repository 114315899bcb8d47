#!/bin/bash
# sockcap as an extcap program of Wireshark, with tshark (Debian 12: 4.0),
# in a namespace of its own (lo and a veth pair):
#  - linked into the per-user extcap directory of a temporary home, tshark
#    -D lists sockcap-IFACE for every interface sockcap -D lists, and
#    tshark's preferences hold the settings --extcap-config gives;
#  - the answers' forms: the extcap and interface lines; dlt lines whose
#    number and name libpcap pairs the same way, the number being the link
#    type of sockcap -w's file; arg and value lines numbered in order;
#  - --extcap-capture-filter: nothing on stdout for a valid filter,
#    libpcap's message (as tcpdump -d gives it, for the interface's link
#    type) for an invalid one, exit status 0 both times;
#  - a capture through tshark with a capture filter (-f udp) and the
#    expression and snap length settings (-o extcap.sockcap_lo.*), while
#    other UDP and TCP traffic runs: exactly the packets that sockcap -w
#    writes for the same traffic, expression and snap length, byte for
#    byte; tshark reports no extcap error and the extcap process ends;
#  - the FIFO: its reader closing ends the capture, status 0, nothing on
#    stderr; SIGTERM ends it with status 0 and the statistics block last,
#    and before a reader came, with status 0 and nothing on stderr;
#  - without capabilities: status 1 and a message naming them; calls it
#    cannot answer (an unknown or extra argument, no interface or one not
#    sockcap's, --capture without --fifo, nothing asked): status 1 and one
#    line naming the problem.
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

sc_need_root
sc_need_cmd tshark tshark
sc_need_cmd tcpdump tcpdump
sc_need_cmd ip iproute2
sc_need_cmd timeout coreutils
sc_need_cmd setpriv util-linux
sc_need_cmd "$SC_PYTHON" python3
sc_init

sc_netns NS x
ip -n "$NS" link add v0 type veth peer name v1 || sc_die "cannot create a veth pair"

# Wireshark's per-user extcap directory (4.0: $XDG_CONFIG_HOME/wireshark/extcap)
export HOME=$SC_TMP/home XDG_CONFIG_HOME=$SC_TMP/home/.config
mkdir -p "$XDG_CONFIG_HOME/wireshark/extcap" || sc_die "cannot create the extcap directory"
ln -s "$SOCKCAP" "$XDG_CONFIG_HOME/wireshark/extcap/sockcap"
conf=$(timeout 60 tshark -G folders 2>/dev/null | sed -n -E 's/^Personal configuration:[[:space:]]*//p')
sc_check_eq "tshark's personal configuration directory" "$XDG_CONFIG_HOME/wireshark" "$conf"

nsx() { ip netns exec "$NS" timeout 60 "$@"; }
xc() { nsx "$SOCKCAP" "$@"; }
tsh() { nsx tshark "$@"; }

# ------------------------------------------------------------ interfaces
version=$("$SOCKCAP" --version | sed -n 's/^sockcap //p')
xc --extcap-interfaces --extcap-version=4.0 >"$SC_TMP/ifs" 2>"$SC_TMP/ifs.err"
sc_check_eq "--extcap-interfaces: exit status" 0 "$?"
[ -s "$SC_TMP/ifs.err" ] && sc_fail "--extcap-interfaces: stderr: $(head -c 200 "$SC_TMP/ifs.err")"
sc_check_eq "--extcap-interfaces: first line" "extcap {version=$version}{help=man:sockcap(8)}" \
	"$(head -n 1 "$SC_TMP/ifs")"
bad=$(tail -n +2 "$SC_TMP/ifs" | grep -v -E '^interface \{value=sockcap-[^{}]+\}\{display=[^{}]+\}$')
[ -z "$bad" ] && [ "$(wc -l <"$SC_TMP/ifs")" -gt 1 ] ||
	sc_fail "--extcap-interfaces: not interface lines: $(head -c 300 <<<"$bad")"
# what sockcap -D lists (every interface here is of a link type it captures)
want=$(xc -D | sed -E 's/^([0-9]+\.)?([^ ]+) .*/sockcap-\2/' | sort)
got=$(sed -n -E 's/^interface \{value=([^}]+)\}.*/\1/p' "$SC_TMP/ifs" | sort)
sc_check_eq "--extcap-interfaces: the interfaces of sockcap -D" "$(echo $want)" "$(echo $got)"
got=$(tsh -D 2>/dev/null | sed -n -E 's/^[0-9]+\. (sockcap-[^ ]+) \(sockcap: .*/\1/p' | sort)
sc_check_eq "tshark -D: sockcap's interfaces" "$(echo $want)" "$(echo $got)"

# ------------------------------------------------------------ link types
# libpcap pairs DLT numbers and names (pcap_datalink_val_to_name)
dlt_name() {
	"$SC_PYTHON" -c 'import ctypes, ctypes.util, sys
p = ctypes.CDLL(ctypes.util.find_library("pcap"))
p.pcap_datalink_val_to_name.restype = ctypes.c_char_p
n = p.pcap_datalink_val_to_name(int(sys.argv[1]))
print(n.decode() if n else "?")' "$1"
}
declare -A DLT
for i in lo any; do
	line=$(xc --extcap-interface "sockcap-$i" --extcap-dlts)
	sc_check_eq "--extcap-dlts sockcap-$i: exit status" 0 "$?"
	re='^dlt \{number=([0-9]+)\}\{name=([A-Z0-9_]+)\}\{display=[^{}]+\}$'
	if [[ $line =~ $re ]]; then
		DLT[$i]=${BASH_REMATCH[1]}
		sc_check_eq "--extcap-dlts sockcap-$i: libpcap's name of DLT ${DLT[$i]}" \
			"${BASH_REMATCH[2]}" "$(dlt_name "${DLT[$i]}")"
	else
		sc_fail "--extcap-dlts sockcap-$i: '$line'"
	fi
done
xc --extcap-interface sockcap-nosuch --extcap-dlts >/dev/null 2>"$SC_TMP/dlt.err"
sc_check_eq "--extcap-dlts for no interface: exit status" 1 "$?"
grep -q '^sockcap: nosuch: no such interface$' "$SC_TMP/dlt.err" ||
	sc_fail "--extcap-dlts for no interface: stderr '$(head -c 200 "$SC_TMP/dlt.err")'"
# calls it cannot answer: status 1 and one line naming the problem
bad_call() { # WHAT MESSAGE ARGS...
	local what=$1 msg=$2
	shift 2
	xc "$@" >/dev/null 2>"$SC_TMP/bad.err"
	sc_check_eq "$what: exit status" 1 "$?"
	[ "$(wc -l <"$SC_TMP/bad.err")" = 1 ] && grep -q -F -- "$msg" "$SC_TMP/bad.err" ||
		sc_fail "$what: stderr '$(head -c 200 "$SC_TMP/bad.err")', expected one line with '$msg'"
}
bad_call "an unknown argument" "unknown argument, or one that needs a value: '--bogus'" \
	--extcap-interface sockcap-lo --extcap-dlts --bogus
bad_call "an argument too many" "unexpected argument 'extra'" \
	--extcap-interface sockcap-lo --extcap-dlts extra
bad_call "no interface" "--extcap-interface is needed" --extcap-dlts
bad_call "an interface not sockcap's" "lo: not one of sockcap's interfaces (sockcap-IFACE)" \
	--extcap-interface lo --extcap-dlts
bad_call "--capture without --fifo" "--capture needs --fifo" --extcap-interface sockcap-lo --capture
bad_call "nothing asked" "nothing to do" --extcap-interface sockcap-lo

# ------------------------------------------------------------ settings
xc --extcap-interface sockcap-lo --extcap-config >"$SC_TMP/cfg"
sc_check_eq "--extcap-config: exit status" 0 "$?"
n=0 bad=
while read -r line; do
	if [[ $line =~ ^arg\ \{number=([0-9]+)\}\{call=--[a-z-]+\}(\{[a-z]+=[^{}]*\})+$ ]]; then
		[ "${BASH_REMATCH[1]}" = "$n" ] || bad+=" [$line: not number $n]"
		n=$((n + 1))
	elif [[ $line =~ ^value\ \{arg=([0-9]+)\}(\{[a-z]+=[^{}]*\})+$ ]]; then
		[ "${BASH_REMATCH[1]}" = $((n - 1)) ] || bad+=" [$line: not of arg $((n - 1))]"
	else
		bad+=" [$line]"
	fi
done <"$SC_TMP/cfg"
[ -z "$bad" ] || sc_fail "--extcap-config: malformed lines:$bad"
calls=$(sed -n -E 's/^arg .*\{call=--([a-z-]+)\}.*/\1/p' "$SC_TMP/cfg" | sort | tr '\n' ' ')
sc_check_eq "--extcap-config: the settings" \
	"buffer-size comm direction expression no-promiscuous-mode pid snapshot-length uid " "$calls"
# Wireshark's preferences: extcap.IFACE.SETTING, non-alphanumerics taken out
want=$(sed -n -E 's/^arg .*\{call=--([a-z-]+)\}.*/\1/p' "$SC_TMP/cfg" | tr -d '-' | sort | tr '\n' ' ')
got=$(tsh -G currentprefs 2>/dev/null |
	sed -n -E 's/^#extcap\.sockcap_lo\.([a-z]+):.*/\1/p' | sort | tr '\n' ' ')
sc_check_eq "tshark's preferences of sockcap-lo" "$want" "$got"

# ------------------------------------------------------------ capture filters
# filter_check IFACE FILTER LINKTYPE: the verdict must be tcpdump's
filter_check() {
	local want
	want=$(nsx tcpdump -y "$3" -i "$1" -d "$2" 2>&1 >/dev/null | grep -v '^tcpdump: data link type' |
		sed 's/^tcpdump: /sockcap: /')
	xc --extcap-interface "sockcap-$1" --extcap-capture-filter "$2" >"$SC_TMP/f.out" 2>"$SC_TMP/f.err"
	sc_check_eq "--extcap-capture-filter '$2' on $1: exit status" 0 "$?"
	sc_check_eq "--extcap-capture-filter '$2' on $1: stdout" "$want" "$(cat "$SC_TMP/f.out")"
	[ -s "$SC_TMP/f.err" ] && sc_fail "--extcap-capture-filter '$2' on $1: stderr: $(head -c 200 "$SC_TMP/f.err")"
}
filter_check lo 'udp port 47001' EN10MB
filter_check lo 'udp porrt 47001' EN10MB
filter_check lo 'ether host 02:00:00:00:00:01' EN10MB
filter_check any 'ether host 02:00:00:00:00:01' LINUX_SLL2
# the invalid ones must have said something, or the comparison proves nothing
xc --extcap-interface sockcap-lo --extcap-capture-filter 'udp porrt 1' | grep -q 'syntax error' ||
	sc_fail "--extcap-capture-filter: no syntax error reported"

# ------------------------------------------------------------ a capture through tshark
N=8
LEN=200
SNAP=96
# the extcap sockcap among tshark's descendants, once it has the FIFO open
# (it opens it after the socket is bound)
xpid=
find_extcap() {
	local p c f
	for p in "$1" $(cat /proc/"$1"/task/*/children 2>/dev/null); do
		for c in $(cat /proc/"$p"/task/*/children 2>/dev/null) "$p"; do
			[ "$(readlink "/proc/$c/exe" 2>/dev/null)" = "$(readlink -f "$SOCKCAP")" ] || continue
			for f in /proc/"$c"/fd/*; do
				case $(readlink "$f" 2>/dev/null) in
				*wireshark_extcap_sockcap-lo*) xpid=$c && return 0 ;;
				esac
			done
		done
	done
	return 1
}
gone() { ! sc_alive "$1"; }
# N datagrams to port 47001 among others to 47002 and TCP to 47001 (a
# refused connection: SYN, RST), all of LEN bytes of UDP payload
traffic() {
	ip netns exec "$NS" timeout 60 "$SC_PYTHON" -c 'import socket, sys
n, size = int(sys.argv[1]), int(sys.argv[2])
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(n):
    u.sendto(bytes([i]) * size, ("127.0.0.1", 47002))
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    t.connect_ex(("127.0.0.1", 47001))
    t.close()
    u.sendto(bytes([i]) * size, ("127.0.0.1", 47001))
for i in range(n):
    u.sendto(bytes([i]) * size, ("127.0.0.1", 47002))' "$N" "$LEN" || sc_fail "the traffic generator failed"
}

sc_sockcap ref "$NS" -i lo -s "$SNAP" -c "$N" -w "$SC_TMP/ref.pcapng" 'udp and port 47001'
sc_start ts "$NS" "err:^Capturing on" tshark -i sockcap-lo -f udp \
	-o 'extcap.sockcap_lo.expression:port 47001' -o "extcap.sockcap_lo.snapshotlength:$SNAP" \
	-a "packets:$N" -w "$SC_TMP/ts.pcapng"
sc_wait_for "the extcap sockcap to open tshark's FIFO" 60 find_extcap "${SC_CPID[ts]}" ||
	sc_die "no extcap capture: $(head -c 500 "$SC_TMP/ts.err")"
traffic
sc_wait ts 60 || sc_fail "tshark did not stop after $N packets"
sc_check_eq "tshark: exit status" 0 "$SC_RC"
# (tshark 4.0 ends every extcap capture with an empty "tshark: " line)
grep -q -E '^tshark: .' "$SC_TMP/ts.err" &&
	sc_fail "tshark reported: $(grep -E '^tshark: .' "$SC_TMP/ts.err" | head -c 300)"
sc_wait_for "the extcap sockcap to end with tshark" 30 gone "$xpid"
sc_wait ref 30 || sc_fail "sockcap -c $N did not stop"
sc_check_eq "sockcap -w: exit status" 0 "$SC_RC"

# the same packets, byte for byte: tcpdump's view of both files
tcpdump -r "$SC_TMP/ref.pcapng" -n -t -xx >"$SC_TMP/ref.txt" 2>/dev/null
tcpdump -r "$SC_TMP/ts.pcapng" -n -t -xx >"$SC_TMP/ts.txt" 2>/dev/null
n=$(grep -c -E '^IP 127\.0\.0\.1\.[0-9]+ > 127\.0\.0\.1\.47001: UDP, length '"$LEN"'$' "$SC_TMP/ts.txt")
sc_check_eq "tshark's file: UDP datagrams to port 47001" "$N" "$n"
sc_check_eq "tshark's file: packets" "$N" "$(grep -c '^IP' "$SC_TMP/ts.txt")"
cmp -s "$SC_TMP/ref.txt" "$SC_TMP/ts.txt" || {
	sc_fail "tshark's packets differ from sockcap -w's"
	diff "$SC_TMP/ref.txt" "$SC_TMP/ts.txt" | head -n 10 | sed 's/^/  | /' >&2
}
# the owners reach Wireshark: each datagram's comment names its sender
n=$(tshark -r "$SC_TMP/ts.pcapng" -Y 'frame.comment contains "peer_comm=python3 "' 2>/dev/null | wc -l)
sc_check_eq "tshark's file: datagrams whose comment names the python3 sender" "$N" "$n"
sc_pf "$SC_TMP/ts.pcapng" >"$SC_TMP/ts.pf"
sc_check_eq "tshark's file: packets of $SNAP bytes" "$N" \
	"$(grep -c -E "^pkt 0 [0-9]+ $SNAP $((LEN + 42)) " "$SC_TMP/ts.pf")"
sc_check_eq "tshark's file: the link type of --extcap-dlts" "${DLT[lo]}" \
	"$(sed -n -E 's/^idb 0 ([0-9]+) .*/\1/p' "$SC_TMP/ts.pf")"
sc_check_eq "sockcap -w's file: the link type of --extcap-dlts" "${DLT[lo]}" \
	"$(sc_pf "$SC_TMP/ref.pcapng" | sed -n -E 's/^idb 0 ([0-9]+) .*/\1/p')"

# ------------------------------------------------------------ the FIFO's two ends
mkfifo "$SC_TMP/fifo" || sc_die "mkfifo failed"
# the reader closes: after the header, and after some packets
sc_start x1 "$NS" "" "$SOCKCAP" --capture --extcap-interface sockcap-lo --fifo "$SC_TMP/fifo" \
	--extcap-capture-filter 'udp port 47001'
ip netns exec "$NS" timeout 60 "$SC_PYTHON" -c 'import socket, sys, time
f = open(sys.argv[1], "rb", 0)
f.read(28)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(3):
    u.sendto(b"x" * 10, ("127.0.0.1", 47001))
time.sleep(0.3)
f.read(64)
f.close()
for i in range(3):
    u.sendto(b"x" * 10, ("127.0.0.1", 47001))' "$SC_TMP/fifo" || sc_fail "the FIFO's reader failed"
sc_wait x1 30 || sc_fail "the reader closed the FIFO: sockcap went on"
sc_check_eq "the reader closed the FIFO: exit status" 0 "$SC_RC"
[ -s "$SC_TMP/x1.err" ] && sc_fail "the reader closed the FIFO: stderr: $(head -c 300 "$SC_TMP/x1.err")"

# SIGTERM: the capture ends with the statistics block
sc_start x2 "$NS" "" "$SOCKCAP" --capture --extcap-interface sockcap-lo --fifo "$SC_TMP/fifo" \
	--extcap-capture-filter 'udp port 47001'
sc_start cat "" "" cat "$SC_TMP/fifo"
sc_wait_for "the extcap capture's header" 60 test -s "$SC_TMP/cat.out"
ip netns exec "$NS" timeout 60 "$SC_PYTHON" -c 'import socket
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(3):
    u.sendto(b"x" * 10, ("127.0.0.1", 47001))'
three() { [ "$(sc_pf "$SC_TMP/cat.out" | grep -c '^pkt ')" -ge 3 ]; }
sc_wait_for "3 packets through the FIFO" 30 three
sc_stop x2 TERM
sc_check_eq "SIGTERM: exit status" 0 "$SC_RC"
[ -s "$SC_TMP/x2.err" ] && sc_fail "SIGTERM: stderr: $(head -c 300 "$SC_TMP/x2.err")"
sc_wait cat 10
sc_pf "$SC_TMP/cat.out" >"$SC_TMP/cat.pf"
sc_check_eq "SIGTERM: the last block" "last isb" "$(grep '^last ' "$SC_TMP/cat.pf")"
sc_check_eq "SIGTERM: packets delivered, as the statistics block says" "isb_usrdeliv 0 3" \
	"$(grep '^isb_usrdeliv ' "$SC_TMP/cat.pf")"

# SIGTERM while sockcap waits for a reader to open the FIFO (Wireshark
# cancelling before its capture started): status 0, nothing on stderr
sc_start x3 "$NS" "" "$SOCKCAP" --capture --extcap-interface sockcap-lo --fifo "$SC_TMP/fifo"
in_open() { [ "$(cut -d ' ' -f 1 "/proc/${SC_CPID[x3]}/syscall" 2>/dev/null)" = 257 ]; } # openat
sc_wait_for "sockcap opening the FIFO" 60 in_open
sc_stop x3 TERM
sc_check_eq "SIGTERM before the FIFO's reader: exit status" 0 "$SC_RC"
[ -s "$SC_TMP/x3.err" ] && sc_fail "SIGTERM before the FIFO's reader: stderr: $(head -c 300 "$SC_TMP/x3.err")"

# ------------------------------------------------------------ no capabilities
nsx setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	"$SOCKCAP" --capture --extcap-interface sockcap-lo --fifo "$SC_TMP/fifo" \
	>"$SC_TMP/np.out" 2>"$SC_TMP/np.err"
sc_check_eq "without capabilities: exit status" 1 "$?"
grep -q -E '^sockcap: permission denied: .*missing CAP_BPF and CAP_NET_RAW' "$SC_TMP/np.err" ||
	sc_fail "without capabilities: stderr '$(head -c 300 "$SC_TMP/np.err")'"

sc_done
