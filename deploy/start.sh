#!/bin/sh
# Start `hosakan serve` on the data directory, creating it first from the bundled records when it
# is empty (the first start of a container or a systemd service).
set -eu
HOSAKAN=${HOSAKAN:-hosakan}
if [ ! -d "${HOSAKAN_HOME:?HOSAKAN_HOME must be set}/knowledge" ]; then
  "$HOSAKAN" init
fi
exec "$HOSAKAN" serve "$@"
