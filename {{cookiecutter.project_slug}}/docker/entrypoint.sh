#!/bin/sh
# Entrypoint of every container of this image: wait for the database, apply migrations
# when asked to, then `exec` the command, so the server becomes PID 1 and receives the
# stop signal itself.
#   DJANGO_MIGRATE=true          apply migrations first (compose sets it on web only)
#   DJANGO_DB_WAIT_SECONDS=60    how long to wait for the database before giving up
set -eu

# Run from the project root, in the image (/app) and on a developer's machine alike.
cd "$(dirname "$0")/.."

python - <<'PY'
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django
from django.db import connections
from django.db.utils import OperationalError

django.setup()
deadline = time.monotonic() + float(os.environ.get("DJANGO_DB_WAIT_SECONDS", "60"))
waiting = False
while True:
    try:
        connections["default"].ensure_connection()
    except OperationalError as error:
        if time.monotonic() >= deadline:
            sys.exit(f"entrypoint: the database did not answer in time: {error}")
        if not waiting:
            print("entrypoint: waiting for the database", file=sys.stderr, flush=True)
            waiting = True
        time.sleep(1)
    else:
        break
if waiting:
    print("entrypoint: the database answers", file=sys.stderr, flush=True)
PY

if [ "${DJANGO_MIGRATE:-false}" = "true" ]; then
    python manage.py migrate --noinput
fi

exec "$@"
