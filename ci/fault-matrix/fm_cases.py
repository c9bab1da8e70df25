"""Categories 2-5 and some command-line cases: unwritable --out paths, damaged run folders,
`ulimit -f`, signals, bad flags of soak and tenantd.
"""

from __future__ import annotations

import csv
import glob
import json
import os
import random
import select
import shutil
import signal
import subprocess
import time

from fm_core import (ANY, CLEAR, CRASH, HANG, NONPASS, OK, PASS, REFUSE, UNCLEAR, WRITE_FAIL, WRONG,
                     Case, clip, crash_of, run_command, signal_name)

RUN_SHORT = ["--duration", "1h"]  # 20 cycles of the quick profile: about a second
# A degenerate input may be refused (2) or judged non-pass (1, 3); a pass (0) is wrong.
NONPASS_OR_REFUSE = NONPASS

# ---------------------------------------------------------------- 2. unwritable --out paths


def out_path_cases(ctx) -> list:
    def case(name, out, prepare=None, mentions=()):
        argv = [ctx.soak, "run", "quick", *RUN_SHORT, "--out", out]
        return Case("out-path", name, REFUSE, argv, timeout=20, prepare=prepare,
                    mentions=mentions or ((out or "--out",),), group=name)

    def make_file(d):
        with open(os.path.join(d, "afile"), "w") as f:
            f.write("x\n")

    long_out = "./" + "/".join(["d" * 200] * 30)   # 6 KB path: beyond PATH_MAX
    long_name = "./" + "n" * 300                   # one name beyond NAME_MAX
    return [
        case("/proc/x (not creatable)", "/proc/x"),
        case("/proc/self/status/x (under a proc file)", "/proc/self/status/x", mentions=(("/proc/self/status",),)),
        case("/sys/kernel/x (read-only sysfs)", "/sys/kernel/x"),
        case("/proc (a read-only folder)", "/proc"),
        case("an existing regular file", "./afile", make_file),
        case("a path under a regular file", "./afile/sub", make_file, mentions=(("afile",),)),
        case("/dev/null", "/dev/null"),
        case("empty string", "", mentions=(("--out",),)),
        case("path longer than PATH_MAX", long_out, mentions=(("--out", "too long", "name"),)),
        case("a name longer than NAME_MAX", long_name, mentions=(("--out", "too long", "n" * 40),)),
        Case("out-path", "--out without a value", REFUSE, [ctx.soak, "run", "quick", "--out"], timeout=10,
             mentions=(("--out",),), group="no-value"),
        Case("out-path", "--detach with /proc/x", REFUSE,
             [ctx.soak, "run", "quick", *RUN_SHORT, "--detach", "--out", "/proc/x"], timeout=20,
             mentions=(("/proc/x",),), group="detach"),
    ]


# ---------------------------------------------------------------- soak command line


