#!/bin/sh
# t1502-bundle-sign: 'bundle --sign KEY' signs SHA256SUMS with an Ed25519
# key (reproducibly), and 'verify --key PUB' fails on any change to any
# byte -- including the attack that checksums alone miss (edit a report,
# recompute SHA256SUMS), a swapped-in signature and key of another key
# pair, and a changed signature. Also runs the plain-tools check that
# cfgaudit-verify(1) documents, command for command.
. "$TOP_SRCDIR/tests/lib.sh"

MKDB="$TOP_BUILDDIR/tests/unit/test_report_mkdb"
D="$TOP_SRCDIR/tests/data/report"
TAMPER="$D/tamper.py"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not found"
command -v openssl >/dev/null 2>&1 || skip_all "openssl not found"
[ -x "$MKDB" ] || skip_all "test_report_mkdb not built"
openssl genpkey -algorithm ed25519 -out "$T/key.pem" 2>/dev/null ||
	skip_all "openssl cannot make Ed25519 keys"
openssl pkey -in "$T/key.pem" -pubout -out "$T/pub.pem" || bail_out "cannot write the public key"
echo probe >"$T/probe"
openssl pkeyutl -sign -inkey "$T/key.pem" -rawin -in "$T/probe" -out "$T/probe.sig" 2>/dev/null ||
	skip_all "openssl pkeyutl has no -rawin (OpenSSL 3.0 or later needed)"
openssl genpkey -algorithm ed25519 -out "$T/other.pem" 2>/dev/null || bail_out "second key"
openssl pkey -in "$T/other.pem" -pubout -out "$T/other-pub.pem" || bail_out "second public key"
"$MKDB" "$CFGAUDIT_DB" "$D/fixture.sql" "$D/bundle.sql" || bail_out "cannot build the database"
TOP=cfgaudit-run-2

# ---- writing ----
check "bundle --sign" cfgaudit bundle --sign "$T/key.pem" -o "$T/s.tar.gz"
check_grep "  names the key's fingerprint" 'signed with the Ed25519 key .*SHA-256 [0-9a-f]{64}' \
	"$T/err"
check "sign the same run again" cfgaudit bundle --sign "$T/key.pem" -o "$T/s2.tar.gz"
if cmp -s "$T/s.tar.gz" "$T/s2.tar.gz"; then ok "same run, same key: same bytes"; else
	not_ok "same run, same key: same bytes"; fi
check "signed zip" cfgaudit bundle --sign "$T/key.pem" -o "$T/s.zip"
check "signed zip again" cfgaudit bundle --sign "$T/key.pem" -o "$T/s2.zip"
if cmp -s "$T/s.zip" "$T/s2.zip"; then ok "zip: same bytes"; else not_ok "zip: same bytes"; fi
cfgaudit bundle -o "$T/u.tar.gz" 2>/dev/null || bail_out "cannot write an unsigned bundle"
cfgaudit bundle --sign "$T/other.pem" -o "$T/o.tar.gz" 2>/dev/null || bail_out "cannot sign"
if cmp -s "$T/s.tar.gz" "$T/o.tar.gz"; then not_ok "another key, other bytes"; else
	ok "another key, other bytes"; fi

tar tzf "$T/s.tar.gz" >"$T/list"
tar tzf "$T/u.tar.gz" >"$T/want"
printf '%s\n' "$TOP/SHA256SUMS.sig" "$TOP/signer.pub.pem" >>"$T/want"
sort -o "$T/want" "$T/want"
check_same "signed = unsigned members + SHA256SUMS.sig + signer.pub.pem" "$T/want" "$T/list"
mkdir "$T/x"
tar xzf "$T/s.tar.gz" -C "$T/x"
R="$T/x/$TOP"
if [ "$(wc -c <"$R/SHA256SUMS.sig")" -eq 64 ]; then ok "the signature is 64 raw bytes"; else
	not_ok "the signature is 64 raw bytes"; fi
check_same "signer.pub.pem is the signer's public key" "$T/pub.pem" "$R/signer.pub.pem"
check_grep "SHA256SUMS lists signer.pub.pem" '^[0-9a-f]{64}  signer\.pub\.pem$' "$R/SHA256SUMS"
if grep -q 'SHA256SUMS.sig' "$R/SHA256SUMS"; then not_ok "SHA256SUMS does not list the signature"
else ok "SHA256SUMS does not list the signature"; fi

