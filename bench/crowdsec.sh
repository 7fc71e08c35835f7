#!/usr/bin/env bash
# Benchmark of the CrowdSec import (io.ctifeeds.bench.CrowdSecBenchmark): 50,000 distinct IPs in fixture-shaped
# smoke/search pages from a local CTI API, imported through the real routes into a folder, then into the local
# RabbitMQ (127.0.0.1:5672) against a fake platform. Prints IPs/s, objects and messages per IP, and a verdict per
# target (>= 2,000 IPs/s into the folder, <= 8 messages per IP into RabbitMQ). Exit status 1 when a target is missed. Not part of mvn test.
#
#   bench/crowdsec.sh           from anywhere; builds what it needs with Maven (MAVEN_OFFLINE=1 for mvn -o)
#
# Environment: BENCH_IPS (50000), BENCH_HEAP (512m: the fake API shares the JVM), SKIP_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/build.sh
source bench/build.sh
exec java -Xmx"${BENCH_HEAP:-512m}" -Dsun.net.httpserver.nodelay=true \
    -Dbench.ips="${BENCH_IPS:-50000}" \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
    io.ctifeeds.bench.CrowdSecBenchmark
