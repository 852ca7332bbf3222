#!/bin/sh
# kubectl-modelrollout: a kubectl plugin for ModelDeployments (modelrollout.io).
# This file is a shell script followed by a Java archive; it needs Java 17 or later
# (java on the PATH, or JAVA_HOME). Extra JVM flags: KUBECTL_MODELROLLOUT_JAVA_OPTS.
if [ -n "$JAVA_HOME" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  java="$JAVA_HOME/bin/java"
else
  java=java
fi
command -v "$java" >/dev/null 2>&1 || {
  echo "kubectl-modelrollout: Java 17 or later is needed (java on the PATH, or JAVA_HOME)" >&2
  exit 5
}
# -Djdk.console=java.base: from Java 22 on, System.console() is not null when the output is
# redirected, unless the console is java.base's; the CLI also asks Console.isTerminal().
# shellcheck disable=SC2086
exec "$java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -Djdk.console=java.base \
  $KUBECTL_MODELROLLOUT_JAVA_OPTS \
  -jar "$0" "$@"
