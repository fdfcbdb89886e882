#!/usr/bin/env bash
# The tutorial's workflow on the embedded default (SQLite), in a fresh temp folder.
# Run it with `npm run demo` from the repository root.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
athanor="node $here/../dist/cli.js"
work="$(mktemp -d "${TMPDIR:-/tmp}/athanor-demo-XXXXXX")"
trap 'rm -rf "$work"' EXIT
cd "$work"
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

step "athanor init migrations"
$athanor init migrations

step "athanor revision -m \"add users and orders tables\" --rev-id 3a8f1c2d4b7e"
$athanor revision -m "add users and orders tables" --rev-id 3a8f1c2d4b7e
cp "$here/tutorial/versions/3a8f1c2d4b7e_add_users_and_orders_tables.ts" migrations/versions/
echo "(edited migrations/versions/3a8f1c2d4b7e_add_users_and_orders_tables.ts: users, orders, FK, index)"

step "athanor revision -m \"add phone_number to users\" --rev-id 9c3e5f8a1d2b"
$athanor revision -m "add phone_number to users" --rev-id 9c3e5f8a1d2b
cp "$here/tutorial/versions/9c3e5f8a1d2b_add_phone_number_to_users.ts" migrations/versions/
echo "(edited migrations/versions/9c3e5f8a1d2b_add_phone_number_to_users.ts: phone_number + index)"

step "athanor upgrade head"
$athanor upgrade head

step "athanor current"
$athanor current

mkdir -p src && cp "$here/tutorial/schema.ts" src/schema.ts
step "athanor check   # the database at head against src/schema.ts (the config's schema)"
$athanor check

step "athanor history"
$athanor history

step "athanor downgrade -1"
$athanor downgrade -1

step "athanor current"
$athanor current

step "athanor upgrade head --sql"
$athanor upgrade head --sql
