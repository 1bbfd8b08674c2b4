#!/bin/sh
# t1900: evidence files (AWSLogs/<account>/Evidence/<region>/<service>/
# <operation>/<time>.json[.gz]). Good ones load with their provenance and
# are skipped when unchanged; an error answer is evidence too; a call
# cfgaudit does not read is kept and listed as unused (exit 0); a bad file
# (account, name without a time, credential report header, damaged JSON)
# is rejected whole with its path and offset, exit 2, the rest kept.
. "$TOP_SRCDIR/tests/lib.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 not installed"
q() { sqlite3 "$CFGAUDIT_DB" "$1"; }

A="$T/in/AWSLogs/111122223333/Evidence"
mkdir -p "$A/global/iam/get-credential-report" "$A/global/iam/get-account-password-policy" \
	"$A/global/iam/list-ssh-public-keys" "$A/us-east-1/guardduty/list-detectors" \
	"$T/in/AWSLogs/1234/Evidence/global/iam/get-account-summary"
hdr='user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated'
row='<root_account>,arn:aws:iam::111122223333:root,2020-01-01T00:00:00+00:00,not_supported,2026-11-30T10:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A'
b64() { base64 | tr -d '\n'; }
printf '{"Content": "%s", "ReportFormat": "text/csv", "GeneratedTime": "2026-12-01T05:58:00+00:00"}\n' \
	"$(printf '%s\n%s\n' "$hdr" "$row" | b64)" >"$A/global/iam/get-credential-report/20261201T060000Z.json"
echo '{"Error": {"Code": "NoSuchEntity", "Message": "The Password Policy with domain name 111122223333 cannot be found."}}' |
	gzip -n >"$A/global/iam/get-account-password-policy/20261201T060000Z.json.gz"
echo '{"DetectorIds": ["12abc34d567e8fa901bc2d34e56789f0"]}' >"$A/us-east-1/guardduty/list-detectors/20261201T060000Z.json"
echo '{"SSHPublicKeys": []}' >"$A/global/iam/list-ssh-public-keys/20261201T060000Z.json"

check_exit "good evidence and a call cfgaudit does not read: exit 0" 0 cfgaudit ingest "$T/in"
cp "$T/err" "$T/err.ingest"
# Evidence is no configuration data: captured after the archive, it does
# not move the default as-of time (the archive would look stale).
check "the evidence and the sample archive in another database" \
	cfgaudit --db "$T/ev2.db" --quiet ingest "$T/in" "$TESTDATA"
check "coverage at the default as-of" cfgaudit --db "$T/ev2.db" coverage --format json
check_grep "the as-of time is the archive's last delivery, not the evidence's capture" \
	'"AsOf": "2026-11-07T' "$T/out"
cp "$T/err.ingest" "$T/err"
check_grep "the unread call is named" \
	"list-ssh-public-keys/20261201T060000Z.json: warning: evidence of 'iam list-ssh-public-keys', a call cfgaudit does not read: kept, unused" "$T/err"
check "four evidence files recorded with digest and capture time" \
	test "$(q "SELECT count(*) FROM files WHERE kind = 'Evidence' AND status = 'loaded'
		AND length(sha256) = 64 AND delivered_at = '2026-12-01T06:00:00.000Z'
		AND account_id = '111122223333'")" -eq 4
check "the error answer is kept as evidence" \
	test "$(q "SELECT error_code FROM evidence_calls WHERE operation = 'get-account-password-policy'")" = NoSuchEntity
check "region and service from the path" \
	test "$(q "SELECT region || ' ' || service || ' ' || known FROM evidence_calls WHERE operation = 'list-detectors'")" = "us-east-1 guardduty 1"
check_exit "coverage lists the calls" 0 cfgaudit coverage --as-of 2026-12-01T12:00:00Z
check_grep "unused call listed" "111122223333 +global +iam list-ssh-public-keys +2026-12-01T06:00:00Z +unused" "$T/out"
check_grep "fresh call listed" "111122223333 +global +iam get-credential-report +2026-12-01T06:00:00Z +fresh" "$T/out"
check_exit "coverage two days later" 0 cfgaudit coverage --as-of 2026-12-03T12:00:00Z --format json
check_grep "stale after max-age" '"Status": "stale"' "$T/out"

