#!/usr/bin/env bash
# Runs every test: unit tests, and integration tests over real Azurite and the self-host on
# loopback (the tests start and stop their own Azurite on free ports).
# Needs the .NET 10 SDK and Node.js; installs the npm tools it needs into .tools/node_modules.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "== npm tools (.tools)"
(cd .tools && npm ci --no-audit --no-fund --loglevel=error)

echo "== build (Release)"
dotnet build ServerlessComments.sln -c Release --nologo -v quiet

echo "== tests"
results=$(mktemp -d)
set +e
dotnet test ServerlessComments.sln -c Release --no-build --nologo \
  --logger "console;verbosity=normal" --logger "trx;LogFileName=results.trx" --results-directory "$results" 2>&1 | tee "$results/output.txt"
status=${PIPESTATUS[0]}
set -e

# One plain closing line, summed over the test assemblies.
python3 - "$results" <<'PY' || true
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for path in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    c = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", ns)
    passed += int(c.get("passed")); failed += int(c.get("failed")) + int(c.get("error")) + int(c.get("timeout"))
    skipped += int(c.get("notExecuted"))
print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
PY
rm -rf "$results"
exit "$status"
