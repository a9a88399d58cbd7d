#!/bin/sh
# Start `hosakan serve` on the data directory, creating it first from the bundled records when it
# is empty (the first start of a container or a systemd service).
set -eu
HOSAKAN=${HOSAKAN:-hosakan}
if [ ! -d "${HOSAKAN_HOME:?HOSAKAN_HOME must be set}/knowledge" ]; then
  "$HOSAKAN" init
fi
# serve in the data directory (as systemd's WorkingDirectory does): a working directory the service
# user cannot read, such as root's home, would stop its worker processes
HOSAKAN_HOME=$(cd "$HOSAKAN_HOME" && pwd)
export HOSAKAN_HOME
cd "$HOSAKAN_HOME"
exec "$HOSAKAN" serve "$@"