def cli_cases(ctx) -> list:
    def case(name, args, expect=REFUSE, mentions=(), prepare=None, timeout=20):
        return Case("soak-cli", name, expect, [ctx.soak, *args], timeout=timeout, mentions=mentions,
                    prepare=prepare, group=name)

    def csv_file(text_or_bytes, name="x.csv"):
        def prep(d):
            data = text_or_bytes if isinstance(text_or_bytes, bytes) else text_or_bytes.encode()
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)
        return prep

    rows = "t,y\n" + "".join(f"{i},{100 + (i % 3)}\n" for i in range(200))
    growing = "t,y\n" + "".join(f"{i},{1000 + 50 * i}\n" for i in range(200))
    out = []
    for v in ["0", "-1", "NaN", "inf", "1e30", "1e-7", "9223372036854775807", "7200x", ""]:
        out.append(case(f"run --accelerate {v!r}", ["run", "quick", *RUN_SHORT, "--accelerate", v, "--out", "o"],
                        REFUSE if v not in ("1e-7",) else NONPASS_OR_REFUSE, mentions=(("--accelerate", "accelerate"),),
                        timeout=20))
    for v in ["0s", "-1s", "NaN", "9223372036854775807d", "1e30d", "1µs", "90", "", "3mm"]:
        out.append(case(f"run --duration {v!r}", ["run", "quick", "--duration", v, "--out", "o"],
                        REFUSE, mentions=(("--duration", "duration"),)))
    out += [
        case("unknown command", ["frobnicate"], mentions=(("frobnicate",),)),
        case("unknown flag", ["run", "quick", "--frobnicate"], mentions=(("--frobnicate",),)),
        case("run without a profile", ["run"], mentions=(("profile", "PROFILE"),)),
        case("run an unknown shipped profile", ["run", "no-such-profile"], mentions=(("no-such-profile",),)),
        case("run a missing file", ["run", "./missing.json"], mentions=(("missing.json",),)),
        case("run a directory", ["run", "/tmp/"], mentions=(("/tmp",),)),
        case("run /dev/null", ["run", "/dev/null"], mentions=(("/dev/null",),)),
        case("run /proc/self/mem", ["run", "/proc/self/mem"], mentions=(("/proc/self/mem",),)),
        case("run a FIFO (nobody writes)", ["run", "./fifo.json"], mentions=(("fifo.json",),),
             prepare=lambda d: os.mkfifo(os.path.join(d, "fifo.json")), timeout=10),
        case("report without a folder", ["report"], mentions=(("DIR", "folder"),)),
        case("report a missing folder", ["report", "./nope"], mentions=(("nope",),)),
        case("report a regular file", ["report", "./x.csv"], mentions=(("x.csv",),), prepare=csv_file(rows)),
        case("report /proc/self", ["report", "/proc/self"], NONPASS_OR_REFUSE, mentions=(("/proc/self", "run.json", "samples.csv"),)),
        case("report an empty folder", ["report", "./empty"], NONPASS_OR_REFUSE, mentions=(("empty", "run.json", "samples.csv"),),
             prepare=lambda d: os.mkdir(os.path.join(d, "empty"))),
        case("report --threshold garbage", ["report", "./empty", "--threshold", "rss=NaN"],
             mentions=(("threshold", "rss"),), prepare=lambda d: os.mkdir(os.path.join(d, "empty"))),
        case("status of a missing folder", ["status", "./nope"], mentions=(("nope",),)),
        case("stop a missing folder", ["stop", "./nope"], mentions=(("nope",),)),
        case("stop --timeout NaN", ["stop", "./nope", "--timeout", "NaN"], mentions=(("timeout", "nope"),)),
        case("diff two missing runs", ["diff", "./a", "./b"], mentions=(("./a", "./b", "a:", "b:"),)),
        case("diff --tolerance garbage", ["diff", "./a", "./b", "--tolerance", "rss=-5%"],
             mentions=(("tolerance", "rss", "./a"),)),
        case("baseline save with a path as name", ["baseline", "save", "./empty", "../../../tmp/evil"],
             mentions=(("evil", "name"),), prepare=lambda d: os.mkdir(os.path.join(d, "empty"))),
        case("analyze a missing file", ["analyze", "./nope.csv", "--y", "y"], mentions=(("nope.csv",),)),
        case("analyze: column not in the file", ["analyze", "./x.csv", "--y", "nope"], mentions=(("nope",),),
             prepare=csv_file(rows)),
        case("analyze: empty file", ["analyze", "./x.csv", "--y", "y"], NONPASS_OR_REFUSE, mentions=(("x.csv",),),
             prepare=csv_file("")),
        case("analyze: header only", ["analyze", "./x.csv", "--y", "y"], NONPASS_OR_REFUSE, mentions=(("x.csv", "points", "inconclusive"),),
             prepare=csv_file("t,y\n")),
        case("analyze: every value NaN", ["analyze", "./x.csv", "--y", "y"], NONPASS_OR_REFUSE,
             mentions=(("inconclusive", "NaN", "points", "x.csv"),),
             prepare=csv_file("t,y\n" + "".join(f"{i},NaN\n" for i in range(200)))),
        case("analyze: every value inf", ["analyze", "./x.csv", "--y", "y"], NONPASS_OR_REFUSE,
             mentions=(("inconclusive", "inf", "points", "x.csv"),),
             prepare=csv_file("t,y\n" + "".join(f"{i},inf\n" for i in range(200)))),
        case("analyze: values 1e308 and -1e308", ["analyze", "./x.csv", "--y", "y"], ANY,
             prepare=csv_file("t,y\n" + "".join(f"{i},{'1e308' if i % 2 else '-1e308'}\n" for i in range(200)))),
        case("analyze: binary garbage", ["analyze", "./x.csv", "--y", "y"], NONPASS_OR_REFUSE, mentions=(("x.csv", "y"),),
             prepare=csv_file(bytes(random.Random(1).randrange(256) for _ in range(4096)))),
        case("analyze: a control that grows", ["analyze", "./x.csv", "--y", "y", "--x", "t"], ANY,
             prepare=csv_file(growing)),
        case("analyze --warmup 200%", ["analyze", "./x.csv", "--y", "y", "--warmup", "200%"],
             mentions=(("warmup",),), prepare=csv_file(rows)),
        case("analyze --warmup -1", ["analyze", "./x.csv", "--y", "y", "--warmup", "-1"],
             mentions=(("warmup",),), prepare=csv_file(rows)),
        case("analyze --warmup NaN%", ["analyze", "./x.csv", "--y", "y", "--warmup", "NaN%"],
             mentions=(("warmup",),), prepare=csv_file(rows)),
        case("analyze: a 1 MB line without newline", ["analyze", "./x.csv", "--y", "y"], NONPASS_OR_REFUSE,
             mentions=(("x.csv", "y"),), prepare=csv_file("t,y\n0," + "9" * 1_000_000)),
    ]
    return out


