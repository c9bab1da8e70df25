"""Core of the fault matrix: what a case is, how it runs, how its outcome is classified.

Every case ends in exactly one outcome class:

  clear    refused with exit 2 and a clear message: names the file or field it is about, no
           "CocoaError"/"DecodingError"/"Fatal error", first line short enough to read
  ok       another outcome the case allows: a valid run (pass, leak, invalid, inconclusive), a
           damaged run folder judged non-pass while naming the file, an HTTP 4xx, ...
  unclear  not a crash, hang or wrong success, but not what the case expects either (exit 2
           without naming the file, exit 3 where a refusal was due, a profile soak accepted
           and tenantd then refused, ...)
  crash    exit code >= 128 (a signal), or a Swift trap / "Fatal error" / backtrace in the output,
           of soak or of the tenantd it started
  hang     the case outlived its time bound (`timeout -k 5 T` fired, or a signal was not obeyed
           within its bound)
  wrong    a wrong success: exit 0 (or a PASS verdict) where the case expects a refusal or a
           non-pass judgement

The script fails when crashes + hangs + wrong successes > 0.
"""

from __future__ import annotations

import dataclasses
import glob
import json
import os
import re
import signal
import subprocess
import time
from typing import Callable, Optional

CLEAR, OK, UNCLEAR, CRASH, HANG, WRONG = "clear", "ok", "unclear", "crash", "hang", "wrong"
CLASSES = [CLEAR, OK, UNCLEAR, CRASH, HANG, WRONG]
FAILING = {CRASH, HANG, WRONG}

# What a case expects from a command (custom cases classify themselves).
REFUSE = "refuse"                # exit 2 with a clear message; exit 0 is a wrong success
REFUSE_OR_RUN = "refuse-or-run"  # exit 2 with a clear message, or a run that ends in a verdict
NONPASS = "nonpass"              # exit 2 (clear) or 3 naming the damaged file; exit 0 / PASS is wrong
ANY = "any"                      # anything that is neither a crash nor a hang
PASS = "pass"                    # a control: must exit 0
WRITE_FAIL = "write-fail"        # exit 2 or 3 with a sentence on the failed write; exit 0 is wrong

# Output that means a trap or a crash, whatever the exit code says.
TRAP_RE = re.compile(
    r"Fatal error|Program crashed|Current stack trace|Stack dump|Backtracing from|"
    r"Illegal instruction|Segmentation fault|Precondition failed|Assertion failed|"
    r"Unexpectedly found nil|Swift runtime failure")
# Output that is not a clear message for a user.
UNCLEAR_RE = re.compile(
    r"CocoaError|NSCocoaErrorDomain|Error Domain=|DecodingError|keyNotFound|typeMismatch|"
    r"valueNotFound|dataCorrupted|POSIXErrorCode|_GenericObjCError|Optional\(")
VERDICT_RE = re.compile(r"^verdict: ([A-Z]+)", re.M)
MAX_FIRST_LINE = 1000
KEEP_TEXT = 64 * 1024


@dataclasses.dataclass
class Result:
    rc: int
    stdout: str
    stderr: str
    elapsed: float
    timed_out: bool
    timeout: float

    @property
    def text(self) -> str:
        return self.stdout + "\n" + self.stderr

    @property
    def verdict(self) -> Optional[str]:
        m = VERDICT_RE.search(self.stdout) or VERDICT_RE.search(self.stderr)
        return m.group(1) if m else None

    def first_err_line(self) -> str:
        for line in self.stderr.splitlines():
            if line.strip():
                return line.strip()
        for line in self.stdout.splitlines():
            if line.strip():
                return line.strip()
        return ""


@dataclasses.dataclass
class Case:
    category: str
    name: str
    expect: str = ANY
    argv: Optional[list] = None          # the command (soak/tenantd paths already filled in)
    timeout: float = 10.0                # seconds, for `timeout -k 5 T`
    mentions: tuple = ()                 # groups of alternatives a clear message must contain
    prepare: Optional[Callable] = None   # prepare(case_dir) writes the case's files first
    custom: Optional[Callable] = None    # custom(case, case_dir) -> (class, detail)
    ulimit_f: Optional[int] = None       # run under `ulimit -f N` (1 KiB blocks)
    serial: bool = False                 # timing-sensitive: one at a time, on a lane of its own
    note: str = ""                       # why the case expects what it expects
    group: str = ""                      # cases with one group are one idea (for --quick)
    must: bool = False                   # always in --quick (the audit's named cases)
    # filled in when run
    outcome: str = ""
    detail: str = ""
    elapsed: float = 0.0

    @property
    def id(self) -> str:
        return f"{self.category}/{self.name}"


class Context:
    """What every case may use: binaries, the work folder, options."""

    def __init__(self, soak: str, tenantd: str, work: str, root: str, quick: bool, keep: bool):
        self.soak = soak
        self.tenantd = tenantd
        self.work = work
        self.root = root
        self.quick = quick
        self.keep = keep
        self.env = dict(os.environ)
        self.env["LAZYSOAK_TENANTD"] = tenantd
        self.env["LAZYSOAK_PROFILES"] = os.path.join(root, "Profiles")
        # The matrix must not write annotations or job summaries of hundreds of runs into a CI job.
        for k in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY"):
            self.env.pop(k, None)
        self.good_run: Optional[str] = None  # a passing run folder, for the damaged copies


