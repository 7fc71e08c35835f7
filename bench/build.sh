# Sourced by the bench/*.sh scripts: builds the classes and writes the test class path to target/bench.classpath
# (MAVEN_OFFLINE=1: mvn -o; SKIP_BUILD=1: reuse what is there). The fixtures are the repository's own
# (src/test/resources/fixtures), read from the repository root where the scripts run.
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  offline=()
  [[ "${MAVEN_OFFLINE:-0}" == 1 ]] && offline=(-o)
  mkdir -p target
  if ! mvn -q -B "${offline[@]}" test-compile dependency:build-classpath \
      -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test > target/bench-build.log 2>&1; then
    cat target/bench-build.log >&2
    echo "bench: the build failed (log above, also in target/bench-build.log)" >&2
    exit 2
  fi
fi