# ---------------------------------------------------------------- 3. damaged run folders


def make_good_run(ctx) -> tuple[bool, str]:
    """One passing `soak run quick` folder, to copy and damage. Retried on a busy machine."""
    base = os.path.join(ctx.work, "good")
    last = ""
    for attempt in range(3):
        shutil.rmtree(base, ignore_errors=True)
        os.makedirs(base)
        res = run_command([ctx.soak, "run", "quick", "--duration", "2h", "--out", "./out"], base, 60, ctx.env)
        folders = glob.glob(os.path.join(base, "out", "*", "samples.csv"))
        last = f"exit {res.rc}: {clip(res.stdout.strip().splitlines()[-1] if res.stdout.strip() else res.stderr)}"
        if res.rc == 0 and folders:
            ctx.good_run = os.path.dirname(folders[0])
            return True, last
        if folders:
            ctx.good_run = os.path.dirname(folders[0])
    return False, last


def _rewrite_csv(path, fn):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    fn(header, body)
    with open(path, "w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([header] + body)


def _column(name, value):
    def fn(header, body):
        i = header.index(name)
        for r in body:
            r[i] = value
    return fn


def _all_metrics_empty(header, body):
    for i, h in enumerate(header):
        if h not in ("sim_seconds", "wall_seconds", "kind", "cycle"):
            for r in body:
                r[i] = ""


def _truncate_lines(path, frac):
    with open(path, "rb") as f:
        lines = f.read().splitlines(keepends=True)
    with open(path, "wb") as f:
        f.writelines(lines[: max(1, int(len(lines) * frac))])


def _cut_bytes(path, frac):
    with open(path, "rb") as f:
        data = f.read()
    cut = int(len(data) * frac)
    while cut < len(data) and data[cut - 1:cut] == b"\n":  # make sure the cut is mid-line
        cut += 1
    with open(path, "wb") as f:
        f.write(data[:cut])


def _write(path, data: bytes):
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.remove(path)
    with open(path, "wb") as f:
        f.write(data)


def _garbage(n=4096, seed=7):
    return bytes(random.Random(seed).randrange(256) for _ in range(n))


def _remove(path):
    os.remove(path)


def _replace_with_dir(path):
    os.remove(path)
    os.mkdir(path)


def _replace_with_fifo(path):
    os.remove(path)
    os.mkfifo(path)


def _edit_json(path, fn):
    with open(path) as f:
        obj = json.load(f)
    fn(obj)
    with open(path, "w") as f:
        json.dump(obj, f)


def _only_lifecycle_events(path):
    with open(path) as f:
        kept = [l for l in f if '"type":"request"' not in l.replace(" ", "")]
    with open(path, "w") as f:
        f.writelines(kept)


def _requests_violating(path):
    out = []
    with open(path) as f:
        for l in f:
            try:
                e = json.loads(l)
            except ValueError:
                out.append(l)
                continue
            if e.get("type") == "request" and e.get("cycle", 0) > 0:
                e["ok"] = False
                e["artifact_was"] = "actual"
                e["violation"] = "artifact was actual, expected ghost"
            out.append(json.dumps(e) + "\n")
    with open(path, "w") as f:
        f.writelines(out)


def _keep_only(folder, keep):
    for name in os.listdir(folder):
        if name not in keep:
            p = os.path.join(folder, name)
            shutil.rmtree(p) if os.path.isdir(p) and not os.path.islink(p) else os.remove(p)


def folder_cases(ctx) -> list:
    S, E, R = "samples.csv", "events.jsonl", "run.json"
    damages = [
        # (name, file the damage is about, damage(folder), expectation)
        ("samples.csv: rss_bytes NaN on every row", ("rss", S), lambda d: _rewrite_csv(f"{d}/{S}", _column("rss_bytes", "NaN")), NONPASS),
        ("samples.csv: rss_bytes inf on every row", ("rss", S), lambda d: _rewrite_csv(f"{d}/{S}", _column("rss_bytes", "inf")), NONPASS),
        ("samples.csv: rss_bytes -1 on every row", ("rss", S), lambda d: _rewrite_csv(f"{d}/{S}", _column("rss_bytes", "-1")), NONPASS),
        ("samples.csv: heap_in_use_bytes empty on every row", ("heap_in_use", S), lambda d: _rewrite_csv(f"{d}/{S}", _column("heap_in_use_bytes", "")), NONPASS),
        ("samples.csv: every metric empty on every row", (S, "inconclusive"), lambda d: _rewrite_csv(f"{d}/{S}", _all_metrics_empty), NONPASS),
        ("samples.csv: header only", (S,), lambda d: _truncate_lines(f"{d}/{S}", 0.0), NONPASS),
        ("samples.csv: deleted", (S,), lambda d: _remove(f"{d}/{S}"), NONPASS),
        ("samples.csv: emptied", (S,), lambda d: _write(f"{d}/{S}", b""), NONPASS),
        ("samples.csv: binary garbage", (S,), lambda d: _write(f"{d}/{S}", _garbage()), NONPASS),
        ("samples.csv: truncated to half its lines", (S, "cycles"), lambda d: _truncate_lines(f"{d}/{S}", 0.5), NONPASS),
        ("samples.csv: cut mid-line at half its bytes", (S, "cut-off", "partial"), lambda d: _cut_bytes(f"{d}/{S}", 0.5), NONPASS),
        ("samples.csv: header line removed", (S,), lambda d: _write(f"{d}/{S}", b"".join(open(f"{d}/{S}", "rb").readlines()[1:])), NONPASS),
        ("samples.csv: rss_bytes column renamed", ("rss", S), lambda d: _write(f"{d}/{S}", open(f"{d}/{S}", "rb").read().replace(b"rss_bytes", b"rss_bites", 1)), NONPASS),
        ("samples.csv: a directory", (S,), lambda d: _replace_with_dir(f"{d}/{S}"), NONPASS),
        ("samples.csv: a FIFO nobody writes", (S,), lambda d: _replace_with_fifo(f"{d}/{S}"), NONPASS),
        # A cut-off last line is documented to be skipped: the evidence before it is whole.
        ("samples.csv: a 20 MB cut-off last line appended", (S,), lambda d: open(f"{d}/{S}", "ab").write(b"1," * 10_000_000), ANY),
        ("events.jsonl: deleted", (E,), lambda d: _remove(f"{d}/{E}"), NONPASS),
        ("events.jsonl: emptied", (E,), lambda d: _write(f"{d}/{E}", b""), NONPASS),
        ("events.jsonl: binary garbage", (E,), lambda d: _write(f"{d}/{E}", _garbage(seed=8)), NONPASS),
        ("events.jsonl: cut mid-line at half its bytes", (E,), lambda d: _cut_bytes(f"{d}/{E}", 0.5), NONPASS),
        ("events.jsonl: request events removed", (E, "request", "integrity"), lambda d: _only_lifecycle_events(f"{d}/{E}"), NONPASS),
        ("events.jsonl: every request a violation", ("integrity", "violation", "INVALID"), lambda d: _requests_violating(f"{d}/{E}"), NONPASS),
        ("events.jsonl: a FIFO nobody writes", (E,), lambda d: _replace_with_fifo(f"{d}/{E}"), NONPASS),
        ("run.json: deleted", (R,), lambda d: _remove(f"{d}/{R}"), NONPASS),
        ("run.json: garbage", (R,), lambda d: _write(f"{d}/{R}", _garbage(512, 9)), NONPASS),
        ("run.json: emptied", (R,), lambda d: _write(f"{d}/{R}", b""), NONPASS),
        ("run.json: an array", (R,), lambda d: _write(f"{d}/{R}", b"[]"), NONPASS),
        ("run.json: {}", (R,), lambda d: _write(f"{d}/{R}", b"{}"), NONPASS),
        ("run.json: schema 99", (R, "schema"), lambda d: _edit_json(f"{d}/{R}", lambda o: o.update(schema=99)), NONPASS),
        ("run.json: cycles_completed a string", (R, "cycles_completed"), lambda d: _edit_json(f"{d}/{R}", lambda o: o.update(cycles_completed="many")), NONPASS),
        ("run.json: status running, harness gone", (R, "interrupted", "killed", "running"),
         lambda d: _edit_json(f"{d}/{R}", lambda o: o.update(status="running", harness_pid=2**22 - 3)), NONPASS),
        ("run.json: a directory", (R,), lambda d: _replace_with_dir(f"{d}/{R}"), NONPASS),
        ("only samples.csv left", (R, E), lambda d: _keep_only(d, {S}), NONPASS),
        ("only run.json left", (S,), lambda d: _keep_only(d, {R}), NONPASS),
        # Derived files: soak report rewrites them from the evidence, so any non-crash outcome is fine.
        ("summary.json: garbage (derived, rewritten)", (), lambda d: _write(f"{d}/summary.json", _garbage(512, 10)), ANY),
        ("profile.json: deleted (a copy; run.json names the profile)", (), lambda d: _remove(f"{d}/profile.json"), ANY),
        ("profile.json: garbage", (), lambda d: _write(f"{d}/profile.json", _garbage(512, 11)), ANY),
        ("status.json and soak.pid garbage", (), lambda d: (_write(f"{d}/status.json", b"\x00\xff"), _write(f"{d}/soak.pid", b"-1\n")), ANY),
    ]
    out = [Case("run-folder", "control: the undamaged copy passes", PASS, [ctx.soak, "report", "./run"], timeout=30,
                prepare=_copy_good(ctx, None), group="control")]
    for name, mentions, damage, expect in damages:
        timeout = 10 if "FIFO" in name else 30
        out.append(Case("run-folder", name, expect, [ctx.soak, "report", "./run"], timeout=timeout,
                        mentions=(tuple(mentions),) if mentions else (), prepare=_copy_good(ctx, damage),
                        group=name))
    out.append(Case("run-folder", "diff: candidate's summary.json garbage", ANY,
                    [ctx.soak, "diff", "./good", "./run"], timeout=30, group="diff-garbage",
                    prepare=_copy_good(ctx, lambda d: _write(f"{d}/summary.json", _garbage(512, 12)), also_good=True)))
    out.append(Case("run-folder", "diff: against a folder with samples.csv deleted", NONPASS,
                    [ctx.soak, "diff", "./good", "./run"], timeout=30, group="diff-nosamples",
                    mentions=(("samples.csv", "summary.json", "./run"),),
                    prepare=_copy_good(ctx, lambda d: (_remove(f"{d}/samples.csv"), _remove(f"{d}/summary.json")), also_good=True)))
    return out


def _copy_good(ctx, damage, also_good=False):
    def prepare(case_dir):
        if not ctx.good_run:
            raise RuntimeError("no good run folder to copy (the setup run failed)")
        dst = os.path.join(case_dir, "run")
        shutil.copytree(ctx.good_run, dst, symlinks=True)
        if also_good:
            shutil.copytree(ctx.good_run, os.path.join(case_dir, "good"), symlinks=True)
        if damage:
            damage(dst)
    return prepare


# ---------------------------------------------------------------- 5. ulimit -f


def fsize_cases(ctx) -> list:
    words = (("write", "file size", "too large", "limit", "space", "EFBIG"),)
    out = []
    for blocks, dur in ((100, "8h"), (16, "2h"), (1, "1h")):
        out.append(Case("file-size", f"soak run quick --duration {dur} under ulimit -f {blocks}", WRITE_FAIL,
                        [ctx.soak, "run", "quick", "--duration", dur, "--out", "./out"], timeout=60,
                        ulimit_f=blocks, mentions=words, serial=True, group=f"run|{blocks}"))
    out.append(Case("file-size", "soak report under ulimit -f 8 (report.html does not fit)", WRITE_FAIL,
                    [ctx.soak, "report", "./run"], timeout=30, ulimit_f=8, mentions=words, serial=True,
                    prepare=_copy_good(ctx, lambda d: [os.remove(os.path.join(d, n)) for n in
                                                      ("summary.json", "report.html", "junit.xml", "summary.md")]),
                    group="report"))
    return out


# ---------------------------------------------------------------- 4. signals


def _spawn(ctx, argv, cwd):
    out = open(os.path.join(cwd, "soak.stdout"), "wb")
    err = open(os.path.join(cwd, "soak.stderr"), "wb")
    return subprocess.Popen(argv, cwd=cwd, env=ctx.env, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                            start_new_session=True)


def _folder(out_dir):
    found = glob.glob(os.path.join(out_dir, "*", "run.json")) or glob.glob(os.path.join(out_dir, "*", "soak.pid"))
    return os.path.dirname(found[0]) if found else None


def _wait_for(pred, limit):
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.05)
    return False


