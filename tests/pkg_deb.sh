#!/bin/bash
# The Debian package, from make deb to purge (make check-deb; root):
#  - make deb builds sockcap_VERSION_ARCH.deb, VERSION being the one
#    configure and debian/changelog give; lintian finds no error in it
#    (its warnings are shown);
#  - installed with dpkg -i (refused if any of its files exists already),
#    it is the sockcap that was built (--version), man finds its page, and
#    it captures on lo;
#  - debconf's default leaves the program root:root 0755 without file
#    capabilities and makes no group; the answer "yes" makes the group
#    sockcap, the override root:sockcap 0754 and the capabilities, with
#    which a member of the group captures and names processes while anyone
#    else cannot run the program; "no" again undoes it;
#  - dpkg -r leaves none of the files dpkg -L listed, nor the override;
#    dpkg --purge removes the group and the debconf answers.
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

sc_need_root
sc_need_cmd dpkg-buildpackage dpkg-dev
sc_need_cmd dh debhelper
sc_need_cmd lintian lintian
sc_need_cmd man man-db
sc_need_cmd runuser util-linux
sc_need_cmd getcap libcap2-bin
sc_need_cmd debconf-set-selections debconf
sc_need_cmd timeout coreutils
sc_need_cmd "$SC_PYTHON" python3
sc_init

export DEBIAN_FRONTEND=noninteractive
PROGRAM=/usr/bin/sockcap
version=$(dpkg-parsechangelog -l "$srcdir/debian/changelog" -S Version) ||
	sc_die "cannot read debian/changelog"
upstream=$("$SOCKCAP" --version | sed -n -E 's/^sockcap ([^ ]+).*/\1/p')
sc_check_eq "debian/changelog's version vs sockcap --version" "$upstream" "$version"
arch=$(dpkg --print-architecture)
deb=$PWD/sockcap_${version}_$arch.deb
changes=$PWD/sockcap_${version}_$arch.changes
installed=

phase_t=$(date +%s)
phase() {
	local now
	now=$(date +%s)
	sc_log "$1 ($((now - phase_t)) s)"
	phase_t=$now
}

# If the test installed the package and fails halfway, purge it again.
pkg_cleanup() {
	if [ -n "$installed" ] && dpkg-query -W -f '${Status}' sockcap 2>/dev/null | grep -q installed; then
		dpkg --purge sockcap >/dev/null 2>&1
	fi
}
trap 'rc=$?; pkg_cleanup; sc_cleanup $rc; exit $rc' EXIT

if dpkg-query -W -f '${Status}' sockcap 2>/dev/null | grep -q installed; then
	sc_die "a sockcap package is installed already; remove it first (dpkg --purge sockcap)"
fi

# ------------------------------------------------------------------ build
rm -f "$deb" "$changes"
if ! make deb >"$SC_TMP/build.log" 2>&1; then
	tail -n 40 "$SC_TMP/build.log" | sed 's/^/  | /' >&2
	sc_die "make deb failed"
fi
[ -f "$deb" ] || sc_die "make deb made no $deb: $(tail -n 5 "$SC_TMP/build.log")"
phase "make deb built ${deb##*/}"

# ---------------------------------------------------------------- lintian
lintian --fail-on error "$changes" >"$SC_TMP/lintian" 2>&1
rc=$?
grep -v 'running with root privileges' "$SC_TMP/lintian" | sed 's/^/  lintian: /'
sc_log "lintian: $(grep -c -E '^[EWIPX]: ' "$SC_TMP/lintian") tag(s), exit status $rc"
[ "$rc" -eq 0 ] || sc_fail "lintian found errors (exit $rc)"
grep -q '^E: ' "$SC_TMP/lintian" && sc_fail "lintian: $(grep -c '^E: ' "$SC_TMP/lintian") error(s)"
phase "lintian"

