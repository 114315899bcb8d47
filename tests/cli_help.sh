#!/bin/bash
# The option table against its documents: --help is the saved one
# (tests/golden/help.txt), and the man page's OPTIONS section describes
# exactly the options --help lists, short and long, no more, no fewer.
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

sc_need_cmd timeout coreutils
sc_init

help=$SC_TMP/help
timeout 30 "$SOCKCAP" --help >"$help" 2>"$SC_TMP/err"
sc_check_eq "--help: exit status" 0 "$?"
[ -s "$SC_TMP/err" ] && sc_fail "--help: stderr: $(head -c 200 "$SC_TMP/err")"
cmp -s "$srcdir/tests/golden/help.txt" "$help" || {
	sc_fail "--help differs from tests/golden/help.txt"
	diff -u "$srcdir/tests/golden/help.txt" "$help" | head -n 20 | sed 's/^/  | /' >&2
}

# the options of --help: the first column of each option line (-dd is -d
# twice, which the man page lists as it is)
sed -n -E 's/^  (-[^ ,]+(, --[^ =[]+)?|    --[^ =[]+).*/\1/p' "$help" |
	tr ',' '\n' | sed -E 's/^ +//; s/=.*//; /^$/d' | sort -u >"$SC_TMP/help.opts"
# the options the man page's OPTIONS section describes: the tag line after
# each .TP, groff's \- made plain, and -tt ... -ttttt taken as -t
sed -n '/^\.SH OPTIONS/,/^\.SH /p' "$srcdir/man/sockcap.8" |
	awk 'tag { print; tag = 0 } /^\.TP/ { tag = 1 }' |
	sed 's/\\-/-/g' | grep -o -E '(^|[ "])--?[A-Za-z][-A-Za-z]*' |
	sed -E 's/^[ "]//; s/^-t+$/-t/' | sort -u >"$SC_TMP/man.opts"

[ "$(wc -l <"$SC_TMP/help.opts")" -ge 30 ] ||
	sc_fail "--help: only $(wc -l <"$SC_TMP/help.opts") options found"
missing=$(comm -23 "$SC_TMP/help.opts" "$SC_TMP/man.opts" | tr '\n' ' ')
extra=$(comm -13 "$SC_TMP/help.opts" "$SC_TMP/man.opts" | tr '\n' ' ')
[ -z "$missing" ] || sc_fail "options in --help that the man page does not describe: $missing"
[ -z "$extra" ] || sc_fail "options the man page describes that --help does not list: $extra"

sc_done