# ---- bad keys: exit 2, nothing written, an existing file kept ----
openssl genpkey -algorithm rsa -pkeyopt rsa_keygen_bits:2048 -out "$T/rsa.pem" 2>/dev/null ||
	bail_out "cannot make an RSA key"
openssl pkey -in "$T/rsa.pem" -pubout -out "$T/rsa-pub.pem"
check_exit "an RSA key for --sign" 2 cfgaudit bundle --sign "$T/rsa.pem" -o "$T/bad.tar.gz"
check_grep "  is named as such" 'type RSA, not an Ed25519 private key' "$T/err"
if [ -e "$T/bad.tar.gz" ]; then not_ok "  and nothing is written"; else ok "  and nothing is written"; fi
echo keep >"$T/keep.tar.gz"
check_exit "a public key for --sign" 2 cfgaudit bundle --sign "$T/pub.pem" -o "$T/keep.tar.gz"
check_grep "  is named as such" 'not a PEM private key' "$T/err"
check_same "  and the existing file is unchanged" /dev/stdin "$T/keep.tar.gz" <<'EOF2'
keep
EOF2
check_exit "a missing key file" 2 cfgaudit bundle --sign "$T/none.pem" -o "$T/bad.tar.gz"
check_grep "  cannot be read" 'cannot read the key' "$T/err"
echo 'not a key' >"$T/junk.pem"
check_exit "a file that is no key" 2 cfgaudit bundle --sign "$T/junk.pem" -o "$T/bad.tar.gz"
if openssl genpkey -algorithm ed25519 -aes256 -pass pass:secret -out "$T/enc.pem" 2>/dev/null; then
	check_exit "an encrypted key (no prompt)" 2 cfgaudit bundle --sign "$T/enc.pem" \
		-o "$T/bad.tar.gz" </dev/null
	check_grep "  is named as such" 'private key is encrypted' "$T/err"
fi
if [ -e "$T/bad.tar.gz" ]; then not_ok "no bundle from any bad key"; else ok "no bundle from any bad key"; fi
check_exit "--sign needs a value" 2 cfgaudit bundle -o "$T/bad.tar.gz" --sign

# ---- verifying ----
check_exit "verify --key with the signer's key" 0 cfgaudit verify --key "$T/pub.pem" "$T/s.tar.gz"
check_grep "  says the signature is ok" 'signature ok: signed by' "$T/out"
check_exit "the signed zip too" 0 cfgaudit verify --key "$T/pub.pem" "$T/s.zip"
check_exit "verify without --key" 0 cfgaudit verify "$T/s.tar.gz"
check_grep "  says the signature was not checked against a trusted key" \
	'signed, but the signature was not checked against a trusted key' "$T/out"
check_exit "an unsigned bundle still verifies without --key" 0 cfgaudit verify "$T/u.tar.gz"
if grep -q sign "$T/out"; then not_ok "  and says nothing of signatures"; else
	ok "  and says nothing of signatures"; fi
check_exit "an unsigned bundle fails with --key" 2 cfgaudit verify --key "$T/pub.pem" "$T/u.tar.gz"
check_grep "  as not signed" 'the bundle is not signed' "$T/err"
check_exit "another key pair's bundle fails with --key" 2 \
	cfgaudit verify --key "$T/pub.pem" "$T/o.tar.gz"
check_exit "a private key for --key" 2 cfgaudit verify --key "$T/key.pem" "$T/s.tar.gz"
check_exit "an RSA public key for --key" 2 cfgaudit verify --key "$T/rsa-pub.pem" "$T/s.tar.gz"
check_grep "  is named as such" 'not an Ed25519 public key' "$T/err"
check_exit "a missing --key file" 2 cfgaudit verify --key "$T/none.pem" "$T/s.tar.gz"
check_exit "--key needs a value" 2 cfgaudit verify "$T/s.tar.gz" --key