# ---------------------------------------------------------------- install
# Refuse to overwrite what is there without the package.
dpkg-deb -c "$deb" | awk '$1 !~ /^d/ { print $6 }' | sed 's/^\.//' >"$SC_TMP/files"
grep -qx "$PROGRAM" "$SC_TMP/files" || sc_die "the package has no $PROGRAM"
while read -r f; do
	if [ -e "$f" ] || [ -L "$f" ]; then
		sc_die "$f exists outside the package; not installing over it"
	fi
done <"$SC_TMP/files"
# Start from debconf's default, whatever an earlier install answered.
echo PURGE | debconf-communicate sockcap >/dev/null 2>&1
installed=1
dpkg -i "$deb" >"$SC_TMP/dpkg-i" 2>&1 || {
	sed 's/^/  | /' "$SC_TMP/dpkg-i" >&2
	sc_die "dpkg -i failed"
}
dpkg -L sockcap | sort >"$SC_TMP/listed"
phase "dpkg -i"

sc_check_eq "sockcap --version" "sockcap $version" "$("$PROGRAM" --version 2>&1 | head -n 1)"
man_page=$(man -w sockcap 2>&1)
grep -qx "$man_page" "$SC_TMP/listed" || sc_fail "man -w sockcap: '$man_page', not a file of the package"
compdir=$(pkg-config --variable=completionsdir bash-completion 2>/dev/null)
grep -qx "${compdir:-/usr/share/bash-completion/completions}/sockcap" "$SC_TMP/listed" ||
	sc_fail "the package has no bash completion in ${compdir:-/usr/share/bash-completion/completions}"
grep -q -E '^/usr/share/doc/sockcap/README\.md(\.gz)?$' "$SC_TMP/listed" ||
	sc_fail "the package has no README.md"
# Wireshark's extcap directory: a link to the program
xlink=/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/wireshark/extcap/sockcap
grep -qx "$xlink" "$SC_TMP/listed" && [ "$(readlink -f "$xlink")" = "$(readlink -f "$PROGRAM")" ] ||
	sc_fail "the package has no extcap link $xlink to $PROGRAM"
sc_check_eq "owner and mode by default" "root:root 755" "$(stat -c '%U:%G %a' "$PROGRAM")"
sc_check_eq "file capabilities by default" "" "$(getcap "$PROGRAM")"
getent group sockcap >/dev/null && sc_fail "the group sockcap exists after a default install"

