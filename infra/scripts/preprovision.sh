#!/bin/sh
# azd's preprovision hook (azure.yaml). The azd environment's values arrive as variables.
# 1. The blog's address and origins must be set: nothing sensible can be guessed for them.
# 2. The admin API key and the link-signing key are made here once, from the system's random
#    source, and kept in the azd environment (.azure/<env>/.env, which azd keeps out of git), so
#    that every later `azd provision` sends the same ones. Their values are never printed.
# 3. The budget's start month (BUDGET_START_DATE) is kept the same way: the Budgets API refuses to
#    change a budget's start date, so it must stay the month of the first provisioning.
set -eu

missing=""
for name in BLOG_URL ALLOWED_ORIGINS; do
  eval "value=\${$name:-}"
  [ -n "$value" ] || missing="$missing $name"
done
if [ -n "$missing" ]; then
  echo "Set these first (see infra/README.md):" >&2
  for name in $missing; do echo "  azd env set $name <value>" >&2; done
  exit 1
fi
case "$ALLOWED_ORIGINS" in
  *'*'*) echo "ALLOWED_ORIGINS must name the blog's origins; a wildcard is refused." >&2; exit 1 ;;
esac

random_key() { od -An -N32 -tx1 /dev/urandom | tr -d ' \n'; }
for name in ADMIN_API_KEY LINK_SIGNING_KEY; do
  eval "value=\${$name:-}"
  if [ -z "$value" ]; then
    azd env set "$name" "$(random_key)" >/dev/null
    echo "Made $name (read it with: azd env get-value $name)"
  fi
done
if [ -z "${BUDGET_START_DATE:-}" ]; then
  azd env set BUDGET_START_DATE "$(date -u +%Y-%m-01)" >/dev/null
  echo "Made BUDGET_START_DATE (the budget's first month; keep it)"
fi