# The attack checksums alone miss: edit a report, recompute SHA256SUMS.
# edit_resum BUNDLE DIR: extract into DIR, edit reports/report.csv, write
# the matching checksums to DIR/TOP/SHA256SUMS.new.
edit_resum() {
	mkdir "$2" && tar xzf "$1" -C "$2" && (cd "$2/$TOP" &&
		sed 's/NON_COMPLIANT/COMPLIANT/' reports/report.csv >../csv.new &&
		mv ../csv.new reports/report.csv && cut -c67- SHA256SUMS | xargs sha256sum \
		>SHA256SUMS.new) || bail_out "cannot edit $1"
	cmp -s "$R/reports/report.csv" "$2/$TOP/reports/report.csv" && bail_out "the edit changed nothing"
	python3 "$TAMPER" replace "$1" "$T/t.tar.gz" \
		"$TOP/reports/report.csv" "$2/$TOP/reports/report.csv" \
		"$TOP/SHA256SUMS" "$2/$TOP/SHA256SUMS.new"
}
edit_resum "$T/u.tar.gz" "$T/yu"
check_exit "unsigned: edited report + recomputed SHA256SUMS passes the checksums" 0 \
	cfgaudit verify "$T/t.tar.gz"
edit_resum "$T/s.tar.gz" "$T/y"
check_exit "signed: the same edit fails verify --key" 2 cfgaudit verify --key "$T/pub.pem" "$T/t.tar.gz"
check_grep "  on the signature" "SHA256SUMS.sig' of SHA256SUMS does not verify with the key" \
	"$T/err"
check_exit "  and fails verify without --key (the embedded key)" 2 cfgaudit verify "$T/t.tar.gz"

# The same, re-signed by an attacker with their own key pair: consistent in
# itself (so verify without --key passes), but not the trusted signer's.
(cd "$T/y/$TOP" && cp "$T/other-pub.pem" signer.pub.pem &&
	cut -c67- SHA256SUMS | xargs sha256sum >SHA256SUMS.forged) || bail_out "cannot forge"
openssl pkeyutl -sign -inkey "$T/other.pem" -rawin -in "$T/y/$TOP/SHA256SUMS.forged" \
	-out "$T/y/forged.sig" || bail_out "cannot sign with openssl"
python3 "$TAMPER" replace "$T/s.tar.gz" "$T/t.tar.gz" \
	"$TOP/reports/report.csv" "$T/y/$TOP/reports/report.csv" \
	"$TOP/SHA256SUMS" "$T/y/$TOP/SHA256SUMS.forged" \
	"$TOP/SHA256SUMS.sig" "$T/y/forged.sig" \
	"$TOP/signer.pub.pem" "$T/other-pub.pem"
check_exit "re-signed by another key: self-consistent without --key" 0 cfgaudit verify "$T/t.tar.gz"
check_grep "  (and only said to be unchecked)" 'not checked against a trusted key' "$T/out"
check_exit "re-signed by another key: fails with the signer's --key" 2 \
	cfgaudit verify --key "$T/pub.pem" "$T/t.tar.gz"

# Another key pair's signature and public key swapped into the real bundle.
mkdir "$T/o"
tar xzf "$T/o.tar.gz" -C "$T/o"
python3 "$TAMPER" replace "$T/s.tar.gz" "$T/t.tar.gz" \
	"$TOP/SHA256SUMS.sig" "$T/o/$TOP/SHA256SUMS.sig" \
	"$TOP/signer.pub.pem" "$T/o/$TOP/signer.pub.pem"
check_exit "another pair's signature and public key: fails with --key" 2 \
	cfgaudit verify --key "$T/pub.pem" "$T/t.tar.gz"
check_exit "  and without --key (signer.pub.pem no longer matches SHA256SUMS)" 2 \
	cfgaudit verify "$T/t.tar.gz"
python3 "$TAMPER" replace "$T/s.tar.gz" "$T/t.tar.gz" "$TOP/SHA256SUMS.sig" "$T/o/$TOP/SHA256SUMS.sig"
check_exit "another key's signature alone: fails with --key" 2 \
	cfgaudit verify --key "$T/pub.pem" "$T/t.tar.gz"
check_exit "  and without" 2 cfgaudit verify "$T/t.tar.gz"