# capture COMMAND...: COMMAND captures 3 UDP datagrams to a port of its own
# on lo; their lines are checked, and the sender is named (it prints its pid
# before it sends).
port=$((42000 + $$ % 1000))
capture() {
	local name=cap$((++ncap)) pid n
	sc_start "$name" "" "err:^sockcap: listening on " "$@" -i lo -c 3 "udp port $port" ||
		return 1
	pid=$(timeout 30 "$SC_PYTHON" -c '
import os, socket, sys
print(os.getpid(), flush=True)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for n in range(3):
    s.sendto(b"d" * (20 + n), ("127.0.0.1", int(sys.argv[1])))
' "$port") || sc_die "the sender failed"
	if ! sc_wait "$name" 30; then
		sc_fail "$name: sockcap -c 3 still running after 3 datagrams"
		sc_stop "$name" KILL
	fi
	sc_check_eq "$name: exit status" 0 "$SC_RC"
	for n in 20 21 22; do
		sc_expect_line "$name: datagram of $n bytes" \
			"IP 127\.0\.0\.1\.[0-9]+ > 127\.0\.0\.1\.$port: UDP, length $n\$" "$SC_TMP/$name.out"
	done
	grep -q -F "python3[$pid]" "$SC_TMP/$name.out" ||
		sc_fail "$name: the sender python3[$pid] is not named: $(head -n 1 "$SC_TMP/$name.out")"
	grep 'process attribution off' "$SC_TMP/$name.err" &&
		sc_fail "$name: process attribution is off"
	return 0
}
ncap=0
capture "$PROGRAM"
phase "capture as root"

# ------------------------------------------------ the group, yes and no
reconfigure() { # true|false
	echo "sockcap sockcap/capture-group boolean $1" | debconf-set-selections &&
		dpkg-reconfigure sockcap >"$SC_TMP/reconf" 2>&1 || {
		sed 's/^/  | /' "$SC_TMP/reconf" >&2
		sc_die "dpkg-reconfigure ($1) failed"
	}
}
reconfigure true
getent group sockcap >/dev/null || sc_fail "no group sockcap after yes"
sc_check_eq "owner and mode after yes" "root:sockcap 754" "$(stat -c '%U:%G %a' "$PROGRAM")"
sc_check_eq "statoverride after yes" "root sockcap 754 $PROGRAM" \
	"$(dpkg-statoverride --list "$PROGRAM" | awk '{ print $1, $2, $3 + 0, $4 }')"
caps=$(getcap "$PROGRAM" | sed -E 's/^[^ ]+ //')
sc_check_eq "file capabilities after yes" "cap_bpf,cap_net_admin,cap_net_raw,cap_perfmon=ep" \
	"$(sed -E 's/=.*//' <<<"$caps" | tr ',' '\n' | sort | paste -s -d, -)=${caps#*=}"
[ -u "$PROGRAM" ] || [ -g "$PROGRAM" ] && sc_fail "$PROGRAM is setuid or setgid"

# A member of the group captures with the file capabilities alone, and
# anyone else cannot run the program. (runuser, unlike setpriv, leaves the
# user no capability of root's, such as CAP_DAC_OVERRIDE.)
capture runuser -u nobody -g nogroup -G sockcap -- "$PROGRAM"
out=$(runuser -u nobody -g nogroup -- "$PROGRAM" --version 2>&1) &&
	sc_fail "a user outside the group runs sockcap: $out"
grep -q 'Permission denied' <<<"$out" || sc_fail "outside the group: '$out', not 'Permission denied'"
phase "yes: capture as a member of the group"

reconfigure false
sc_check_eq "owner and mode after no" "root:root 755" "$(stat -c '%U:%G %a' "$PROGRAM")"
sc_check_eq "statoverride after no" "" "$(dpkg-statoverride --list "$PROGRAM")"
sc_check_eq "file capabilities after no" "" "$(getcap "$PROGRAM")"
# yes again, for removal and purge to undo
reconfigure true
sc_check_eq "owner and mode after yes again" "root:sockcap 754" "$(stat -c '%U:%G %a' "$PROGRAM")"
phase "no, yes again"

# ------------------------------------------------------ remove and purge
dpkg -r sockcap >"$SC_TMP/dpkg-r" 2>&1 || sc_fail "dpkg -r: $(tail -n 3 "$SC_TMP/dpkg-r")"
while read -r f; do
	if [ "$f" = /. ]; then
		continue
	elif [ -d "$f" ] && [ ! -L "$f" ]; then
		# a directory may stay only while another package has it too
		dpkg -S "$f" >/dev/null 2>&1 || sc_fail "dpkg -r left the directory $f"
	elif [ -e "$f" ] || [ -L "$f" ]; then
		sc_fail "dpkg -r left $f"
	fi
done <"$SC_TMP/listed"
sc_check_eq "statoverride after dpkg -r" "" "$(dpkg-statoverride --list "$PROGRAM")"
getent group sockcap >/dev/null || sc_fail "dpkg -r removed the group (purge should)"
dpkg --purge sockcap >"$SC_TMP/dpkg-purge" 2>&1 || sc_fail "dpkg --purge: $(tail -n 3 "$SC_TMP/dpkg-purge")"
getent group sockcap && sc_fail "the group sockcap remains after purge"
dpkg-query -W sockcap >/dev/null 2>&1 && sc_fail "dpkg still knows sockcap after purge"
[ -z "$(debconf-show sockcap 2>/dev/null)" ] || sc_fail "debconf answers remain: $(debconf-show sockcap)"
installed=
phase "dpkg -r, dpkg --purge"

sc_done
