#!/bin/bash
# The bash completion (completion/sockcap), loaded into bash-completion as
# bash does it, completing command lines of the sockcap under test:
#  - the options after "-" are exactly those of sockcap --help (read by
#    cli_help.sh's reading of it, not the completion's), long ones that
#    take a value ending in "=";
#  - the values of -Q and --format, in either spelling (-Q x, --format=x),
#    are the ones sockcap accepts, and a word it refuses is not offered;
#  - interfaces after -i are those the kernel lists (ip link) and "any";
#  - files after -r, -w and -F, users after -Z (getent passwd);
#  - nothing after an option whose value is a number.
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

BASH_COMPLETION=${BASH_COMPLETION:-/usr/share/bash-completion/bash_completion}
if [ ! -r "$BASH_COMPLETION" ]; then
	sc_is_root && sc_die "$BASH_COMPLETION not found: apt-get install bash-completion"
	sc_skip "$BASH_COMPLETION not found (apt-get install bash-completion)"
fi
sc_need_cmd ip iproute2
sc_need_cmd getent libc-bin
sc_init

# Each case is a command line whose last word is being completed, given as
# bash splits it ("--format=x" is "--format" "=" "x"). All cases run in one
# bash with bash-completion loaded (loading it takes a while); case N's
# offers land in $SC_TMP/got.N, sorted, one a line, with a last line
# "nospace" when the completion asked for no space after the word.
ncase=0
declare -a case_what=() case_want=()
cases=$SC_TMP/cases
: >"$cases"
# check WHAT EXPECTED-FILE WORD...: a case, compared once all have run
check() {
	case_what[ncase]=$1
	cp "$2" "$SC_TMP/want.$ncase"
	shift 2
	printf '%q ' "$SOCKCAP" "$@" >>"$cases"
	echo >>"$cases"
	ncase=$((ncase + 1))
}
list() { printf '%s\n' "$@" | sort >"$SC_TMP/want"; }

