#!/bin/bash
# Broker entrypoint for docker compose: format the storage once, with the SCRAM users
# that `python -m lintas_deploy kafka-config` listed, then run the secured broker.
set -euo pipefail
CONFIG=/kafka-config/server.properties
BIN=/opt/kafka/bin
if [ ! -f /var/lib/kafka/data/meta.properties ]; then
  mapfile -t SCRAM < /kafka-config/scram.args
  # Static controller.quorum.voters: format without --standalone.
  "$BIN/kafka-storage.sh" format -t "$("$BIN/kafka-storage.sh" random-uuid)" \
    -c "$CONFIG" "${SCRAM[@]}" >/dev/null
fi
exec "$BIN/kafka-server-start.sh" "$CONFIG"
