#!/usr/bin/env bash
# SQL only through prepared statements (issue 7), checked on the source:
# SQLite is called from src/store/ only; no statement text is ever built at
# run time (no sqlite3_exec, no *printf into SQL); every prepare takes the
# constant query table (sqlite_q[]), a string literal, or the tail of the
# constant migration text. Values reach SQL through sqlite3_bind_* only.
set -u
. "$(dirname "$0")/lib.sh"
cd "$XR_ROOT" || exit 1

out=$(grep -rnE 'sqlite3_[a-z_0-9]+ *\(' src cli --include='*.c' |
  grep -v '^src/store/')
check_eq "SQLite is called from src/store/ only" "$out" ""

out=$(grep -rnE 'sqlite3_(exec|mprintf|vmprintf|snprintf|vsnprintf|get_table)\b' \
  src cli --include='*.c')
check_eq "no sqlite3_exec and no SQL built with printf" "$out" ""

# every prepare: the first argument after the handle is a literal, the
# constant table, or the migration tail (whose start is a literal)
bad=$(grep -nE -A1 'sqlite3_prepare(_v2|_v3)? *\(' src/store/*.c |
  awk '/sqlite3_prepare/ { line = $0; getline nxt; line = line " " nxt
         sub(/.*sqlite3_prepare(_v2|_v3)? *\( *[a-z_>.-]+, */, "", line)
         if (line !~ /^("|sqlite_q\[|tail,)/) print }')
check_eq "every sqlite3_prepare takes constant text" "$bad" ""

n_prep=$(grep -cE 'sqlite3_prepare' src/store/*.c | awk -F: '{ s += $2 } END { print s }')
n_bind=$(grep -cE 'sqlite3_bind_' src/store/*.c | awk -F: '{ s += $2 } END { print s }')
if [ "$n_prep" -gt 0 ] && [ "$n_bind" -gt 0 ]; then
  ok "the store prepares ($n_prep sites) and binds ($n_bind sites)"
else
  not_ok "the store prepares and binds (prepare $n_prep, bind $n_bind)"
fi
done_testing
