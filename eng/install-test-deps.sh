#!/usr/bin/env bash
# Installs what the tests need beyond the .NET SDK and npm: a C compiler for the ABI test,
# cmake and g++ for the benchmarks' llama-server build,
# the Debian packages of the real servers tests start (the CNCF Distribution registry and
# htpasswd for its basic-auth file), curl for the documentation's examples, script(1)
# for driving the CLI through a pseudo-terminal, and Chromium for the dashboard's browser tests
# (Playwright drives Debian's build: it cannot download its own here). Installing needs root.
# Idempotent: installs nothing when everything is present.
set -euo pipefail

packages=()
command -v cc >/dev/null || packages+=(gcc libc6-dev)
command -v docker-registry >/dev/null || packages+=(docker-registry)
command -v htpasswd >/dev/null || packages+=(apache2-utils)
command -v curl >/dev/null || packages+=(curl)
command -v script >/dev/null || packages+=(bsdutils)
# PostgreSQL for the cluster tests (Debian keeps its programs in /usr/lib/postgresql/<version>/bin).
command -v initdb >/dev/null || compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || packages+=(postgresql)
[ -x /usr/bin/chromium ] || packages+=(chromium)
# cmake and a C++ compiler for the peer benchmark's llama-server (eng/fetch-llama.sh llama-server).
command -v cmake >/dev/null || packages+=(cmake)
command -v c++ >/dev/null || packages+=(g++)

if [ ${#packages[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-test-deps: missing ${packages[*]}; run as root or install them with apt-get" >&2
    exit 1
  fi
  echo "install-test-deps: installing ${packages[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi
