#!/usr/bin/env python3
"""The fault matrix: a hostile-user audit of soak and tenantd. Called by ci/fault-matrix.sh, which
finds or builds the binaries and makes the work folder; see that script for usage.
"""

from __future__ import annotations

import argparse
import concurrent.futures as futures
import json
import os
import re
import shutil
import signal
import sys
import threading
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import fm_cases  # noqa: E402
import fm_http  # noqa: E402
import fm_profiles  # noqa: E402
from fm_core import (CLASSES, FAILING, UNCLEAR, Case, Context, classify, clip, render_table,  # noqa: E402
                     run_command)


def all_cases(ctx, quick: bool) -> list:
    profiles = fm_profiles.profile_cases(ctx)
    if quick:
        profiles = quick_subset(profiles)
    return (profiles + fm_cases.out_path_cases(ctx) + fm_cases.cli_cases(ctx) + fm_cases.folder_cases(ctx)
            + fm_cases.tenantd_flag_cases(ctx) + fm_cases.fsize_cases(ctx) + fm_http.http_cases(ctx)
            + fm_cases.signal_cases(ctx))


QUICK_RUNS = 40


def quick_subset(cases: list) -> list:
    """Every mutation that should be refused, on one profile each (round-robin over the profiles
    that have the field): refusals take a tenth of a second. Of the mutations that leave a valid
    profile, which cost a run each, the named ones and an even sample up to QUICK_RUNS."""
    by_group: dict = {}
    for c in cases:
        by_group.setdefault(c.group, []).append(c)
    refusals, runs = [], []
    for i, (group, members) in enumerate(by_group.items()):
        must = [m for m in members if m.must]
        if must:
            refusals += [m for m in must if m.expect == "refuse"][:1]
            valid = [m for m in must if m.expect != "refuse"]
            runs += ([m for m in valid if not m.name.startswith("many-tenants")] or valid)[:1]
            continue
        valid = [m for m in members if m.expect != "refuse"]
        if valid:  # a valid run is cheapest on the small profiles (many-tenants seeds 1,500 artifacts)
            cheap = [m for m in valid if not m.name.startswith("many-tenants")] or valid
            runs.append(cheap[i % len(cheap)])
        else:
            refusals.append(members[i % len(members)])
    named = [r for r in runs if r.must]
    rest = [r for r in runs if not r.must]
    room = max(0, QUICK_RUNS - len(named))
    step = max(1, -(-len(rest) // room)) if room else len(rest) + 1
    chosen = set(id(r) for r in named + rest[::step])
    return [c for c in cases if id(c) in chosen or c in refusals]


def run_case(ctx, case: Case, root_work: str, index: int) -> Case:
    case_dir = os.path.join(root_work, "cases", f"{index:04d}")
    os.makedirs(case_dir, exist_ok=True)
    case.ctx = ctx
    start = time.monotonic()
    try:
        if case.prepare:
            case.prepare(case_dir)
        if case.custom:
            case.outcome, case.detail = case.custom(case, case_dir)
        else:
            res = run_command(case.argv, case_dir, case.timeout, ctx.env, case.ulimit_f)
            case.outcome, case.detail = classify(case, res, case_dir)
            _save(case_dir, case, res)
    except Exception as e:  # a bug in the matrix itself is reported, never hidden
        case.outcome, case.detail = UNCLEAR, f"the matrix failed to run this case: {e.__class__.__name__}: {clip(str(e))}"
        with open(os.path.join(case_dir, "matrix-error.txt"), "w") as f:
            f.write(traceback.format_exc())
    case.elapsed = time.monotonic() - start
    with open(os.path.join(case_dir, "case.json"), "w") as f:
        json.dump({"id": case.id, "expect": case.expect, "outcome": case.outcome, "detail": case.detail,
                   "elapsed": round(case.elapsed, 3), "note": case.note,
                   "argv": [a if len(a) < 300 else a[:300] + "…" for a in (case.argv or [])]}, f, indent=1)
    if not ctx.keep and case.outcome not in FAILING and case.outcome != UNCLEAR:
        shutil.rmtree(case_dir, ignore_errors=True)
    else:
        _prune(case_dir)
    return case


def _save(case_dir, case, res):
    with open(os.path.join(case_dir, "stdout.txt"), "w") as f:
        f.write(res.stdout)
    with open(os.path.join(case_dir, "stderr.txt"), "w") as f:
        f.write(res.stderr)


def _prune(case_dir):
    """Keeps a failing case's evidence, but not a seeded registry of 100,000 tenants."""
    for dirpath, dirnames, _ in os.walk(case_dir):
        for d in list(dirnames):
            if d == "registry":
                shutil.rmtree(os.path.join(dirpath, d), ignore_errors=True)
                dirnames.remove(d)


def leftover_processes(work: str) -> list:
    """Processes still running with the work folder in their command line (orphaned targets)."""
    found = []
    me = os.getpid()
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == me:
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if work in cmd and "matrix.py" not in cmd:
            found.append((int(pid), clip(cmd, 120)))
    return found


def main():
    ap = argparse.ArgumentParser(prog="fault-matrix")
    ap.add_argument("--soak", required=True)
    ap.add_argument("--tenantd", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--jobs", type=int, default=4)
    ap.add_argument("--only", default="")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--json", default="")
    ap.add_argument("--strict", action="store_true")
    args = ap.parse_args()

    ctx = Context(args.soak, args.tenantd, args.work, args.root, args.quick, args.keep)
    cases = all_cases(ctx, args.quick)
    if args.only:
        rx = re.compile(args.only)
        cases = [c for c in cases if rx.search(c.id)]
    if args.list:
        for c in cases:
            print(f"{c.id}  [{c.expect if not c.custom else 'custom'}]")
        print(f"{len(cases)} cases", file=sys.stderr)
        return 0

    started = time.monotonic()
    log = lambda msg: print(f"[{time.monotonic() - started:6.1f}s] {msg}", file=sys.stderr, flush=True)
    log(f"{len(cases)} cases ({'quick' if args.quick else 'full'}), soak={args.soak}")

    if any(c.category in ("run-folder", "file-size") for c in cases):
        ok, why = fm_cases.make_good_run(ctx)
        log(f"good run folder for the damaged copies: {'made' if ok else 'NOT passing'} ({why})")

    # Longest first, so that slow cases do not start last: valid runs (many-tenants the slowest),
    # then the refusals, which take a tenth of a second each.
    cost = lambda c: (0 if c.expect == "refuse-or-run" else 1, 0 if "many-tenants" in c.name else 1)
    parallel = sorted((c for c in cases if not c.serial), key=cost)
    serial = [c for c in cases if c.serial]
    done = 0
    lock = threading.Lock()
    interrupted = False

    def report(c):
        nonlocal done
        with lock:
            done += 1
            if args.verbose or c.outcome in FAILING or c.outcome == UNCLEAR:
                log(f"{done}/{len(cases)} {c.outcome.upper():7} {c.id}: {c.detail}")
            elif done % 100 == 0:
                log(f"{done}/{len(cases)} done")

    indexed = list(enumerate(cases))
    index_of = {id(c): i for i, c in indexed}
    # The timing-sensitive cases (signals, HTTP, file size) run one after another on a lane of
    # their own, beside the pool.
    pool = futures.ThreadPoolExecutor(max_workers=max(1, args.jobs))
    lane = futures.ThreadPoolExecutor(max_workers=1)
    try:
        fs = [lane.submit(run_case, ctx, c, args.work, index_of[id(c)]) for c in serial]
        fs += [pool.submit(run_case, ctx, c, args.work, index_of[id(c)]) for c in parallel]
        for f in futures.as_completed(fs):
            report(f.result())
    except KeyboardInterrupt:
        interrupted = True
        log("interrupted: waiting for the running cases (each is bounded); the table covers those that finished")
    finally:
        for ex in (pool, lane):
            ex.shutdown(wait=True, cancel_futures=True)
        fm_http.shutdown()

    finished = [c for c in cases if c.outcome]
    left = leftover_processes(args.work)
    for pid, cmd in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    failing = [c for c in finished if c.outcome in FAILING]
    unclear = [c for c in finished if c.outcome == UNCLEAR]
    print()
    if unclear:
        print(f"unclear outcomes ({len(unclear)}; not counted as failures):")
        for c in sorted(unclear, key=lambda c: c.id):
            print(f"  {c.id}: {c.detail}")
        print()
    if left:
        print(f"processes left running by the cases ({len(left)}, killed now):")
        for pid, cmd in left:
            print(f"  pid {pid}: {cmd}")
        print()
    if failing:
        print(f"failing cases ({len(failing)}):")
        for c in sorted(failing, key=lambda c: (CLASSES.index(c.outcome), c.id)):
            print(f"  {c.outcome.upper():6} {c.id}: {c.detail}")
        print()
    if args.json:
        with open(args.json, "w") as f:
            json.dump([{"id": c.id, "category": c.category, "expect": c.expect if not c.custom else "custom",
                        "outcome": c.outcome, "detail": c.detail, "elapsed": round(c.elapsed, 3), "note": c.note}
                       for c in finished], f, indent=1, ensure_ascii=False)
    print(f"fault matrix ({'quick' if args.quick else 'full'}): {len(finished)} cases in "
          f"{time.monotonic() - started:.0f}s against {args.soak}")
    print()
    print(render_table(finished))
    print()
    bad = len(failing) + (len(unclear) if args.strict else 0)
    print(f"crashes + hangs + wrong successes = {len(failing)}"
          + (f"; unclear (counted with --strict) = {len(unclear)}" if args.strict else "")
          + (" (run interrupted)" if interrupted else ""))
    return 1 if bad or interrupted else 0


if __name__ == "__main__":
    sys.exit(main())
