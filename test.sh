#!/usr/bin/env bash
# Runs every test: unit tests, and integration tests over real Azurite and the self-host on
# loopback (the tests start and stop their own Azurite on free ports).
# Needs the .NET 10 SDK and Node.js; installs the npm tools it needs into .tools/node_modules.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "== npm tools (.tools)"
(cd .tools && npm ci --no-audit --no-fund --loglevel=error)

# Installs a Debian package when this machine has apt and the right to use it; says so otherwise.
apt_install() { # package, what it is for
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "$1 is not installed (and this is no apt system): $2 Install it with your package manager." >&2
    return 0
  fi
  local install="apt-get install -y $1 || { apt-get update && apt-get install -y $1; }"
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive bash -c "$install"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo DEBIAN_FRONTEND=noninteractive bash -c "$install"
  else
    echo "$1 is not installed and this user cannot install it: $2" >&2
  fi
}

echo "== browser (a Chromium for the widget's tests)"
# Playwright drives the machine's Chromium or Chrome (CHROMIUM_PATH, else chromium, chromium-browser
# or google-chrome on the PATH, else the macOS app); it never downloads a browser of its own.
# Debian's chromium is installed only when there is none.
find_chromium() {
  if [ -n "${CHROMIUM_PATH:-}" ]; then [ -x "$CHROMIUM_PATH" ]; return; fi
  local name
  for name in chromium chromium-browser google-chrome google-chrome-stable chrome; do
    command -v "$name" >/dev/null 2>&1 && return 0
  done
  [ -x "/Applications/Chromium.app/Contents/MacOS/Chromium" ] || [ -x "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome" ]
}
if ! find_chromium; then
  if [ -n "${CHROMIUM_PATH:-}" ]; then
    echo "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable: the browser tests will be skipped (in CI they fail)." >&2
  else
    apt_install chromium "the browser tests will be skipped (in CI they fail)."
  fi
fi

echo "== shellcheck (the shell scripts are checked by a test)"
command -v shellcheck >/dev/null 2>&1 || apt_install shellcheck "the shell scripts' test will be skipped (in CI it fails)."

echo "== build (Release)"
dotnet build ServerlessComments.sln -c Release --nologo -v quiet

echo "== tests"
results=$(mktemp -d)
set +e
dotnet test ServerlessComments.sln -c Release --no-build --nologo \
  --logger "console;verbosity=normal" --logger "trx;LogFilePrefix=results" --results-directory "$results" 2>&1 | tee "$results/output.txt"
status=${PIPESTATUS[0]}
set -e

# The failed tests again, each with the head of its message, then one plain closing line summed
# over the test assemblies: whoever reads only the end of a long log still sees what failed.
python3 - "$results" <<'PY' || true
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
failures = []
for path in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    root = ET.parse(path).getroot()
    c = root.find("t:ResultSummary/t:Counters", ns)
    p = int(c.get("passed")); f = int(c.get("failed")) + int(c.get("error")) + int(c.get("timeout"))
    # xunit's skips are counted in "total" but in no outcome counter: they are what is left.
    passed += p; failed += f; skipped += int(c.get("total")) - p - f
    for r in root.iterfind("t:Results/t:UnitTestResult", ns):
        if r.get("outcome") in ("Failed", "Error", "Timeout"):
            message = r.findtext("t:Output/t:ErrorInfo/t:Message", default="", namespaces=ns).strip()
            failures.append((r.get("testName"), r.get("duration"), message))
if failures:
    print("== failed tests")
    for name, duration, message in failures:
        print(f"FAILED {name} [{duration}]")
        for line in message.splitlines()[:6]:
            print(f"    {line[:300]}")
print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
PY
rm -rf "$results"
exit "$status"