def _events_have(folder, word):
    try:
        with open(os.path.join(folder, "events.jsonl"), "rb") as f:
            return word.encode() in f.read()
    except (OSError, TypeError):
        return False


def _read(path, n=1 << 16):
    try:
        with open(path, "rb") as f:
            return f.read(n).decode("utf-8", "replace")
    except OSError:
        return ""


def _target_pid(folder):
    try:
        with open(os.path.join(folder, "run.json")) as f:
            return int(json.load(f).get("target_pid") or 0)
    except (OSError, ValueError, TypeError, AttributeError):
        return 0


def _alive(pid):
    if pid <= 0:
        return False
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def _readline(stream, deadline):
    """One line from a pipe, or None at end of file or deadline."""
    while time.monotonic() < deadline:
        r, _, _ = select.select([stream], [], [], max(0.0, min(0.2, deadline - time.monotonic())))
        if r:
            line = stream.readline()
            return line or None
    return None


def _kill_group(p):
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        p.wait(5)
    except subprocess.TimeoutExpired:
        pass


def signal_case(ctx, name, argv_tail, when, sig=signal.SIGTERM, bound=2.0, prepare=None, kill_then_report=False):
    """Starts `soak run`, waits for a phase, sends a signal; soak must exit within `bound` seconds
    (not by dying of the signal) with a non-pass code, and leave a folder `soak report` analyses."""

    def custom(case, d):
        argv = [ctx.soak, "run", *argv_tail, "--out", "./out"]
        p = _spawn(ctx, argv, d)
        out_dir = os.path.join(d, "out")
        try:
            reached = when(p, out_dir)
            if p.poll() is not None:
                return UNCLEAR, f"soak ended (exit {p.returncode}) before the signal could be sent: {clip(_read(os.path.join(d, 'soak.stderr')))}"
            if not reached:
                phase_note = " (phase not observed; sent anyway)"
            else:
                phase_note = ""
            folder = _folder(out_dir)
            tpid = _target_pid(folder) if folder else 0
            t0 = time.monotonic()
            os.kill(p.pid, sig)
            try:
                rc = p.wait(timeout=bound if not kill_then_report else 5)
                took = time.monotonic() - t0
            except subprocess.TimeoutExpired:  # late: say how late, for whoever fixes it
                try:
                    rc = p.wait(timeout=1 if ctx.quick else 8)
                    return HANG, f"exited (exit {rc}) only {time.monotonic() - t0:.1f}s after {sig.name}, bound {bound:g}s{phase_note}"
                except subprocess.TimeoutExpired:
                    _kill_group(p)
                    return HANG, f"still running {time.monotonic() - t0:.0f}s after {sig.name} (bound {bound:g}s){phase_note}; killed"
            text = _read(os.path.join(d, "soak.stdout")) + _read(os.path.join(d, "soak.stderr"))
            folder = _folder(out_dir)
            tpid = tpid or (_target_pid(folder) if folder else 0)
            if tpid and not _wait_for(lambda: not _alive(tpid), 3.0):
                os.kill(tpid, signal.SIGKILL)
                return HANG, f"soak exited but its target (pid {tpid}) was still running 3 s later; killed"
            if not kill_then_report:
                if rc < 0 or rc >= 128:
                    return CRASH, f"soak died of {signal_name(rc if rc >= 128 else rc)} after {took:.2f}s instead of handling it"
                if "Fatal error" in text or "Program crashed" in text:
                    return CRASH, f"trap after {sig.name}: {clip(text)}"
                if rc == 0:
                    return WRONG, f"exit 0 after {sig.name} mid-run{phase_note}"
            if not folder:
                return UNCLEAR, f"exit {rc} after {took:.2f}s but no run folder was left{phase_note}"
            rep = run_command([ctx.soak, "report", folder], d, 30, ctx.env)
            crash = crash_of(rep, "soak report")
            if rep.timed_out:
                return HANG, f"soak report of the interrupted folder still running after 30s"
            if crash:
                return CRASH, crash
            if rep.rc == 0:
                return WRONG, f"soak report passes the interrupted run ({rep.verdict})"
            if rep.rc == 2:
                return UNCLEAR, f"soak report cannot analyse the folder: {clip(rep.first_err_line())}"
            what = "SIGKILL" if kill_then_report else f"exit {rc} in {took:.2f}s"
            return OK, f"{what}{phase_note}; report: exit {rep.rc} {rep.verdict or ''}".rstrip()
        finally:
            if p.poll() is None:
                _kill_group(p)

    return Case("signals", name, custom=custom, prepare=prepare, serial=True, timeout=60, group=name)


