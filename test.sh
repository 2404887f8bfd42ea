#!/usr/bin/env bash
# Runs every test: unit tests, and integration tests over real Azurite and the self-host on
# loopback (the tests start and stop their own Azurite on free ports).
# Needs the .NET 10 SDK and Node.js; installs the npm tools it needs into .tools/node_modules.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "== npm tools (.tools)"
(cd .tools && npm ci --no-audit --no-fund --loglevel=error)

echo "== browser (Debian's chromium, for the widget's tests)"
# Playwright drives this Chromium; it never downloads a browser of its own.
if [ ! -x /usr/bin/chromium ]; then
  apt_install() { apt-get install -y chromium || { apt-get update && apt-get install -y chromium; }; }
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt_install
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo DEBIAN_FRONTEND=noninteractive bash -c "$(declare -f apt_install); apt_install"
  else
    echo "chromium is not installed and this user cannot install it: the browser tests will be skipped (in CI they fail)." >&2
  fi
fi

echo "== build (Release)"
dotnet build ServerlessComments.sln -c Release --nologo -v quiet

echo "== tests"
results=$(mktemp -d)
set +e
dotnet test ServerlessComments.sln -c Release --no-build --nologo \
  --logger "console;verbosity=normal" --logger "trx;LogFilePrefix=results" --results-directory "$results" 2>&1 | tee "$results/output.txt"
status=${PIPESTATUS[0]}
set -e

# One plain closing line, summed over the test assemblies.
python3 - "$results" <<'PY' || true
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for path in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    c = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", ns)
    p = int(c.get("passed")); f = int(c.get("failed")) + int(c.get("error")) + int(c.get("timeout"))
    # xunit's skips are counted in "total" but in no outcome counter: they are what is left.
    passed += p; failed += f; skipped += int(c.get("total")) - p - f
print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
PY
rm -rf "$results"
exit "$status"