def clip(s: str, n: int = 200) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _decode(b: bytes) -> str:
    if len(b) > 2 * KEEP_TEXT:
        b = b[:KEEP_TEXT] + b"\n[...]\n" + b[-KEEP_TEXT:]
    return b.decode("utf-8", "replace")


def run_command(argv: list, cwd: str, timeout: float, env: dict,
                ulimit_f: Optional[int] = None) -> Result:
    """Runs argv under `timeout -k 5 T` (and `ulimit -f N` in a bash subshell when asked)."""
    t = f"{timeout:g}"
    full = ["timeout", "-k", "5", t] + list(argv)
    if ulimit_f is not None:
        full = ["bash", "-c", f'ulimit -f {int(ulimit_f)}; exec "$@"', "fault-matrix"] + full
    start = time.monotonic()
    proc = subprocess.Popen(full, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout + 20)
    except subprocess.TimeoutExpired:  # even timeout's SIGKILL did not end it: end its group
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out, err = proc.communicate()
        return Result(-9, _decode(out), _decode(err), time.monotonic() - start, True, timeout)
    elapsed = time.monotonic() - start
    rc = proc.returncode
    # 124: timeout's TERM ended it. After -k, timeout SIGKILLs its whole group, itself included.
    timed_out = rc == 124 or (rc in (137, -9) and elapsed >= timeout - 0.05)
    return Result(rc, _decode(out), _decode(err), elapsed, timed_out, timeout)


def signal_name(rc: int) -> str:
    n = rc - 128 if rc >= 128 else -rc
    try:
        return signal.Signals(n).name
    except ValueError:
        return f"signal {n}"


def trap_line(text: str) -> Optional[str]:
    for line in text.splitlines():
        if TRAP_RE.search(line):
            return line.strip()
    return None


def crash_of(res: Result, who: str = "soak") -> Optional[str]:
    """A crash of the command itself, from its exit code or its output."""
    trap = trap_line(res.text)
    if res.rc >= 128 or (res.rc < 0 and not res.timed_out):
        how = f"exit {res.rc} ({signal_name(res.rc)})" if res.rc > 0 else f"killed by {signal_name(res.rc)}"
        return f"{who} {how}" + (f": {clip(trap, 160)}" if trap else "")
    if trap:
        return f"{who} exit {res.rc}: {clip(trap, 160)}"
    return None


def target_crash(case_dir: str) -> Optional[str]:
    """A crash of a tenantd that soak started in this case (its run folders say so)."""
    for run_json in glob.glob(os.path.join(case_dir, "**", "run.json"), recursive=True):
        folder = os.path.dirname(run_json)
        try:
            with open(run_json, "rb") as f:
                run = json.loads(f.read(1 << 20))
            exit_ = run.get("target_exit") or {}
        except (OSError, ValueError, AttributeError):
            continue
        sig = (exit_.get("signaled") or {}).get("signal") if isinstance(exit_, dict) else None
        if sig and sig not in (signal.SIGTERM, signal.SIGKILL, signal.SIGINT):
            return f"tenantd died of {signal_name(-sig)}" + _stderr_trap(folder)
        trap = _stderr_trap(folder)
        if trap:
            return "tenantd" + trap
    return None


def _stderr_trap(folder: str) -> str:
    try:
        with open(os.path.join(folder, "target.stderr.log"), "rb") as f:
            t = trap_line(f.read(1 << 20).decode("utf-8", "replace"))
        return f": {clip(t, 160)}" if t else ""
    except OSError:
        return ""


def target_refusal(case_dir: str) -> str:
    """The first line tenantd wrote on stderr, when soak accepted what tenantd then refused."""
    for log in glob.glob(os.path.join(case_dir, "**", "target.stderr.log"), recursive=True):
        try:
            with open(log, "rb") as f:
                for line in f.read(1 << 16).decode("utf-8", "replace").splitlines():
                    if line.strip():
                        return clip(line, 160)
        except OSError:
            pass
    return ""


def clear_message(res: Result, mentions: tuple) -> tuple[bool, str]:
    """Whether a refusal explains itself: names what it is about, in words a user can read."""
    text = res.text
    first = res.first_err_line()
    if not first:
        return False, "nothing printed"
    m = UNCLEAR_RE.search(text)
    if m:
        line = next(l for l in text.splitlines() if UNCLEAR_RE.search(l))
        return False, f"raw error type ({m.group(0)}): {clip(line, 160)}"
    if len(first) > MAX_FIRST_LINE:
        return False, f"first line is {len(first)} characters long: {clip(first, 120)}"
    low = text.lower()
    for group in mentions:
        alts = (group,) if isinstance(group, str) else tuple(group)
        if not any(a.lower() in low for a in alts):
            return False, f"does not name {' or '.join(repr(a) for a in alts)}: {clip(first, 160)}"
    return True, clip(first, 160)