def _seeding(p, out_dir):
    return _wait_for(lambda: bool(glob.glob(os.path.join(out_dir, "*", "registry", "tenants", "*"))), 15)


def _after_ready(seconds):
    def when(p, out_dir):
        ok = _wait_for(lambda: _events_have(_folder(out_dir), '"ready"'), 20)
        time.sleep(seconds)
        return ok
    return when


def _after(seconds):
    def when(p, out_dir):
        _wait_for(lambda: _folder(out_dir) is not None, 10)
        time.sleep(seconds)
        return _folder(out_dir) is not None
    return when


def _profile_file(name, mutate):
    def prepare(d):
        with open(os.path.join(os.environ.get("FM_ROOT", "."), "Profiles", "quick.json")) as f:
            p = json.load(f)
        # quick runs on the stepped clock, which waits for nothing; these cases time what a
        # signal interrupts while the harness waits, so they run on the scaled clock.
        p.pop("clock", None)
        mutate(p)
        with open(os.path.join(d, name), "w") as f:
            json.dump(p, f, indent=2)
    return prepare


def signal_cases(ctx) -> list:
    os.environ["FM_ROOT"] = ctx.root
    # The largest registry a profile may ask for (10,000 tenants, over a minute of seeding); the
    # 100,000 of the first audit is now refused before anything starts (a profile-mutation case).
    many = _profile_file("many.json", lambda p: p["target"]["tenantd"].update(tenants=10000, payloadKB=1))
    slow_samples = _profile_file("ten-minute-samples.json", lambda p: p["sampling"].update(every="10m"))
    never_ready = _profile_file("never-ready.json", lambda p: (
        p.__setitem__("target", {"command": {"argv": ["/bin/sleep", "120"], "ready": {"stdoutLine": "never printed"},
                                             "readyTimeout": "60s"}}),
        p["scenario"].update(kind="sample-only", requests=[])))
    out = [
        signal_case(ctx, "SIGTERM while seeding 10000 tenants", ["./many.json", "--duration", "1h"], _seeding, prepare=many),
        signal_case(ctx, "SIGTERM while waiting for readiness", ["./never-ready.json", "--duration", "1h"], _after(1.0), prepare=never_ready),
        signal_case(ctx, "SIGTERM mid-run at --accelerate 1 (sampling every 1m)", ["quick", "--accelerate", "1", "--duration", "1h"], _after_ready(2.0)),
        # Real time is the slowest clock now (--accelerate 0.0001 is refused up front); the longest
        # wait is then a 10-minute sampling period.
        signal_case(ctx, "SIGTERM mid-run at --accelerate 1 (sampling every 10m)",
                    ["./ten-minute-samples.json", "--accelerate", "1", "--duration", "1h"], _after_ready(2.0),
                    prepare=slow_samples),
        signal_case(ctx, "SIGTERM mid-run at 7200x", ["quick", "--duration", "2d"], _after_ready(1.5)),
        signal_case(ctx, "SIGINT mid-run at 7200x", ["quick", "--duration", "2d"], _after_ready(1.5), sig=signal.SIGINT),
        signal_case(ctx, "SIGKILL mid-run, then soak report", ["quick", "--duration", "2d"], _after_ready(1.5),
                    sig=signal.SIGKILL, kill_then_report=True),
        Case("signals", "soak stop on a detached run", custom=_detached_stop(ctx), serial=True, timeout=60, group="stop"),
    ]
    return out