run_cases() {
	bash --norc --noprofile -c '
		. "$1" && . "$2" || exit 1
		complete -p sockcap >/dev/null || exit 1
		compopt() { [ "$*" = "-o nospace" ] && nospace=1; }
		n=0
		while IFS= read -r line; do
			eval "COMP_WORDS=($line)"
			COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
			COMP_LINE=${COMP_WORDS[*]}
			COMP_LINE=${COMP_LINE// = /=}
			[[ $COMP_LINE == *" =" ]] && COMP_LINE=${COMP_LINE% =}=
			COMP_POINT=${#COMP_LINE}
			COMPREPLY=()
			nospace=
			_sockcap
			{
				[ ${#COMPREPLY[@]} -gt 0 ] && printf "%s\n" "${COMPREPLY[@]}" | sort
				[ -n "$nospace" ] && echo nospace
			} >"$3/got.$n"
			n=$((n + 1))
		done <"$3/cases"
	' run "$BASH_COMPLETION" "$srcdir/completion/sockcap" "$SC_TMP" ||
		sc_die "loading the completion failed"
	local i
	for ((i = 0; i < ncase; i++)); do
		cmp -s "$SC_TMP/want.$i" "$SC_TMP/got.$i" && continue
		sc_fail "${case_what[i]}: completions differ (- expected, + offered)"
		diff -u "$SC_TMP/want.$i" "$SC_TMP/got.$i" | sed '1,2d; s/^/  | /' >&2
	done
}

# ---------------------------------------------------------------- options
"$SOCKCAP" --help >"$SC_TMP/help" || sc_die "sockcap --help failed"
sed -n -E 's/^  (-[^ ,]+(, --[^ =[]+)?|    --[^ =[]+).*/\1/p' "$SC_TMP/help" |
	tr ',' '\n' | sed -E 's/^ +//; /^$/d' | sort -u >"$SC_TMP/help.opts"
[ "$(wc -l <"$SC_TMP/help.opts")" -ge 30 ] || sc_die "only $(wc -l <"$SC_TMP/help.opts") options in --help"
# every option, long ones that take a value ending in "=" (as --help shows
# them: "--interface=IFACE")
grep -E -o '^ +(-[^ ,]+, )?--[a-z-]+=' "$SC_TMP/help" | sed -E 's/.* //' >"$SC_TMP/want.eq"
sed 's/=$//' "$SC_TMP/want.eq" | grep -v -x -F -f - "$SC_TMP/help.opts" |
	cat - "$SC_TMP/want.eq" | sort >"$SC_TMP/want"
grep -q -x -e '--interface=' "$SC_TMP/want" || sc_die "no --interface=IFACE in --help"
check "-" "$SC_TMP/want" -
list --direction= nospace
check "--dir" "$SC_TMP/want" --dir
list --no-process --no-promiscuous-mode
check "--no-p" "$SC_TMP/want" --no-p

# ----------------------------------------------------------- value lists
# sockcap's own parser is the reference: every value offered is accepted,
# and the list is what the man page gives
for v in in out inout; do
	"$SOCKCAP" -Q "$v" -d ip >/dev/null 2>&1 || sc_fail "sockcap refuses -Q $v"
done
"$SOCKCAP" -Q sideways -d ip >/dev/null 2>&1 && sc_fail "sockcap accepts -Q sideways"
list in inout out
check "-Q ''" "$SC_TMP/want" -Q ''
check "--direction=''" "$SC_TMP/want" --direction = ''
list in inout
check "-Q in" "$SC_TMP/want" -Q in
for v in pcap pcapng; do
	"$SOCKCAP" --format="$v" -w "$SC_TMP/x" -d ip >/dev/null 2>&1 ||
		sc_fail "sockcap refuses --format=$v"
done
list pcap pcapng
check "--format=''" "$SC_TMP/want" --format = ''
check "--format=pcap" "$SC_TMP/want" --format = pcap

# ------------------------------------------------------------- interfaces
ip -o link show | sed -E 's/^[0-9]+: ([^:@]+).*/\1/' >"$SC_TMP/ifaces"
echo any >>"$SC_TMP/ifaces"
sort -o "$SC_TMP/ifaces" "$SC_TMP/ifaces"
grep -qx lo "$SC_TMP/ifaces" || sc_die "ip link lists no lo"
check "-i ''" "$SC_TMP/ifaces" -i ''
check "--interface=''" "$SC_TMP/ifaces" --interface = ''
grep '^l' "$SC_TMP/ifaces" >"$SC_TMP/want"
check "-i l" "$SC_TMP/want" -e -i l

# ------------------------------------------------------ files and users
mkdir "$SC_TMP/d" "$SC_TMP/d/cap-dir" && : >"$SC_TMP/d/cap-1.pcap" &&
	: >"$SC_TMP/d/cap-2.pcapng" && : >"$SC_TMP/d/other" || sc_die "cannot make files"
list "$SC_TMP/d/cap-1.pcap" "$SC_TMP/d/cap-2.pcapng" "$SC_TMP/d/cap-dir"
for o in -r -w -F; do
	check "$o FILE" "$SC_TMP/want" -i lo "$o" "$SC_TMP/d/cap"
done
getent passwd | cut -d: -f1 | grep '^r' | sort -u >"$SC_TMP/want"
grep -qx root "$SC_TMP/want" || sc_die "getent passwd lists no root"
check "-Z r" "$SC_TMP/want" -Z r
check "--relinquish-privileges=r" "$SC_TMP/want" --relinquish-privileges = r

# ------------------------------------------------- numbers, expressions
: >"$SC_TMP/none"
for o in -c -B -s -C -G -W; do
	check "$o ''" "$SC_TMP/none" "$o" ''
done
check "after -i lo (an expression)" "$SC_TMP/none" -i lo ''

run_cases
sc_done
