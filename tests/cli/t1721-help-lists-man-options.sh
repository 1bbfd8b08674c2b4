#!/bin/sh
# t1721: every option a command's man page documents (an OPTIONS entry,
# .TP then .B/.BI --name) is also listed in that command's --help.
. "$TOP_SRCDIR/tests/lib.sh"

for c in ingest resources history eval report audit diff bundle compare merge \
	coverage verify rules pack; do
	man="$TOP_SRCDIR/man/cfgaudit-$c.1"
	[ -f "$man" ] || { not_ok "$c: no man page"; continue; }
	cfgaudit "$c" --help >"$T/help" 2>/dev/null || { not_ok "$c --help"; continue; }
	missing=
	# "\-\-as\-of" in roff is "--as-of" on the page
	for o in $(awk '/^\.TP/ { getline; print }' "$man" |
		sed -n 's/^\.B[IR]* \(\\-\\-[a-z\\-]*\).*/\1/p' | sed 's/\\-/-/g' | sort -u); do
		grep -q -- "$o\\b" "$T/help" || missing="$missing $o"
	done
	[ -z "$missing" ] && ok "$c: every option of its man page is in --help" ||
		not_ok "$c: in the man page, not in --help:$missing"
done
done_testing