def _detached_stop(ctx):
    def custom(case, d):
        res = run_command([ctx.soak, "run", "quick", "--duration", "2d", "--detach", "--out", "./out"], d, 30, ctx.env)
        if res.timed_out:
            return HANG, "soak run --detach did not return within 30s"
        crash = crash_of(res, "soak run --detach")
        if crash:
            return CRASH, crash
        folder = _folder(os.path.join(d, "out"))
        if res.rc != 0 or not folder:
            return UNCLEAR, f"soak run --detach: exit {res.rc}: {clip(res.first_err_line())}"
        try:
            hpid = int(_read(os.path.join(folder, "soak.pid")).strip() or 0)
        except ValueError:
            hpid = 0
        _wait_for(lambda: _events_have(folder, '"ready"'), 15)
        time.sleep(1.0)
        t0 = time.monotonic()
        stop = run_command([ctx.soak, "stop", folder, "--timeout", "10s"], d, 20, ctx.env)
        took = time.monotonic() - t0
        try:
            if stop.timed_out:
                return HANG, "soak stop still running after 20s"
            crash = crash_of(stop, "soak stop")
            if crash:
                return CRASH, crash
            if hpid and not _wait_for(lambda: not _alive(hpid), 3.0):
                return HANG, f"the detached harness (pid {hpid}) still runs 3 s after soak stop returned"
            if stop.rc == 0 and stop.verdict == "PASS":
                return WRONG, "soak stop reports PASS for a run stopped at a fraction of its cycles"
            return OK, f"soak stop: exit {stop.rc} {stop.verdict or ''} in {took:.1f}s".rstrip()
        finally:
            if hpid and _alive(hpid):
                os.kill(hpid, signal.SIGKILL)
    return custom


