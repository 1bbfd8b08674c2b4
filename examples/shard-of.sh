#!/bin/sh
# shard-of.sh N ACCOUNT...: print "ACCOUNT K" for each account, K being the
# shard of N that 'cfgaudit ingest --shard K/N' assigns it to (the first
# 32 bits of the SHA-256 of the 12-digit id, modulo N). Used to fetch only
# a shard's prefixes of the log archive before ingest.
set -eu
n=$1
shift
for a in "$@"; do
	h=$(printf %s "$a" | sha256sum | cut -c1-8)
	echo "$a $((0x$h % n))"
done