check_exit "ingest again: exit 0" 0 cfgaudit ingest "$T/in"
check_grep "unchanged files skipped" ' 0 files loaded, .* 4 files skipped' "$T/err"

# Bad files.
echo '{"SummaryMap": {"AccountMFAEnabled": 1}}' >"$T/in/AWSLogs/1234/Evidence/global/iam/get-account-summary/20261201T060000Z.json"
echo '{"SummaryMap": {}}' >"$A/global/iam/get-credential-report/latest.json"
printf '{"Content": "%s"}\n' "$(printf 'user,arn,mfa\nbob,x,true\n' | b64)" \
	>"$A/global/iam/get-credential-report/20261202T060000Z.json"
printf '{"PasswordPolicy": {"MinimumPasswordLength": 14,\n "RequireSymbols": tru' | gzip -n \
	>"$A/global/iam/get-account-password-policy/20261202T060000Z.json.gz"
echo '{"Error": "AccessDenied"}' >"$A/us-east-1/guardduty/list-detectors/20261202T060000Z.json"
check_exit "bad evidence files: exit 2" 2 cfgaudit ingest "$T/in"
check_grep "account not 12 digits" "AWSLogs/1234/Evidence/.*: error: evidence account '1234' is not a 12-digit AWS account id" "$T/err"
check_grep "no time in the name" "get-credential-report/latest.json: error: evidence file name 'latest.json' has no capture time" "$T/err"
check_grep "credential report header" "get-credential-report/20261202T060000Z.json: byte 0: error: credential report header is not AWS's: column 3 is 'mfa', expected 'user_creation_time'" "$T/err"
check_grep "damaged JSON: path and byte offset" "get-account-password-policy/20261202T060000Z.json.gz: byte [0-9]+: error: not JSON" "$T/err"
check_grep "error answer of the wrong shape" "list-detectors/20261202T060000Z.json: byte 0: error: an error answer must be" "$T/err"
check_grep "summary counts" ' 0 files loaded, .* 4 files skipped .* 5 files failed' "$T/err"
check "five failed rows, nothing of them in evidence_calls" \
	test "$(q "SELECT count(*) FROM files f WHERE kind = 'Evidence' AND status = 'failed'
		AND error <> '' AND NOT EXISTS (SELECT 1 FROM evidence_calls e WHERE e.file_key = f.file_key)")" -eq 5
check "the good evidence is still there" \
	test "$(q "SELECT count(*) FROM evidence_calls")" -eq 4

# AWS's own verdicts kept in the evidence tree are Config data, placed by
# the path (cfgaudit-compare(1)): not evidence.
V="$T/v/AWSLogs/111122223333/Evidence/us-east-1/config/get-compliance-details-by-config-rule"
mkdir -p "$V"
echo '{"EvaluationResults": [{"EvaluationResultIdentifier": {"EvaluationResultQualifier": {"ConfigRuleName": "s3-bucket-versioning-enabled", "ResourceType": "AWS::S3::Bucket", "ResourceId": "acme-logs", "EvaluationMode": "DETECTIVE"}, "OrderingTimestamp": "2026-11-20T11:44:58.100000+00:00"}, "ComplianceType": "NON_COMPLIANT", "ResultRecordedTime": "2026-11-20T11:45:00.412000+00:00"}]}' \
	>"$V/20261201T060000Z.json"
check_exit "a verdict answer in the evidence tree loads" 0 cfgaudit ingest "$T/v"
check "as AWS's verdicts of the path's account and region" \
	test "$(q "SELECT kind || ' ' || account_id || ' ' || region FROM files WHERE path LIKE '%get-compliance-details%'")" = "AwsVerdicts 111122223333 us-east-1"
done_testing