def classify(case: Case, res: Result, case_dir: str) -> tuple[str, str]:
    """The outcome class of a command case from its result."""
    if res.timed_out:
        return HANG, f"still running after {res.timeout:g}s (killed)"
    crash = crash_of(res)
    if crash:
        return CRASH, crash
    tcrash = target_crash(case_dir)
    if tcrash:
        return CRASH, tcrash
    if res.rc in (125, 126, 127):
        return UNCLEAR, f"the matrix could not run the command (exit {res.rc}): {clip(res.stderr)}"

    rc, verdict = res.rc, res.verdict
    vtxt = f" ({verdict})" if verdict else ""
    exp = case.expect

    if exp == ANY:
        return OK, f"exit {rc}{vtxt}"
    if exp == PASS:
        return (OK, "exit 0") if rc == 0 else (UNCLEAR, f"control expected exit 0, got {rc}{vtxt}: {clip(res.first_err_line())}")

    if rc == 0 or (verdict == "PASS" and exp != REFUSE_OR_RUN):
        if exp in (REFUSE, NONPASS, WRITE_FAIL):
            return WRONG, f"exit {rc}{vtxt}" + (f": {clip(res.stdout.strip().splitlines()[-1])}" if res.stdout.strip() else "")
    if rc == 2:
        ok, why = clear_message(res, case.mentions)
        return (CLEAR, why) if ok else (UNCLEAR, f"exit 2 but {why}")

    if exp == REFUSE:
        return UNCLEAR, f"expected a refusal (exit 2), got exit {rc}{vtxt}: {clip(res.first_err_line())}"
    if exp == REFUSE_OR_RUN:
        if rc in (0, 1):
            return OK, f"ran: exit {rc}{vtxt}"
        if rc == 3 and verdict == "CRASHED":
            refusal = target_refusal(case_dir)
            if refusal:
                return UNCLEAR, f"soak accepted it but the target did not start: {refusal}"
            return UNCLEAR, f"soak accepted it, the run crashed: {clip(res.stdout.strip().splitlines()[-1] if res.stdout.strip() else res.first_err_line())}"
        if rc == 3:
            return OK, f"ran: exit 3{vtxt}"
        return UNCLEAR, f"exit {rc}{vtxt}: {clip(res.first_err_line())}"
    if exp == NONPASS:
        if rc in (1, 3):
            names = _names(res.text, case.mentions)
            if names:
                return OK, f"exit {rc}{vtxt}, says {names}"
            return UNCLEAR, f"exit {rc}{vtxt} but never names {_alts(case.mentions)}: {clip(_last(res))}"
        return UNCLEAR, f"exit {rc}{vtxt}: {clip(_last(res))}"
    if exp == WRITE_FAIL:
        if rc == 3:
            ok, why = clear_message(res, case.mentions)
            return (OK, f"exit 3: {why}") if ok else (UNCLEAR, f"exit 3 but {why}")
        return UNCLEAR, f"exit {rc}{vtxt}: {clip(_last(res))}"
    return UNCLEAR, f"unknown expectation {exp}"


def _alts(mentions: tuple) -> str:
    out = []
    for g in mentions:
        out.extend((g,) if isinstance(g, str) else g)
    return " or ".join(repr(a) for a in out)


def _names(text: str, mentions: tuple) -> str:
    low = text.lower()
    for g in mentions:
        for a in ((g,) if isinstance(g, str) else g):
            if a.lower() in low:
                return repr(a)
    return "" if mentions else "(nothing asked)"


def _last(res: Result) -> str:
    lines = [l for l in (res.stdout + "\n" + res.stderr).splitlines() if l.strip()]
    verdict = [l for l in lines if l.startswith("verdict:")]
    return (verdict or lines or [""])[-1]


def render_table(cases: list) -> str:
    """The one table: per category and in total."""
    cats: dict = {}
    for c in cases:
        row = cats.setdefault(c.category, {k: 0 for k in CLASSES})
        row[c.outcome] += 1
    head = ["category", "cases", "clear errors", "other ok", "unclear", "crashes", "hangs", "wrong successes"]
    rows = []
    total = {k: 0 for k in CLASSES}
    for cat, row in cats.items():
        n = sum(row.values())
        rows.append([cat, n, row[CLEAR], row[OK], row[UNCLEAR], row[CRASH], row[HANG], row[WRONG]])
        for k in CLASSES:
            total[k] += row[k]
    rows.append(["TOTAL", sum(total.values()), total[CLEAR], total[OK], total[UNCLEAR],
                 total[CRASH], total[HANG], total[WRONG]])
    widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head))]

    def fmt(r):
        return "| " + " | ".join(str(v).ljust(widths[i]) if i == 0 else str(v).rjust(widths[i])
                                 for i, v in enumerate(r)) + " |"
    sep = "|" + "|".join("-" * (w + 2) if i == 0 else "-" * (w + 1) + ":" for i, w in enumerate(widths)) + "|"
    lines = [fmt(head), sep] + [fmt(r) for r in rows[:-1]] + [fmt(rows[-1])]
    return "\n".join(lines)
