#!/usr/bin/env bash
# The one test command: the guardrails (lint, typecheck, formatting, no import circle between the
# folders of app/, no run-time import cycle between modules of app/ and simulator/src), unit and integration tests (on SQLite, then the integration suite on
# PostgreSQL + pg-boss), the production build, the browser tests, then the small fault run on
# SQLite and on PostgreSQL + pg-boss (a fixed seed, so a failure replays); ends with one summary
# line counting every test and fault run.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/system-deps.sh || exit 1
node scripts/prisma-generate.mjs || exit 1
mkdir -p tmp

status=0
# Guardrails first: a failure is reported and fails the run, and the tests still run and count.
guard() {
  echo "== $1"
  shift
  "$@" || { echo "Guardrail failed: $*" >&2; status=1; }
}
guard "lint (includes the rule that keeps app/routing pure)" eslint . --max-warnings 0
guard "typecheck" tsc --noEmit
guard "formatting" prettier --check . --log-level warn
guard "import circles between the folders of app/" tsx scripts/check-folder-circles.ts
guard "run-time import cycles between modules (app/, simulator/src)" tsx scripts/check-import-cycles.ts

vitest run --reporter=default --reporter=json --outputFile.json=tmp/unit-results.json || status=1
# The integration suite again on PostgreSQL with the pg-boss queue (a throwaway server of its own).
vitest run --config vitest.postgres.config.ts --reporter=default --reporter=json --outputFile.json=tmp/postgres-results.json || status=1
# Both builds (the app and the worker): the fault runs start the built worker as production does.
if npm run -s build >tmp/build.log 2>&1; then
  vitest run --config vitest.e2e.config.ts --reporter=default --reporter=json --outputFile.json=tmp/e2e-results.json || status=1
  # The fault run exits 1 on anything lost, applied twice, left unfinished or let in (README).
  faults=0
  for db in sqlite postgresql; do
    echo "== fault run (small) on $db"
    if tsx tests/chaos/run.ts --size=small --record=0 --seed=20261204 --database=$db; then
      echo "fault run on $db: passed"
    else
      echo "Fault run on $db failed (replay: npm run chaos -- --size=small --record=0 --seed=20261204 --database=$db)" >&2
      faults=$((faults + 1))
      status=1
    fi
  done
else
  cat tmp/build.log
  echo "The production build failed; browser tests not run." >&2
  status=1
fi

node -e '
const fs = require("fs");
let passed = 0, failed = 0, skipped = 0;
const failures = [];
for (const f of ["tmp/unit-results.json", "tmp/postgres-results.json", "tmp/e2e-results.json"]) {
  if (!fs.existsSync(f)) continue;
  const r = JSON.parse(fs.readFileSync(f, "utf8"));
  passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + r.numTodoTests;
  // Name each failure again at the end, where a reader of a long log (or a truncated CI log) looks.
  for (const file of r.testResults ?? []) {
    for (const t of file.assertionResults ?? []) {
      if (t.status === "failed") {
        const why = String((t.failureMessages ?? [])[0] ?? "").split("\n")[0].slice(0, 300);
        failures.push(`${f}: ${require("path").relative(process.cwd(), file.name)} > ${t.fullName}: ${why}`);
      }
    }
    if (file.status === "failed" && !(file.assertionResults ?? []).some((t) => t.status === "failed")) {
      failures.push(`${f}: ${require("path").relative(process.cwd(), file.name)} (${(file.message || "failed to run").split("\n")[0]})`);
    }
  }
}
for (const line of failures) console.log(`Failed: ${line}`);
const faults = process.argv[1];
console.log(`Tests: ${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : "") +
  (faults === "" ? "; fault runs not run" : `; fault runs: ${2 - Number(faults)} of 2 passed`));
' "${faults:-}"
exit $status
