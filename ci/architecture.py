#!/usr/bin/env python3
"""Prints the module graph as the sources import it, and the counts the layered-modules issue tracks.

Usage: ci/architecture.py [--where] [REPO]   (default: the repository this script is in)

--where also lists each bare libc result check and errno read it counts, as FILE:LINE.

The graph comes from each target's `import` lines, checked against Package.swift's declared
dependencies; an upward or circular edge is reported and makes the exit status 1.
"""
import os, re, sys, subprocess, collections

show_where = "--where" in sys.argv[1:]
arguments = [a for a in sys.argv[1:] if a != "--where"]
repo = os.path.abspath(arguments[0] if arguments else os.path.join(os.path.dirname(__file__), ".."))
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
    "TenantRuntime": ["SoakUnits", "PosixSupport"], "TenantFleet": ["TenantRuntime", "MiniHTTP"],
    "tenantd": ["TenantFleet", "TenantRuntime", "MiniHTTP"],
    "SoakAnalysis": ["SoakUnits"], "SoakProfiles": ["SoakAnalysis"],
    "SoakRun": ["SoakProfiles", "MiniHTTP", "CHeapPage"], "SoakReports": ["SoakRun"], "SoakBench": ["SoakRun"],
    "CHeapPage": [], "CHeapPreload": ["CHeapPage"], "CHeapStacks": ["CHeapPage"],
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
funnel = [p for p in files if "/PosixSupport/" in p]
clock_home = [p for p in files if "/PosixSupport/" in p or p.endswith("Clock.swift") or "/Clock/" in p]

# Bare libc result checks: a system call's (or the C shim's) result compared with -1, 0 or 1 by hand
# instead of going through PosixSupport's SystemCall, which reads errno at once, retries EINTR and
# throws a SystemError naming the operation. Found two ways: the call and the comparison on one line
# (`stat(path, &info) == 0`), and a name bound to a statement that makes the call, compared later
# (`let pid = withCStrings(...) { lazysoak_spawn(...) }` ... `guard pid > 0`). A statement that goes
# through the funnel (`try SystemCall.retrying { read(...) }`) is not bare: its 0 is a real answer.
# Also counted: errno read, or strerror called, outside the funnel (each is a hand-made error path).
# `--where` lists every hit. Not counted, on purpose: `inet_pton` (a parser, not a system call) and
# CompletionGate's `pthread_cond_timedwait(...) == ETIMEDOUT` (the wait's answer, not a failure), and
# the shim's atomic `lazysoak_load_*`/`lazysoak_store_*` (a value tested, never a failure).
libc = ("open|openat|read|write|pread|pwrite|close|fstat|stat|lstat|kill|waitpid|fcntl|pipe|pipe2|dup|dup2|"
        "mkdir|rmdir|rename|unlink|access|flock|socket|connect|bind|listen|accept|accept4|poll|send|recv|"
        "shutdown|setsockopt|getsockopt|getsockname|isatty|clock_gettime|ftruncate|fsync|fdatasync|lseek|"
        "readlink|eventfd|signalfd|epoll_wait|epoll_ctl|sigaction|posix_spawn\\w*|pthread_create|pthread_join|"
        "pthread_detach|lazysoak_(?!load_|store_)\\w+")
# `(?<![.\w])`: a method of our own (`descriptor.close()`) is not the C call; `(?!\))`: `stat()` is
# the struct's initialiser, not the call.
call = r"(?<![.\w])(?:Glibc\.)?(?:" + libc + r")\((?!\))"
comparison = r"\s*(?:==|!=|<|>=|<=|>)\s*-?[01]\b"
inline = re.compile(call + r"[^;\n]*\)" + comparison)
binding = re.compile(r"(?<![\w.])(?:let|var)\s+(\w+)\s*(?::\s*[^=\n]+)?=\s*")
errno_use = re.compile(r"(?<![.\w])(?:Glibc\.)?errno\b(?!\s*:)|(?<![.\w])strerror\(")

def code_lines(path):
    """The file's lines with `//` comments blanked (a doc comment may say `== -1`)."""
    return [re.sub(r"(?<!:)//.*", "", line) for line in open(path, encoding="utf-8").read().split("\n")]

def statement(text, start):
    """The text of the statement that begins at `start`: to the first newline outside brackets."""
    depth, end = 0, start
    while end < len(text):
        ch = text[end]
        if ch in "({[": depth += 1
        elif ch in ")}]": depth -= 1
        elif ch == "\n" and depth <= 0: break
        end += 1
    return text[start:end]

def bare_checks(path):
    """(line number, line) of every bare check in the file."""
    lines = code_lines(path)
    text = "\n".join(lines)
    hits = set()
    for number, line in enumerate(lines, 1):
        if inline.search(line) and "SystemCall." not in line:
            hits.add(number)
    for match in binding.finditer(text):
        made = statement(text, match.end())
        if not re.search(call, made) or "SystemCall." in made or re.match(r"try\b", made):
            continue
        name = match.group(1)
        for use in re.finditer(r"(?<![.\w])" + name + comparison, text[match.end():]):
            hits.add(text.count("\n", 0, match.end() + use.start()) + 1)
    return [(n, lines[n - 1].strip()) for n in sorted(hits)]

def errno_checks(path):
    return [(n, line.strip()) for n, line in enumerate(code_lines(path), 1) if errno_use.search(line)]

public = sum(len(re.findall(r"^\s*(?:@\w+\s+)*(?:\w+\s+)*public\s", open(p, encoding="utf-8").read(), re.M))
             for p in files)
package = sum(len(re.findall(r"^\s*(?:@\w+\s+)*(?:\w+\s+)*package\s", open(p, encoding="utf-8").read(), re.M))
              for p in files)
bare = {os.path.relpath(p, repo): bare_checks(p) for p in files if p not in funnel}
errno_reads = {os.path.relpath(p, repo): errno_checks(p) for p in files if p not in funnel}
clock_reads = sum(len(re.findall(r"ContinuousClock\(\)\.now|ContinuousClock\.now|CLOCK_MONOTONIC",
                                 open(p, encoding="utf-8").read())) for p in files if p not in clock_home)
sleeps = sum(len(re.findall(r"\busleep\(|Thread\.sleep|\bnanosleep\(", open(p, encoding="utf-8").read()))
             for p in files if p not in clock_home)
long_files = sorted((sum(1 for _ in open(p, encoding="utf-8")), os.path.relpath(p, repo)) for p in files)
long_files = [f for f in long_files if f[0] > 250]

print()
print(f"public declarations:                       {public}")
print(f"package declarations:                      {package}")
print(f"bare libc result checks outside the funnel: {sum(len(v) for v in bare.values())}")
print(f"errno reads outside the funnel:             {sum(len(v) for v in errno_reads.values())}")
print(f"monotonic clock reads outside clock types:  {clock_reads}")
print(f"sleeps outside clock types:                 {sleeps}")
print(f"Swift files over 250 lines:                 {len(long_files)}" +
      "".join(f"\n    {n} {p}" for n, p in long_files))
if show_where:
    for title, found in (("bare libc result checks", bare), ("errno reads", errno_reads)):
        print(f"\n{title}:")
        for path in sorted(found):
            for number, line in found[path]:
                print(f"  {path}:{number}: {line}")

sys.exit(1 if upward or unknown else 0)
