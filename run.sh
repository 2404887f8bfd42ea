#!/usr/bin/env bash
# Runs the whole system locally: Azurite (unless AzureWebJobsStorage is already set), and the
# self-host (Kestrel + the WebJobs queue listener) on http://127.0.0.1:${PORT:-7071}.
# Ctrl-C stops everything this script started.
# Runs with bash 3.2 and the BSD tools of macOS as well as on Linux and WSL (tested: see docs/self-hosting.md).
# Settings: PORT (7071); AZURITE_BLOB_PORT, AZURITE_QUEUE_PORT, AZURITE_TABLE_PORT (10000-10002);
# RUN_DATA (./.data: Azurite's files, the keys, the outbox).
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
PORT="${PORT:-7071}"
BLOB_PORT="${AZURITE_BLOB_PORT:-10000}" QUEUE_PORT="${AZURITE_QUEUE_PORT:-10001}" TABLE_PORT="${AZURITE_TABLE_PORT:-10002}"
DATA="${RUN_DATA:-$PWD/.data}"
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

# Is something listening on 127.0.0.1:PORT? bash's /dev/tcp where this bash has it (a build
# option some lack), else nc, else curl (exit 7: nothing listens). RUN_PORT_PROBE forces one (tests).
port_probe="${RUN_PORT_PROBE:-}"
if [ -z "$port_probe" ]; then
  # Without network redirections bash opens /dev/tcp/... as a plain (missing) file.
  if (exec 3<>/dev/tcp/127.0.0.1/1) 2>&1 | grep -q 'No such file'; then
    if command -v nc >/dev/null 2>&1; then port_probe=nc; else port_probe=curl; fi
  else
    port_probe=devtcp
  fi
fi
port_open() { # port
  case "$port_probe" in
    devtcp) (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null ;;
    nc) nc -z 127.0.0.1 "$1" >/dev/null 2>&1 ;;
    *) curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$1/" || [ $? -ne 7 ] ;;
  esac
}

wait_for_port() { # port, what
  for _ in $(seq 1 150); do
    port_open "$1" && return 0
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
  for port in "$BLOB_PORT" "$QUEUE_PORT" "$TABLE_PORT"; do
    if port_open "$port"; then
      echo "Port $port is taken (another Azurite?). Stop it, or set AzureWebJobsStorage to use it." >&2
      exit 1
    fi
  done
  echo "== starting Azurite (data in $DATA/azurite, log in $DATA/azurite.log)"
  # In its own session (setsid) or, where there is no setsid (macOS), its own process group (set -m):
  # Ctrl-C then reaches only this script, which stops the self-host before its storage (a queue
  # listener whose storage vanishes mid-poll retries, then crashes).
  azurite=(.tools/node_modules/.bin/azurite --silent --skipApiVersionCheck --disableTelemetry --loose
    --location "$DATA/azurite" --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1
    --blobPort "$BLOB_PORT" --queuePort "$QUEUE_PORT" --tablePort "$TABLE_PORT")
  if command -v setsid >/dev/null 2>&1; then
    setsid "${azurite[@]}" > "$DATA/azurite.log" 2>&1 &
  else
    set -m
    "${azurite[@]}" > "$DATA/azurite.log" 2>&1 &
    set +m
  fi
  pids+=($!)
  wait_for_port "$BLOB_PORT" Azurite
  wait_for_port "$QUEUE_PORT" Azurite
  wait_for_port "$TABLE_PORT" Azurite
  if [ "$BLOB_PORT$QUEUE_PORT$TABLE_PORT" = 100001000110002 ]; then
    export AzureWebJobsStorage="UseDevelopmentStorage=true"
  else
    # Azurite's well-known development account (public, the same in every Azurite).
    export AzureWebJobsStorage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$BLOB_PORT/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$QUEUE_PORT/devstoreaccount1;TableEndpoint=http://127.0.0.1:$TABLE_PORT/devstoreaccount1;"
  fi
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
  # (wc's count is padded with spaces on macOS: $(( )) reads it as a number; base64 wraps lines
  # differently on GNU and BSD, and -w0 is GNU's: newlines are removed with tr instead.)
  if [ ! -s "$DATA/admin-key" ] || [ $(($(tr -d '\n' < "$DATA/admin-key" | wc -c))) -lt 32 ]; then
    (umask 077; head -c 48 /dev/urandom | base64 | tr -d '/+=\n' > "$DATA/admin-key")
  fi
  Admin__ApiKey="$(cat "$DATA/admin-key")"
  export Admin__ApiKey
fi

[ -s "$DATA/link-secret" ] || (umask 077; head -c 36 /dev/urandom | base64 | tr -d '/+=\n' > "$DATA/link-secret")
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
  Owner's console: http://127.0.0.1:$PORT/api/console   (sign in with the key in $DATA/admin-key, or by an emailed link to ${Notifications__OwnerEmail:-the owner}, in the outbox)
  Held comments: curl -s -H "Authorization: Bearer \$(cat $DATA/admin-key)" http://127.0.0.1:$PORT/api/admin/comments?status=pending
                (Moderation__Mode=${Moderation__Mode:-first-time}: a new author's first comment waits for approval)
  Emails:       http://127.0.0.1:$PORT/dev/outbox   (the local outbox, when on; set SendGrid__ApiKey to send for real)
Press Ctrl-C to stop.
INFO
wait "${pids[@]}"
