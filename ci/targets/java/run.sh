#!/bin/sh
# Starts ci/targets/java/Main.java through a shell, as many real launchers do (not exec), so the
# JVM is a child of the process soak started and soak has to find it in the tree.
here=$(dirname "$0")
java -Xmx64m -Xshare:auto "$here/Main.java" "$@"