# ---------------------------------------------------------------- tenantd command line


def tenantd_flag_cases(ctx) -> list:
    """Flags tenantd must refuse (exit 2, naming the flag); starting to listen is a wrong success."""

    def custom_for(args, flag, seed=False):
        def custom(case, d):
            reg = os.path.join(d, "reg")
            os.makedirs(os.path.join(reg, "tenants"), exist_ok=True)
            argv = [ctx.tenantd] + ([] if seed else ["--registry", reg, "--listen", "127.0.0.1:0"]) + args
            argv = [a.replace("{reg}", reg) for a in argv]
            errf = open(os.path.join(d, "stderr.txt"), "w+b")
            p = subprocess.Popen(argv, cwd=d, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errf,
                                 start_new_session=True, env=ctx.env)
            out, listening = b"", False
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                line = _readline(p.stdout, deadline)
                if line is None:
                    break
                out += line
                if b"listening on" in line:
                    listening = True
                    break
            if listening:  # accepted: give it a second to trap on the value, then stop it
                try:
                    p.wait(1.0)
                except subprocess.TimeoutExpired:
                    _kill_group(p)
                    return WRONG, f"accepted {' '.join(argv[1:])} and listened"
            else:
                try:
                    p.wait(max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    _kill_group(p)
                    return HANG, "neither refused nor listening after 10s"
            errf.seek(0)
            err = errf.read()
            text = (out + err).decode("utf-8", "replace")
            rc = p.returncode
            if rc < 0 or rc >= 128 or "Fatal error" in text or "Program crashed" in text:
                how = f"killed by {signal_name(rc)}" if rc < 0 else f"exit {rc}"
                return CRASH, f"tenantd {how}: {clip(next((l for l in text.splitlines() if 'Fatal' in l), text))}"
            if rc == 0:
                return WRONG, f"exit 0 for {' '.join(argv[1:])}"
            first = next((l for l in err.decode("utf-8", "replace").splitlines() if l.strip()), "")
            if rc == 2 and flag.lower() in text.lower() and "CocoaError" not in text:
                return CLEAR, clip(first)
            return UNCLEAR, f"exit {rc}: {clip(first or text)}"
        return custom

    flags = [
        (["--time-scale", "0"], "--time-scale"), (["--time-scale", "-1"], "--time-scale"),
        (["--time-scale", "NaN"], "--time-scale"), (["--time-scale", "inf"], "--time-scale"),
        (["--time-scale", "1e308"], "--time-scale"), (["--tenant-idle", "9223372036854775807d"], "--tenant-idle"),
        (["--artifact-idle", "3"], "--artifact-idle"), (["--sweep-every", "-1s"], "--sweep-every"),
        (["--sweep-every", "1e30d"], "--sweep-every"), (["--max-connections", "0"], "--max-connections"),
        (["--max-connections", "-1"], "--max-connections"), (["--max-connections", "9223372036854775808"], "--max-connections"),
        (["--connection-idle", "NaN"], "--connection-idle"), (["--wait-timeout", "-5s"], "--wait-timeout"),
        (["--listen", "127.0.0.1:99999"], "--listen"), (["--listen", "127.0.0.1:-1"], "--listen"),
        (["--listen", "not-an-address"], "--listen"), (["--leak-bytes", "9223372036854775808"], "--leak-bytes"),
        (["--inject-leak", "bogus"], "--inject-leak"), (["--bogus"], "--bogus"),
        (["--registry", "/nonexistent/registry"], "/nonexistent/registry"),
        (["--registry", "/proc/self/status"], "/proc/self/status"),
    ]
    out = []
    for args, flag in flags:
        out.append(Case("tenantd-cli", "tenantd " + " ".join(args), custom=custom_for(args, flag), timeout=15, group=" ".join(args)))
    seeds = [
        (["seed", "--tenants", "0", "--artifacts", "1", "{reg}/s"], "--tenants"),
        (["seed", "--tenants", "-1", "--artifacts", "1", "{reg}/s"], "--tenants"),
        (["seed", "--tenants", "1", "--artifacts", "1", "--payload-kb", "9223372036854775807", "{reg}/s"], "--payload-kb"),
        (["seed", "--tenants", "1", "--artifacts", "1", "--kind", "bogus", "{reg}/s"], "--kind"),
        (["seed", "--tenants", "1", "--artifacts", "1", "/proc/x"], "/proc/x"),
    ]
    for args, flag in seeds:
        name = "tenantd " + " ".join(a.replace("{reg}/", "") for a in args)
        out.append(Case("tenantd-cli", name, custom=custom_for(args, flag, seed=True), timeout=15, group=name))
    return out
