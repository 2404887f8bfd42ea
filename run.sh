#!/usr/bin/env bash
# Runs the whole system locally: Azurite (unless AzureWebJobsStorage is already set), and the
# self-host (Kestrel + the WebJobs queue listener) on http://127.0.0.1:${PORT:-7071}.
# Ctrl-C stops everything this script started.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
PORT="${PORT:-7071}"
DATA="$PWD/.data"
mkdir -p "$DATA"
pids=()

stop() {
  trap - EXIT INT TERM
  # Newest first: the self-host stops while its storage still answers, then Azurite.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill "${pids[i]}" 2>/dev/null || true
    wait "${pids[i]}" 2>/dev/null || true
  done
  echo "Stopped."
}
trap stop EXIT INT TERM

wait_for_port() { # port, what
  for _ in $(seq 1 150); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.2
  done
  echo "$2 did not start listening on port $1" >&2
  return 1
}

# The npm tools: esbuild (the build bundles the widget's and the console's scripts with it) and Azurite.
if [ ! -x .tools/node_modules/.bin/esbuild ] || [ ! -x .tools/node_modules/.bin/azurite ]; then
  echo "== installing the npm tools (esbuild, Azurite: into .tools)"
  (cd .tools && npm ci --no-audit --no-fund --loglevel=error)
fi

if [ -z "${AzureWebJobsStorage:-}" ]; then
  for port in 10000 10001 10002; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "Port $port is taken (another Azurite?). Stop it, or set AzureWebJobsStorage to use it." >&2
      exit 1
    fi
  done
  echo "== starting Azurite (data in .data/azurite, log in .data/azurite.log)"
  # In its own session, so Ctrl-C reaches only this script, which stops the self-host before
  # its storage (a queue listener whose storage vanishes mid-poll retries, then crashes).
  setsid .tools/node_modules/.bin/azurite --silent --skipApiVersionCheck --disableTelemetry --loose \
    --location "$DATA/azurite" --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
    > "$DATA/azurite.log" 2>&1 &
  pids+=($!)
  wait_for_port 10000 Azurite
  wait_for_port 10001 Azurite
  wait_for_port 10002 Azurite
  export AzureWebJobsStorage="UseDevelopmentStorage=true"
  own_storage=1
else
  echo "== using the storage in AzureWebJobsStorage (no Azurite started)"
  own_storage=0
fi

echo "== building the self-host"
dotnet build functions/ServerlessComments.SelfHost -c Release --nologo -v quiet

# The owner's key for the admin API: made once, kept in the ignored data folder. At least 32
# characters (start-up refuses a shorter one): 48 random bytes are 64 base64 characters, a few
# fewer without / + =; a short key left by an older version is replaced.
if [ -z "${Admin__ApiKey:-}" ]; then
  if [ ! -s "$DATA/admin-key" ] || [ "$(tr -d '\n' < "$DATA/admin-key" | wc -c)" -lt 32 ]; then
    (umask 077; head -c 48 /dev/urandom | base64 -w0 | tr -d '/+=\n' > "$DATA/admin-key")
  fi
  export Admin__ApiKey="$(cat "$DATA/admin-key")"
fi

[ -s "$DATA/link-secret" ] || (umask 077; head -c 36 /dev/urandom | base64 | tr -d '/+=' > "$DATA/link-secret")
export Notifications__LinkSecret="${Notifications__LinkSecret:-$(cat "$DATA/link-secret")}"
export Notifications__PublicBaseUrl="${Notifications__PublicBaseUrl:-http://127.0.0.1:$PORT}"
if [ "$own_storage" = 1 ]; then
  # A local sandbox: emails go to the outbox (files, and the /dev/outbox page) unless SendGrid__ApiKey
  # is set; any origin may call the API; the demo blog page is at / (its thread loaded on first run).
  export Notifications__Outbox="${Notifications__Outbox:-true}"
  export Notifications__OutboxPath="${Notifications__OutboxPath:-$DATA/outbox}"
  export Notifications__OwnerEmail="${Notifications__OwnerEmail:-owner@example.com}"
  # The demo blog is served by the self-host itself: links in emails point to it.
  export Notifications__BlogUrl="${Notifications__BlogUrl:-http://127.0.0.1:$PORT/}"
  export Cors__AllowedOrigins="${Cors__AllowedOrigins:-*}"
  export Demo__Enabled="${Demo__Enabled:-true}"
else
  # Storage this script did not start (yours): change nothing you did not ask for.
  cat <<'NOTE'
   Against your own storage: no demo data, no CORS for other origins, no local outbox.
   Turn them on if you want them: Demo__Enabled=true, Cors__AllowedOrigins=https://your.blog,
   Notifications__Outbox=true.
NOTE
fi

echo "== starting the self-host on http://127.0.0.1:$PORT"
dotnet functions/ServerlessComments.SelfHost/bin/Release/net10.0/ServerlessComments.SelfHost.dll \
  --urls "http://127.0.0.1:$PORT" &
pids+=($!)
wait_for_port "$PORT" "The self-host"

cat <<INFO

ServerlessComments is running.
  Demo blog page: http://127.0.0.1:$PORT/   (and /posts/ for the count-only script)
  Widget:       <div data-comments></div><script src="http://127.0.0.1:$PORT/api/widget/comments.js" defer></script>
  API health:   http://127.0.0.1:$PORT/api/health
  A thread:     http://127.0.0.1:$PORT/api/comments?thread=/hello/
  Post one:     curl -i -X POST http://127.0.0.1:$PORT/api/comments -H 'Content-Type: application/json' \\
                  -d '{"thread":"/hello/","author":"Ann","email":"ann@example.com","body":"Hello!"}'
  Owner's console: http://127.0.0.1:$PORT/api/console   (sign in with the key in .data/admin-key, or by an emailed link to ${Notifications__OwnerEmail:-the owner}, in the outbox)
  Held comments: curl -s -H "Authorization: Bearer \$(cat .data/admin-key)" http://127.0.0.1:$PORT/api/admin/comments?status=pending
                (Moderation__Mode=${Moderation__Mode:-first-time}: a new author's first comment waits for approval)
  Emails:       http://127.0.0.1:$PORT/dev/outbox   (the local outbox, when on; set SendGrid__ApiKey to send for real)
Press Ctrl-C to stop.
INFO
wait "${pids[@]}"
