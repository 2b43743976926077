#!/usr/bin/env bash
# make fuzz: runs every Go fuzz target of the module for FUZZTIME each
# (default 60s) and prints the executions per target (FUZZ=regexp picks
# targets by name). A failing input is
# written by go test to the package's testdata/fuzz/<Target>/ — commit it:
# it is then a regression test that go test runs every time.
set -uo pipefail
cd "$(dirname "$0")/.."
fuzztime="${FUZZTIME:-60s}"
parallel="${FUZZPARALLEL:-2}"
log="${FUZZLOG:-bin/fuzz.log}"
mkdir -p "$(dirname "$log")"
: > "$log"
failed=0
stats="$(mktemp -d)"
trap 'rm -rf "$stats"' EXIT
printf '| package | target | time | executions | go test reported | new corpus entries | result |\n|---|---|---|---|---|---|---|\n'
while IFS=: read -r file _ line; do
  pkg="$(dirname "$file")"
  target="$(sed -E 's/^func (Fuzz[A-Za-z0-9_]*).*/\1/' <<<"$line")"
  rm -f "$stats"/*
  out="$(ANTQ_FUZZ_STATS="$stats" go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" -parallel "$parallel" "$pkg" 2>&1)"
  code=$?
  sleep 0.5
  # Every process (coordinator and workers) counted its own executions.
  counted="$(cat "$stats/$target".* 2>/dev/null | awk '{n += $1} END {print n + 0}')"
  printf '%s\n' "== $pkg $target" "$out" >> "$log"
  last="$(grep -E '^fuzz: elapsed' <<<"$out" | tail -1)"
  execs="$(sed -nE 's/.*execs: ([0-9]+).*/\1/p' <<<"$last")"
  found="$(sed -nE 's/.*new interesting: ([0-9]+).*/\1/p' <<<"$last")"
  result=ok
  if [ $code -ne 0 ]; then
    failed=1
    result="FAIL: $(grep -m1 -E 'Failing input written to' <<<"$out" | sed 's/.*written to //')"
  fi
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "${pkg#./}" "$target" "$fuzztime" "$counted" "${execs:-?}" "${found:-?}" "$result"
done < <(grep -rn --include='*_test.go' -E '^func Fuzz[A-Za-z0-9_]*\(f \*testing\.F\)' . | grep -E -- "${FUZZ:-.}" | sort)
echo "full output: $log"
exit $failed
