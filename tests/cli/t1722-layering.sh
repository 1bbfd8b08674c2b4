#!/bin/sh
# t1722: the source keeps the layering HACKING.md states.
# - A module includes only the headers of the modules its row of the
#   "Modules and layering" table says it may call (and its own).
# - No file outside src/store names a stored table (every table and view
#   src/store creates) in SQL: the store owns every statement on them.
. "$TOP_SRCDIR/tests/lib.sh"

SRC="$TOP_SRCDIR/src"
hacking="$TOP_SRCDIR/HACKING.md"
modules="util store ingest rules packs eval report bundle cli"

for m in $modules; do
	row=$(grep "^| \`src/$m/\` |" "$hacking")
	[ -n "$row" ] || { not_ok "$m: no row in HACKING.md's table"; continue; }
	allowed=$(printf '%s\n' "$row" | awk -F'|' '{ print $(NF - 1) }')
	case $allowed in *"any module"*) allowed=$modules ;; esac
	bad=
	for used in $(grep -rhoE '#include "[a-z]+/' "$SRC/$m" | sed 's/#include "//; s/\///' | sort -u); do
		[ "$used" = "$m" ] && continue
		case " $(printf '%s' "$allowed" | tr -d ',') " in
		*" $used "*) ;;
		*) bad="$bad $used($(grep -rlE "#include \"$used/" "$SRC/$m" | sed "s|$SRC/||" | tr '\n' ' '))" ;;
		esac
	done
	[ -z "$bad" ] && ok "$m includes only what it may call" ||
		not_ok "$m includes modules its row does not allow:$bad"
done

tables=$(cat "$SRC"/store/*.c |
	grep -oE "CREATE (TABLE|VIEW) (IF NOT EXISTS )?(main\.)?[a-z_]+" |
	awk '{ print $NF }' | sed 's/^main\.//' | sort -u)
[ "$(printf '%s\n' "$tables" | grep -cx 'items\|runs\|run_results\|files')" = 4 ] &&
	ok "the stored tables are read from src/store ($(printf '%s\n' "$tables" | wc -l) of them)" ||
	not_ok "cannot read the stored tables from src/store: $tables"
pat=$(printf '%s\n' "$tables" | paste -sd'|' -)
find "$SRC" -name '*.c' ! -path "$SRC/store/*" -print | sort |
	xargs grep -nE "(FROM|JOIN|INTO|UPDATE|TABLE|EXISTS)[[:space:]]+(main\.)?($pat)([^a-z_]|\$)" \
	>"$T/raw" 2>/dev/null
[ ! -s "$T/raw" ] && ok "no statement on a stored table outside src/store" ||
	not_ok "statements on stored tables outside src/store: $(sed "s|$SRC/||" "$T/raw" | head -5)"
done_testing
