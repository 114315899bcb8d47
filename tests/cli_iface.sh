#!/bin/bash
# Interface errors, in a namespace of the test's own: a name that does not
# exist, an empty or over-long name, an interface that is down, and no -i
# when no interface is up; -d and -dd check them too. Each stops sockcap with exit status 1, nothing on
# stdout and one line "sockcap: ..." on stderr: never a fallback to every
# interface (ifindex 0) or to some other one.
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

sc_need_root
sc_need_cmd ip iproute2
sc_need_cmd timeout coreutils
sc_init

sc_netns N n
ip -n "$N" link add vdown type veth peer name vdown2 ||
	sc_die "cannot create a veth pair (kernel without veth?)"
out=$SC_TMP/out err=$SC_TMP/err

# bad WHAT NEEDLE... -- ARGS...: exit 1, one line naming every NEEDLE.
bad() {
	local what=$1 first needles=()
	shift
	while [ "$1" != -- ]; do
		needles+=("$1")
		shift
	done
	shift
	ip netns exec "$N" timeout 30 "$SOCKCAP" "$@" >"$out" 2>"$err" </dev/null
	sc_check_eq "$what: exit status" 1 "$?"
	[ -s "$out" ] && sc_fail "$what: printed on stdout: $(head -n 3 "$out")"
	sc_check_eq "$what: lines on stderr" 1 "$(sc_lines "$err")"
	first=$(head -n 1 "$err")
	case $first in
	"sockcap: "*) ;;
	*) sc_fail "$what: stderr '$first' does not start with 'sockcap: '" ;;
	esac
	for n in "${needles[@]}"; do
		[[ $first == *"$n"* ]] || sc_fail "$what: error '$first' does not say '$n'"
	done
}

bad "no such interface" nosuchif0 -- -i nosuchif0
bad "no such interface, long option" nosuchif0 -- --interface=nosuchif0 -c 1
bad "empty interface name" -- -i ''
bad "interface name longer than IFNAMSIZ" aaaaaaaaaaaaaaaaaaaaaaaa -- -i aaaaaaaaaaaaaaaaaaaaaaaa
bad "interface that is down" vdown down -- -i vdown
bad "no interface up and no -i" "no interface" -- -c 1
# -d compiles for the interfaces' link: it checks them as a capture does
bad "-d, no such interface" nosuchif0 -- -d -i nosuchif0 udp
bad "-d, interface that is down" vdown down -- -d -i vdown udp
bad "-dd, any with another -i" any -- -dd -i any -i lo udp

# the same with the interface up: now it captures (the failures above were
# about the interface, not about running here)
ip -n "$N" link set vdown up && ip -n "$N" link set vdown2 up || sc_die "cannot bring up vdown"
sc_sockcap up "$N" -i vdown
sc_stop up TERM
sc_check_eq "interface up: exit status after SIGTERM" 0 "$SC_RC"
sc_check_stderr "interface up" "$SC_TMP/up.err"

sc_done
