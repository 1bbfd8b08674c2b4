#!/bin/sh
# t1251: the kept point-in-time state (STORE-pitstate, cfgaudit(1) FILES)
# damaged between a full run and the nightly eval --since-run that reuses
# it: random bytes, truncated at several points, zero length, pages
# zeroed, one bit flipped, a directory, a FIFO or an unreadable file in its place, a
# symbolic or hard link to another file. Each nightly run gives the full
# run's results resource by resource (or fails loudly, nothing stored),
# leaves a state of its own or none, and never writes through a link
# (a store a link named was overwritten with the state).
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/since-lib.sh"
. "$TOP_SRCDIR/tests/cli/pitstate-lib.sh"
command -v python3 >/dev/null || skip_all "python3 not installed"
pit_setup 1251
size=$(wc -c <"$T/good.pit")
pages=$((size / 4096))

# The control: the kept state as the full run left it is used.
cp "$T/good.pit" "$kept"
pit_nightly "intact" 1
check "intact: the state is built from the kept one" test "$prior" = 1
pit_kept_ok "intact"
pit_restore
cp "$T/good.pit" "$kept"
pit_nightly "intact (--jobs 2)" 2
check "intact (--jobs 2): the state is built from the kept one" test "$prior" = 1
pit_restore

# damaged DESC: a nightly run on the file at $kept (made by the caller),
# --jobs 1 and 2; the file was not the full run's state: never used.
damaged() {
	cp -p "$kept" "$T/damaged.pit"
	for j in 1 2; do
		pit_restore
		cp -p "$T/damaged.pit" "$kept"
		pit_nightly "$1 (--jobs $j)" $j
		check "$1 (--jobs $j): not built from it" test "$prior" = 0
		pit_kept_ok "$1 (--jobs $j)"
	done
	pit_restore
}
head -c "$size" /dev/urandom >"$kept"
damaged "random bytes"
: >"$kept"
damaged "zero length"
for cut in 16 100 4096 $((size / 2)) $((size - 4096)) $((size - 1)); do
	head -c "$cut" "$T/good.pit" >"$kept"
	damaged "truncated to $cut of $size bytes"
done
for page in 1 2 $((pages / 2)) $((pages - 1)) "$pages"; do
	cp "$T/good.pit" "$kept"
	dd if=/dev/zero of="$kept" bs=4096 seek=$((page - 1)) count=1 conv=notrunc 2>/dev/null
	damaged "page $page of $pages zeroed"
done
# One bit flipped, in a page SQLite reads or in bytes it never reads
# (the file's digest covers every byte but its own eight): never used.
for at in 30 63 $((size / 3)) $((size / 2 + 777)) $((size - 5)); do
	cp "$T/good.pit" "$kept"
	python3 -c 'import sys
with open(sys.argv[1], "r+b") as f:
    at = int(sys.argv[2]); f.seek(at); b = f.read(1); f.seek(at); f.write(bytes([b[0] ^ 16]))' \
		"$kept" "$at"
	damaged "one bit flipped at byte $at of $size"
done
head -c 100 "$T/good.pit" >"$kept"
head -c $((size - 100)) /dev/urandom >>"$kept"
damaged "a state's header, then random bytes"

# Not a regular file.
mkdir "$kept"
cp "$T/good.pit" "$kept/x"
pit_nightly "a directory in its place" 1
check "  it is left as it was" cmp "$T/good.pit" "$kept/x"
pit_kept_ok "a directory in its place"
pit_restore
if mkfifo "$kept" 2>/dev/null; then
	pit_nightly "a FIFO in its place" 1
	pit_kept_ok "a FIFO in its place"
	pit_restore
fi
# Unreadable: root reads it anyway, so then the runs are nobody's.
cp "$T/good.pit" "$kept"
chmod 000 "$kept"
if [ "$(id -u)" -ne 0 ]; then
	pit_nightly "an unreadable file" 1
elif command -v setpriv >/dev/null; then
	chown 65534:65534 "$T" "$CFGAUDIT_DB" "$kept"
	pit_nightly "an unreadable file (as nobody)" 1 \
		setpriv --reuid=65534 --regid=65534 --clear-groups "$CFGAUDIT_BIN"
	chown 0:0 "$T"
else
	ok "# SKIP an unreadable file: root without setpriv"
fi
pit_restore

# Links: the file a link names is never written; the state this run
# keeps replaces the link.
cp "$T/base.db" "$T/other.db"
ln -s "$T/other.db" "$kept"
pit_nightly "a symbolic link to another store" 1
check "  that store is untouched" cmp "$T/base.db" "$T/other.db"
pit_kept_ok "a symbolic link to another store"
pit_restore
cp "$T/good.pit" "$T/elsewhere.pit"
ln -s "$T/elsewhere.pit" "$kept"
pit_nightly "a symbolic link to a good state elsewhere" 1
check "  that file is untouched" cmp "$T/good.pit" "$T/elsewhere.pit"
pit_kept_ok "a symbolic link to a good state elsewhere"
pit_restore
cp "$T/base.db" "$T/other.db"
ln "$T/other.db" "$kept"
pit_nightly "a hard link to another store" 2
check "  that store is untouched" cmp "$T/base.db" "$T/other.db"
pit_kept_ok "a hard link to another store"
pit_restore
ln -s "$T/nowhere.pit" "$kept"
pit_nightly "a dangling symbolic link" 1
check "  nothing is made where it points" test ! -e "$T/nowhere.pit"
pit_kept_ok "a dangling symbolic link"
# A full run too replaces a link, not what it names.
pit_restore
cp "$T/base.db" "$T/other.db"
ln -s "$T/other.db" "$kept"
cfgaudit eval --jobs 1 >"$T/out" 2>&1
inc=$(since_run_of)
check "a full run with a link in place: that store is untouched" cmp "$T/base.db" "$T/other.db"
pit_kept_ok "a full run with a link in place"

done_testing
