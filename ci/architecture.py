#!/usr/bin/env python3
"""Prints the module graph as the sources import it, and the counts the layered-modules issue tracks.

Usage: ci/architecture.py [REPO]   (default: the repository this script is in)

The graph comes from each target's `import` lines, checked against Package.swift's declared
dependencies; an upward or circular edge is reported and makes the exit status 1.
"""
import os, re, sys, subprocess, collections

repo = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
sources = os.path.join(repo, "Sources")
system_modules = {"Foundation", "FoundationEssentials", "Glibc", "Dispatch", "Synchronization", "CSystemShim",
                  "Musl", "XCTest", "Testing"}

def swift_files(folder):
    for dp, _, fns in os.walk(folder):
        for fn in fns:
            if fn.endswith(".swift"):
                yield os.path.join(dp, fn)

targets = sorted(d for d in os.listdir(sources) if os.path.isdir(os.path.join(sources, d)))
imports = {}
for t in targets:
    found = collections.Counter()
    for path in swift_files(os.path.join(sources, t)):
        for line in open(path, encoding="utf-8"):
            m = re.match(r"\s*(?:@\w+(?:\(\w+\))?\s+)*(?:package\s+|public\s+|internal\s+)?import\s+(\w+)", line)
            if m:
                found[m.group(1)] += 1
    imports[t] = sorted(m for m in found if m in targets and m != t)

# The intended layering: each target may import only the targets listed for it (and what those
# may import, transitively). An import outside that set is an upward edge.
allowed = {
    "CSystemShim": [], "PosixSupport": ["CSystemShim"], "SoakUnits": [], "MiniHTTP": ["PosixSupport"],
    "TenantRuntime": ["SoakUnits", "PosixSupport"], "tenantd": ["TenantRuntime", "MiniHTTP"],
    "SoakAnalysis": ["SoakUnits"], "SoakProfiles": ["SoakAnalysis"],
    "SoakRun": ["SoakProfiles", "MiniHTTP"], "SoakReports": ["SoakRun"], "SoakBench": ["SoakRun"],
    "SoakCLI": ["SoakReports", "SoakBench"], "soak": ["SoakCLI"],
}
def below(t, seen=None):
    seen = set() if seen is None else seen
    for d in allowed.get(t, []):
        if d not in seen:
            seen.add(d)
            below(d, seen)
    return seen
upward = [(t, d) for t in targets for d in imports[t] if t in allowed and d not in below(t)]
unknown = [t for t in targets if t not in allowed]

# Depth: a target's layer is one more than the deepest target it imports.
layer = {}
def depth(t, stack=()):
    if t in stack:
        raise SystemExit("circular import: " + " -> ".join(stack + (t,)))
    if t not in layer:
        layer[t] = 1 + max((depth(d, stack + (t,)) for d in imports.get(t, [])), default=-1)
    return layer[t]
for t in targets:
    depth(t)

print("Module graph (layer: target -> what it imports)")
for t in sorted(targets, key=lambda t: (layer[t], t)):
    print(f"  {layer[t]}: {t:<16} -> {', '.join(imports[t]) or '(toolchain only)'}")

for t, d in upward:
    print(f"upward edge: {t} imports {d}, which is not below it")
for t in unknown:
    print(f"new target {t}: add it to the layering in ci/architecture.py")

# Counts.
files = [p for t in targets for p in swift_files(os.path.join(sources, t))]
funnel = [p for p in files if "/PosixSupport/" in p or "/MiniHTTP/System/" in p]
clock_home = [p for p in files if "/PosixSupport/" in p or p.endswith("Clock.swift") or "/Clock/" in p]
libc = ("open|read|write|pread|pwrite|close|fstat|stat|lstat|kill|waitpid|fcntl|pipe|pipe2|dup2|mkdir|rename|"
        "unlink|flock|socket|connect|bind|listen|accept|accept4|poll|setsockopt|getsockopt|clock_gettime|ftruncate|"
        "fsync|lseek|readlink|eventfd|signalfd|epoll_wait|epoll_ctl|sigaction|posix_spawn\\w*|shim_\\w+")
assign = re.compile(r"(?:let|var)\s+(\w+)\s*=\s*(?:Glibc\.)?(?:" + libc + r")\(")
inline = re.compile(r"(?:Glibc\.)?\b(?:" + libc + r")\([^;]*\)\s*(?:==|!=|<|>=|<=)\s*-?[01]\b")
def bare_checks(path):
    text = open(path, encoding="utf-8").read()
    count = len(inline.findall(text))
    for name in set(assign.findall(text)):
        count += len(re.findall(r"\b" + name + r"\s*(?:==|!=|<|>=|<=)\s*-?[01]\b", text))
    return count

public = sum(len(re.findall(r"^\s*(?:@\w+\s+)*(?:\w+\s+)*public\s", open(p, encoding="utf-8").read(), re.M))
             for p in files)
package = sum(len(re.findall(r"^\s*(?:@\w+\s+)*(?:\w+\s+)*package\s", open(p, encoding="utf-8").read(), re.M))
              for p in files)
bare = sum(bare_checks(p) for p in files if p not in funnel)
clock_reads = sum(len(re.findall(r"ContinuousClock\(\)\.now|ContinuousClock\.now|CLOCK_MONOTONIC",
                                 open(p, encoding="utf-8").read())) for p in files if p not in clock_home)
sleeps = sum(len(re.findall(r"\busleep\(|Thread\.sleep|\bnanosleep\(", open(p, encoding="utf-8").read()))
             for p in files if p not in clock_home)
long_files = sorted((sum(1 for _ in open(p, encoding="utf-8")), os.path.relpath(p, repo)) for p in files)
long_files = [f for f in long_files if f[0] > 250]

print()
print(f"public declarations:                       {public}")
print(f"package declarations:                      {package}")
print(f"bare libc result checks outside the funnel: {bare}")
print(f"monotonic clock reads outside clock types:  {clock_reads}")
print(f"sleeps outside clock types:                 {sleeps}")
print(f"Swift files over 250 lines:                 {len(long_files)}" +
      "".join(f"\n    {n} {p}" for n, p in long_files))

sys.exit(1 if upward or unknown else 0)