# One flipped byte anywhere: every member, the signature included.
python3 "$TAMPER" list "$T/s.tar.gz" >"$T/members"
while read -r m; do
	python3 "$TAMPER" flip "$T/s.tar.gz" "$T/t.tar.gz" "$m"
	check_exit "flipped byte in $m fails verify --key" 2 \
		cfgaudit verify --key "$T/pub.pem" "$T/t.tar.gz"
done <"$T/members"
python3 "$TAMPER" flip "$T/s.tar.gz" "$T/t.tar.gz" "$TOP/SHA256SUMS.sig"
check_exit "flipped signature byte fails verify --key" 2 cfgaudit verify --key "$T/pub.pem" "$T/t.tar.gz"
check_grep "  the signature's flip is named" 'SHA256SUMS.sig.*does not verify' "$T/err"
check_exit "  and fails without --key too" 2 cfgaudit verify "$T/t.tar.gz"
python3 "$TAMPER" remove "$T/s.tar.gz" "$T/t.tar.gz" "$TOP/SHA256SUMS.sig"
check_exit "a removed signature fails with --key" 2 cfgaudit verify --key "$T/pub.pem" "$T/t.tar.gz"
check_exit "  and without (signer.pub.pem but no signature)" 2 cfgaudit verify "$T/t.tar.gz"
head -c 63 "$R/SHA256SUMS.sig" >"$T/short.sig"
python3 "$TAMPER" replace "$T/s.tar.gz" "$T/t.tar.gz" "$TOP/SHA256SUMS.sig" "$T/short.sig"
check_exit "a truncated signature fails" 2 cfgaudit verify --key "$T/pub.pem" "$T/t.tar.gz"
# Changes to the archive around the members (corrupt or appended bytes,
# data after the tar's end) are caught before the signature is looked at,
# signed or not: t1501 tests them.

# ---- the plain-tools check of cfgaudit-verify(1), command for command ----
# The commands are taken from the man page's example, so the documented
# commands are the ones tested.
sed -n '/^\.SH CHECKING A BUNDLE WITH PLAIN TOOLS/,/^\.SH /p' \
	"$TOP_SRCDIR/man/cfgaudit-verify.1" | sed -n '/^\.EX/,/^\.EE/p' | sed '1d;$d' |
	sed "s/\\\\(aq/'/g; s/\\\\-/-/g; s/\\\\e/\\\\/g" >"$T/plain.sh"
check_grep "the man page shows the openssl check" \
	'^openssl pkeyutl -verify -pubin -inkey \.\./\.\./pub\.pem -rawin -in SHA256SUMS -sigfile SHA256SUMS\.sig$' \
	"$T/plain.sh"
# plain_check BUNDLE: the documented steps, with BUNDLE as evidence.tar.gz
# and the signer's key as pub.pem in the current directory; exit 0 when
# all pass. Output in $T/plain.
plain_check() {
	rm -rf "$T/check" "$T/listed" "$T/found"
	cp "$1" "$T/evidence.tar.gz"
	(cd "$T" && sh -e "$T/plain.sh") >"$T/plain" 2>&1
}
plain_check "$T/s.tar.gz"
check_exit "plain tools accept the signed bundle" 0 sh -c 'exit '$?
check_grep "  openssl says so" '^Signature Verified Successfully' "$T/plain"
cfgaudit verify --key "$T/pub.pem" "$T/s.tar.gz" >"$T/out" 2>&1
fp=$(sed -n 's/.*public key SHA-256 \([0-9a-f]*\).*/\1/p' "$T/out")
check_grep "  the fingerprint openssl gives is the one verify prints" "^$fp  -\$" "$T/plain"
edit_resum "$T/s.tar.gz" "$T/z"
plain_check "$T/t.tar.gz"
check_exit "plain tools reject the edited, re-summed bundle" 1 sh -c 'exit '$?
check_grep "  at the signature" 'Signature Verification Failure' "$T/plain"
python3 "$TAMPER" add "$T/s.tar.gz" "$T/t.tar.gz" reports/extra.txt
plain_check "$T/t.tar.gz"
check_exit "plain tools reject an added member" 1 sh -c 'exit '$?

done_testing
