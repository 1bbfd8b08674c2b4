#!/bin/sh
# t1063: a store cfgaudit creates has 64 KiB pages (an item sits in its
# table page instead of overflow pages), whatever command creates it; a
# store made with other pages keeps them through ingest and eval; a store
# converted by the VACUUM that man/cfgaudit-ingest.1 gives loads and reads
# the same rows.
. "$TOP_SRCDIR/tests/lib.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 not installed"
D="$TOP_SRCDIR/tests/data/eval"

page_size() { sqlite3 "$1" 'PRAGMA page_size'; }
rows() {
	sqlite3 "$1" "SELECT hex(item_key), configuration FROM items ORDER BY 1;
		SELECT hex(item_key), account_id, region, first_time, last_time
		FROM snapshot_presence ORDER BY 1, 2, 3, 4;
		SELECT hex(s.item_key), f.path FROM item_sources s JOIN files f USING (file_key)
		ORDER BY 1, 2;"
}
is_size() { # is_size DESCRIPTION DB SIZE
	got=$(page_size "$2")
	[ "$got" = "$3" ] && ok "$1" || not_ok "$1 (pages of $got bytes)"
}

check "ingest into a new store" cfgaudit --db "$T/new.db" --quiet ingest "$D"
is_size "a store ingest creates has 64 KiB pages" "$T/new.db" 65536
sqlite3 "$T/new.db" 'PRAGMA integrity_check' >"$T/ic"
check_grep "integrity_check of the new store" '^ok$' "$T/ic"

cfgaudit --db "$T/other.db" eval >/dev/null 2>&1
is_size "so has a store another command creates" "$T/other.db" 65536

# A store made with 4 KiB pages (as before) keeps them.
sqlite3 "$T/old.db" 'PRAGMA page_size=4096; VACUUM;'
check "ingest into a store with 4 KiB pages" cfgaudit --db "$T/old.db" --quiet ingest "$D"
is_size "an existing store keeps its page size" "$T/old.db" 4096
rows "$T/new.db" >"$T/new.rows"
rows "$T/old.db" >"$T/old.rows"
check_same "the same rows whatever the page size" "$T/new.rows" "$T/old.rows"
cfgaudit --db "$T/old.db" eval >/dev/null 2>&1
rc=$?
[ $rc -le 1 ] && ok "eval on the 4 KiB store" || not_ok "eval on the 4 KiB store exits $rc"
is_size "eval keeps the page size too" "$T/old.db" 4096

# The conversion the manual gives, then another load.
sqlite3 "$T/old.db" 'PRAGMA journal_mode=DELETE; PRAGMA page_size=65536; VACUUM;
	PRAGMA journal_mode=WAL' >/dev/null
is_size "the manual's VACUUM converts a store" "$T/old.db" 65536
check "ingest again after the conversion" cfgaudit --db "$T/old.db" --quiet ingest "$D"
rows "$T/old.db" >"$T/conv.rows"
check_same "the converted store holds the same rows" "$T/new.rows" "$T/conv.rows"
done_testing
