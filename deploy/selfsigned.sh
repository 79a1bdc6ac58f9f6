#!/usr/bin/env bash
# A self-signed TLS certificate for trying the deployment on one machine. Browsers warn about it (nobody
# vouches for it): for real use take a certificate from your CA or the government PKI and pass its paths
# to deploy/start.sh as CERT= and KEY=.
#
#   deploy/selfsigned.sh OUT_DIR [NAME ...]      # names default to localhost; 127.0.0.1 is always included
#   -> OUT_DIR/selfsigned.crt, OUT_DIR/selfsigned.key (readable by its owner only), valid 30 days
set -euo pipefail

out=${1:?usage: deploy/selfsigned.sh OUT_DIR [NAME ...]}
shift
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(localhost)

san="IP:127.0.0.1"
for name in "${names[@]}"; do
    if [[ $name =~ ^[0-9.]+$ ]]; then san="$san,IP:$name"; else san="$san,DNS:$name"; fi
done

mkdir -p "$out"
umask 077
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -sha256 \
    -subj "/CN=${names[0]}" -addext "subjectAltName=$san" \
    -keyout "$out/selfsigned.key" -out "$out/selfsigned.crt" 2>/dev/null
chmod 644 "$out/selfsigned.crt"
echo "$out/selfsigned.crt"
