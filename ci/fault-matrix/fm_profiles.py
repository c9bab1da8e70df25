"""Category 1: mutations of every shipped profile (Profiles/*.json).

Each field gets numeric extremes, wrong types, NaN-like strings, deletion, unicode, and so on; each
file gets truncations, unknown keys by the thousand, syntax damage. A small model of the documented
profile format (Profiles/README.md) says whether a mutated profile is still valid: if not, the case
expects a refusal (exit 2, naming the file and the field; exit 0 is a wrong success); if it is, the
case accepts a refusal or a run that ends in a verdict (exit 0, 1 or 3). The model is lenient where the
documentation is silent (e.g. exponents in durations, very large but representable values), so a
case only demands a refusal for what the documentation rules out. Either way, a trap or a hang fails.

Valid mutated profiles run with --duration set to about 20 cycles (unless the mutation is of
scenario.duration itself) at the profile's own accelerate, which takes a second or two.
"""

from __future__ import annotations

import copy
import json
import math
import os
import re

from fm_core import Case, REFUSE, REFUSE_OR_RUN

INT64_MAX = 9223372036854775807
RUN_TIMEOUT = 30.0
RUN_TIMEOUT_QUICK = 20.0
CYCLES = 10


class Raw:
    """A value written into the JSON text as it is (NaN, Infinity, 1e400: not encodable by json)."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self):
        return self.text


DELETE = object()

# Fields whose valid mutations also run on many-tenants (the others run on the cheaper profiles only).
MANY_TENANTS_FIELDS = ("scenario.churn", "scenario.requests", "scenario.kind", "target.tenantd.tenants",
                       "target.tenantd.artifactsPerTenant", "target.tenantd.eager", "scenario.interval")

# Mutations the audit names: always part of --quick.
MUST = ['artifactIdle = "1µs"', "accelerate = 1e-07", "tenants = 100000", "artifactsPerTenant = 9223372036854775807",
        'limits.memory = "8388607TiB"', 'limits.memory = "8388608TiB"', "leakBytes = 9223372036854775807",
        'leakBytes = "8388607TiB"', 'requests[0] = "/t/t1/a1 .service"', 'requests[0] = "/t/t1/a1.service/x y"',
        "artifactsPerTenant = 9223372036854775807", "unknown top-level keys", "truncated at 50%"]

# ---------------------------------------------------------------- the documented format (model)

UNITS = {"d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0, "ms": 1e-3, "us": 1e-6, "µs": 1e-6, "ns": 1e-9}
RANK = {"d": 0, "h": 1, "m": 2, "s": 3, "ms": 4, "us": 5, "µs": 5, "ns": 6}
DURATION_PART = re.compile(r"(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(ms|us|µs|ns|d|h|m|s)")
SIZE_RE = re.compile(r"^(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(B|KiB|MiB|GiB|TiB|KB|MB|GB|TB)?$")
SIZE_UNITS = {None: 1, "B": 1, "KiB": 1024, "MiB": 1024**2, "GiB": 1024**3, "TiB": 1024**4,
              "KB": 1000, "MB": 1000**2, "GB": 1000**3, "TB": 1000**4}
PERCENT_RE = re.compile(r"^(\d+(?:\.\d+)?)%$")
NAME_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
METRICS = ["rss", "rss_anon", "pss", "heap_in_use", "live_instances", "fds", "threads", "harness_rss"]
BYTE_METRICS = {"rss", "rss_anon", "pss", "heap_in_use", "harness_rss"}

TOP_KEYS = ["description", "accelerate", "clock", "target", "scenario", "sampling", "thresholds", "alpha",
            "tolerances", "limits", "culprits"]
TENANTD_KEYS = ["tenants", "artifactsPerTenant", "kind", "payloadKB", "tenantIdle", "artifactIdle",
                "sweepEvery", "eager", "noGhost", "injectLeak", "leakBytes", "extraArguments", "fleet"]
FLEET_KEYS = ["nodes", "minNodes", "maxNodes", "scaleWindow", "scaleOn", "scaleUpAbove", "scaleDownBelow",
              "injectLeak", "extraArguments"]
SCENARIO_KEYS = ["kind", "requests", "interval", "duration", "warmup", "requestTimeout", "churn"]
CHURN_KEYS = ["tenants", "artifactsPerTenant", "activeTenants", "changeEvery", "seed", "peakTenants", "peakEvery"]
SAMPLING_KEYS = ["every", "minimumWallPeriod", "troughs"]
LIMITS_KEYS = ["memory", "teardownGrace", "maxAccelerate"]
SCENARIO_KINDS = ["service-ghost", "tenant-unload", "many-tenants", "plain", "sample-only"]
LEAK_KINDS = ["retain-cycle", "global-cache", "fd", "thread"]


def is_num(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def parse_duration(v):
    """Seconds, or None when the value is not a duration. Lenient: exponents are let through."""
    if not isinstance(v, str) or not v:
        return None
    pos, total, last = 0, 0.0, -1
    while pos < len(v):
        m = DURATION_PART.match(v, pos)
        if not m or RANK[m.group(2)] <= last:
            return None
        last = RANK[m.group(2)]
        total += float(m.group(1)) * UNITS[m.group(2)]
        pos = m.end()
    return total if math.isfinite(total) and total <= INT64_MAX else None


def parse_size(v):
    if is_num(v):
        return v if (math.isfinite(v) and 0 <= v <= INT64_MAX) else None
    if not isinstance(v, str):
        return None
    m = SIZE_RE.match(v)
    if not m:
        return None
    b = float(m.group(1)) * SIZE_UNITS[m.group(2)]
    if m.group(2) is None or m.group(2) == "B" and "." not in m.group(1) and "e" not in m.group(1).lower():
        b = int(m.group(1)) if m.group(1).isdigit() else b
    return b if b <= INT64_MAX else None


def whole(v, lo: int, hi: int = INT64_MAX):
    if not is_num(v) or not math.isfinite(v):
        return None
    if isinstance(v, float) and not v.is_integer():
        return None
    return int(v) if lo <= v <= hi else None


def amount(v, metric) -> bool:
    """A threshold or tolerance amount. The documentation gives no upper bound (a threshold of 2^63
    bytes only disables the check), so any finite amount >= 0 is valid."""
    if metric in BYTE_METRICS and isinstance(v, str):
        m = SIZE_RE.match(v)
        return bool(m) and math.isfinite(float(m.group(1)))
    return is_num(v) and math.isfinite(v) and v >= 0


class Model:
    """Checks a profile against Profiles/README.md; collects what it rules out."""

    def __init__(self):
        self.problems: list[str] = []

    def bad(self, path: str, why: str):
        self.problems.append(f"{path}: {why}")

    def keys(self, obj, path, allowed, required=()):
        if not isinstance(obj, dict):
            self.bad(path, "not an object")
            return False
        for k in obj:
            if k not in allowed:
                self.bad(f"{path}.{k}", "unknown field")
        for k in required:
            if obj.get(k) is None:
                self.bad(f"{path}.{k}", "required")
        return True

    def duration(self, obj, key, path, required=False, default=None, positive=True):
        v = obj.get(key)
        if v is None:
            if required:
                self.bad(path, "required")
            return default
        d = parse_duration(v)
        if d is None or (positive and d <= 0) or d < 0:
            self.bad(path, f"not a duration > 0: {v!r}")
            return None
        return d

    def count(self, obj, key, path, lo=1, default=None, required=False, hi=INT64_MAX):
        v = obj.get(key)
        if v is None:
            if required:
                self.bad(path, "required")
            return default
        n = whole(v, lo, hi)
        if n is None:
            self.bad(path, f"not a whole number >= {lo}: {v!r}")
        return n

    def check(self, p) -> list[str]:
        if not self.keys(p, "(top)", TOP_KEYS, ["description", "target", "scenario"]):
            return self.problems
        if p.get("clock") is not None and p["clock"] not in ("scaled", "stepped"):
            self.bad("clock", "not scaled or stepped")
        if "description" in p and not isinstance(p["description"], str):
            self.bad("description", "not a string")
        limits = p.get("limits")
        max_acc = 100000.0
        if limits is not None and self.keys(limits, "limits", LIMITS_KEYS):
            if limits.get("memory") is not None:
                s = parse_size(limits["memory"])
                if s is None or s <= 0:
                    self.bad("limits.memory", "not a byte size > 0")
            self.duration(limits, "teardownGrace", "limits.teardownGrace", positive=False)
            if limits.get("maxAccelerate") is not None:
                v = limits["maxAccelerate"]
                if not is_num(v) or not math.isfinite(v) or v <= 0:
                    self.bad("limits.maxAccelerate", "not a number > 0")
                else:
                    max_acc = v
        acc = p.get("accelerate")
        if acc is not None:
            if not is_num(acc) or not math.isfinite(acc) or acc <= 0:
                self.bad("accelerate", "not a number > 0")
            elif acc > max_acc:
                self.bad("accelerate", "above limits.maxAccelerate")
        if p.get("alpha") is not None:
            a = p["alpha"]
            if not is_num(a) or not (0 < a < 0.5):
                self.bad("alpha", "not in (0, 0.5)")
        self.thresholds(p.get("thresholds"))
        self.tolerances(p.get("tolerances"))
        td = self.target(p.get("target"))
        self.scenario(p.get("scenario"), td)
        s = p.get("sampling")
        if s is not None and self.keys(s, "sampling", SAMPLING_KEYS):
            self.duration(s, "every", "sampling.every")
            self.duration(s, "minimumWallPeriod", "sampling.minimumWallPeriod")
            if s.get("troughs") is not None and not isinstance(s["troughs"], bool):
                self.bad("sampling.troughs", "not a boolean")
        return self.problems

    def thresholds(self, t):
        if t is None:
            return
        if not isinstance(t, dict):
            self.bad("thresholds", "not an object")
            return
        for metric, spec in t.items():
            if metric not in METRICS:
                self.bad(f"thresholds.{metric}", "unknown metric")
                continue
            if spec is None:
                continue
            if not self.keys(spec, f"thresholds.{metric}", ["perCycle", "perHour", "floor"]):
                continue
            if spec.get("perCycle") is not None and spec.get("perHour") is not None:
                self.bad(f"thresholds.{metric}", "perCycle and perHour both given")
            for k in ("perCycle", "perHour", "floor"):
                v = spec.get(k)
                if v is None:
                    continue
                if not amount(v, metric):
                    self.bad(f"thresholds.{metric}.{k}", "not an amount >= 0")

    def tolerances(self, t):
        if t is None:
            return
        if not isinstance(t, dict):
            self.bad("tolerances", "not an object")
            return
        for metric, v in t.items():
            if metric not in METRICS:
                self.bad(f"tolerances.{metric}", "unknown metric")
            elif isinstance(v, str) and v.endswith("%"):
                if not PERCENT_RE.match(v):
                    self.bad(f"tolerances.{metric}", "bad percentage")
            elif v is not None and not amount(v, metric):
                self.bad(f"tolerances.{metric}", "not an amount")

    def target(self, t):
        if t is None:
            return None
        if not isinstance(t, dict):
            self.bad("target", "not an object")
            return None
        if len([k for k in ("tenantd", "command") if t.get(k) is not None]) != 1 or set(t) - {"tenantd", "command"}:
            self.bad("target", "not exactly one of tenantd or command")
            return None
        td = t.get("tenantd")
        if td is None:
            return None  # command targets are not mutated here
        if not self.keys(td, "target.tenantd", TENANTD_KEYS):
            return None
        out = {
            "tenants": self.count(td, "tenants", "target.tenantd.tenants", 1, 1),
            "apt": self.count(td, "artifactsPerTenant", "target.tenantd.artifactsPerTenant", 1, 1),
            "tenantIdle": self.duration(td, "tenantIdle", "target.tenantd.tenantIdle", default=1800.0),
            "artifactIdle": self.duration(td, "artifactIdle", "target.tenantd.artifactIdle", default=600.0),
            "sweepEvery": self.duration(td, "sweepEvery", "target.tenantd.sweepEvery", default=60.0),
            "noGhost": td.get("noGhost") or False,
            "eager": td.get("eager") or "",
        }
        self.count(td, "payloadKB", "target.tenantd.payloadKB", 0, 64)
        if td.get("kind") is not None and td["kind"] not in ("service", "webapp"):
            self.bad("target.tenantd.kind", "not service or webapp")
        if td.get("eager") is not None and not isinstance(td["eager"], str):
            self.bad("target.tenantd.eager", "not a string")
        if td.get("noGhost") is not None and not isinstance(td["noGhost"], bool):
            self.bad("target.tenantd.noGhost", "not a boolean")
        if td.get("injectLeak") is not None and td["injectLeak"] not in LEAK_KINDS:
            self.bad("target.tenantd.injectLeak", "not a leak kind")
        if td.get("leakBytes") is not None and parse_size(td["leakBytes"]) is None:
            self.bad("target.tenantd.leakBytes", "not a byte size")
        ea = td.get("extraArguments")
        if ea is not None and not (isinstance(ea, list) and all(isinstance(a, str) for a in ea)):
            self.bad("target.tenantd.extraArguments", "not a list of strings")
        if td.get("fleet") is not None:
            self.fleet(td["fleet"])
        return out

    def fleet(self, f):
        """target.tenantd.fleet: `tenantd fleet`'s settings; null or absent fields take the front's defaults."""
        base = "target.tenantd.fleet"
        if not self.keys(f, base, FLEET_KEYS):
            return
        lo = self.count(f, "minNodes", f"{base}.minNodes", 1, 1, hi=32)
        hi = self.count(f, "maxNodes", f"{base}.maxNodes", 1, 4, hi=32)
        nodes = self.count(f, "nodes", f"{base}.nodes", 1, None, hi=32)
        if lo is not None and hi is not None and lo > hi:
            self.bad(f"{base}.maxNodes", "below minNodes")
        if nodes is not None and lo is not None and hi is not None and not (lo <= nodes <= max(lo, hi)):
            self.bad(f"{base}.nodes", "outside minNodes…maxNodes")
        self.duration(f, "scaleWindow", f"{base}.scaleWindow")
        on = f.get("scaleOn")
        if on is not None and on not in ("in-flight", "tenants"):
            self.bad(f"{base}.scaleOn", "not in-flight or tenants")
        up, down = f.get("scaleUpAbove"), f.get("scaleDownBelow")
        for key, v in (("scaleUpAbove", up), ("scaleDownBelow", down)):
            if v is not None and not (is_num(v) and math.isfinite(v)):
                self.bad(f"{base}.{key}", "not a number")
        defaults = (100, 40) if on == "tenants" else (2, 0.5)
        u = up if is_num(up) else defaults[0]
        d = down if is_num(down) else defaults[1]
        if not (d >= 0 and u > d):
            self.bad(f"{base}.scaleDownBelow", "not 0 <= scaleDownBelow < scaleUpAbove")
        if f.get("injectLeak") is not None and f["injectLeak"] != "departed-nodes":
            self.bad(f"{base}.injectLeak", "not departed-nodes")
        ea = f.get("extraArguments")
        if ea is not None and not (isinstance(ea, list) and all(isinstance(a, str) for a in ea)):
            self.bad(f"{base}.extraArguments", "not a list of strings")

    def scenario(self, s, td):
        if s is None:
            return
        if not self.keys(s, "scenario", SCENARIO_KEYS, ["kind", "interval", "duration"]):
            return
        kind = s.get("kind")
        if kind is not None and kind not in SCENARIO_KINDS:
            self.bad("scenario.kind", "unknown kind")
        interval = self.duration(s, "interval", "scenario.interval")
        duration = self.duration(s, "duration", "scenario.duration")
        if interval and duration is not None and duration < interval:
            self.bad("scenario.duration", "shorter than interval")
        self.duration(s, "requestTimeout", "scenario.requestTimeout")
        w = s.get("warmup")
        if w is not None:
            pm = PERCENT_RE.match(w) if isinstance(w, str) else None
            if pm:
                if float(pm.group(1)) >= 100:
                    self.bad("scenario.warmup", "not below 100%")
            else:
                d = parse_duration(w)
                if d is None or (duration is not None and d >= duration):
                    self.bad("scenario.warmup", "not a percentage or a duration below duration")
        reqs = s.get("requests")
        if reqs is None:
            if kind != "sample-only":
                self.bad("scenario.requests", "required")
        elif not isinstance(reqs, list):
            self.bad("scenario.requests", "not a list")
        else:
            if not reqs and kind != "sample-only":
                self.bad("scenario.requests", "empty")
            for i, r in enumerate(reqs):
                self.path(r, f"scenario.requests[{i}]", kind)
        churn = s.get("churn")
        if kind == "many-tenants":
            if churn is None:
                self.bad("scenario.churn", "required for many-tenants")
            elif self.keys(churn, "scenario.churn", CHURN_KEYS, ["tenants", "artifactsPerTenant", "activeTenants", "changeEvery"]):
                ct = self.count(churn, "tenants", "scenario.churn.tenants")
                ca = self.count(churn, "artifactsPerTenant", "scenario.churn.artifactsPerTenant")
                act = self.count(churn, "activeTenants", "scenario.churn.activeTenants")
                self.duration(churn, "changeEvery", "scenario.churn.changeEvery")
                self.count(churn, "seed", "scenario.churn.seed", 0, 42, hi=2**64 - 1)  # a UInt64 seed is fair
                if td and ct and td["tenants"] and ct > td["tenants"]:
                    self.bad("scenario.churn.tenants", "above target.tenantd.tenants")
                if td and ca and td["apt"] and ca > td["apt"]:
                    self.bad("scenario.churn.artifactsPerTenant", "above target.tenantd.artifactsPerTenant")
                if ct and act and act > ct:
                    self.bad("scenario.churn.activeTenants", "above churn.tenants")
                peak = self.count(churn, "peakTenants", "scenario.churn.peakTenants")
                every = self.duration(churn, "peakEvery", "scenario.churn.peakEvery")
                if (churn.get("peakTenants") is None) != (churn.get("peakEvery") is None):
                    self.bad("scenario.churn.peakTenants", "peakTenants and peakEvery go together")
                if peak is not None and act and ct and not (act <= peak <= ct):
                    self.bad("scenario.churn.peakTenants", "not from activeTenants to tenants")
                if every is not None and interval and every < 2 * interval:
                    self.bad("scenario.churn.peakEvery", "below two intervals")
        elif churn is not None:
            self.bad("scenario.churn", "only for many-tenants")
        if td and interval:
            if kind == "service-ghost":
                if td["artifactIdle"] is not None and td["sweepEvery"] is not None and td["artifactIdle"] + td["sweepEvery"] >= interval:
                    self.bad("scenario.interval", "artifactIdle + sweepEvery not below interval")
                if td["noGhost"] is True:
                    self.bad("target.tenantd.noGhost", "service-ghost needs ghosts")
            if kind == "tenant-unload":
                if td["tenantIdle"] is not None and td["sweepEvery"] is not None and td["tenantIdle"] + td["sweepEvery"] >= interval:
                    self.bad("scenario.interval", "tenantIdle + sweepEvery not below interval")
                if isinstance(td["eager"], str) and isinstance(reqs, list):
                    items = [i.strip() for i in td["eager"].split(",")]
                    for r in reqs:
                        parts = r.split("/") if isinstance(r, str) else []
                        t = parts[2] if len(parts) > 2 and parts[1] == "t" else None
                        if t and ("*" in items or t in items) and "!" + t not in items:
                            self.bad("target.tenantd.eager", f"requested tenant {t} is eager (never unloads)")

    def path(self, r, where, kind):
        if not isinstance(r, str):
            self.bad(where, "not a string")
            return
        if not r.startswith("/"):
            self.bad(where, "does not start with /")
            return
        if any(ord(c) < 0x20 or ord(c) == 0x7F for c in r):
            self.bad(where, "control characters in a request path")
        if ("{tenant}" in r or "{artifact}" in r) and kind != "many-tenants":
            self.bad(where, "placeholders outside many-tenants")
        parts = r.split("?")[0].split("/")
        if len(parts) >= 4 and parts[1] == "t":
            for name in parts[2:4]:
                if name in ("{tenant}", "{artifact}"):
                    continue
                if not NAME_RE.match(name) or name == "..":
                    self.bad(where, f"name {name!r} breaks the name rule")


def as_parsed(o):
    """What a JSON parser makes of the profile: Raw literals become their values (-0 is 0, 1e400 is
    infinite); NaN and Infinity, which JSON does not have, stay Raw and fail every check."""
    if isinstance(o, Raw):
        try:
            return json.loads(o.text, parse_constant=lambda c: o)
        except ValueError:
            return o
    if isinstance(o, dict):
        return {k: as_parsed(v) for k, v in o.items()}
    if isinstance(o, list):
        return [as_parsed(v) for v in o]
    return o


def valid(profile, duration_override=None) -> list[str]:
    p = as_parsed(profile)
    if duration_override and isinstance(p, dict) and isinstance(p.get("scenario"), dict):
        p["scenario"]["duration"] = duration_override
    return Model().check(p)


# ---------------------------------------------------------------- mutations

def kind_of(path: str) -> str:
    last = path.split(".")[-1]
    if re.search(r"\[\d+\]$", path):
        return "path"
    table = {
        "description": "text", "accelerate": "positive", "maxAccelerate": "positive",
        "tenants": "count1", "artifactsPerTenant": "count1", "activeTenants": "count1",
        "payloadKB": "count0", "seed": "count0", "kind": "enum", "injectLeak": "enum",
        "tenantIdle": "duration", "artifactIdle": "duration", "sweepEvery": "duration",
        "interval": "duration", "duration": "duration", "requestTimeout": "duration",
        "changeEvery": "duration", "every": "duration", "minimumWallPeriod": "duration",
        "teardownGrace": "duration", "warmup": "warmup", "memory": "size", "leakBytes": "size",
        "troughs": "bool", "noGhost": "bool", "requests": "paths", "eager": "text",
        "extraArguments": "strlist", "alpha": "alpha", "perCycle": "amount", "perHour": "amount",
        "floor": "amount", "minNodes": "count1", "maxNodes": "count1", "nodes": "count1",
        "peakTenants": "count1", "scaleWindow": "duration", "peakEvery": "duration", "scaleOn": "enum",
        "clock": "enum", "scaleUpAbove": "positive", "scaleDownBelow": "positive",
    }
    if path.startswith("tolerances."):
        return "tolerance"
    return table.get(last, "object")


NUMERIC_EXTREMES = [0, -1, 1e30, 9.3e18, INT64_MAX, 1e-7]
NAN_STRINGS = ["NaN", "inf", "-Infinity"]
RAW_LITERALS = [Raw("NaN"), Raw("Infinity"), Raw("1e400"), Raw("-0")]

VALUES = {
    "count1": NUMERIC_EXTREMES + [INT64_MAX + 1, 1.5, "8388608TiB", "7", True, [], {}] + NAN_STRINGS + RAW_LITERALS,
    "count0": NUMERIC_EXTREMES + [INT64_MAX + 1, 1.5, "8388608TiB", "7", True, []] + NAN_STRINGS + RAW_LITERALS,
    "positive": NUMERIC_EXTREMES + [1e-300, 5e-324, "7200", True, [], "8388608TiB"] + NAN_STRINGS + RAW_LITERALS,
    "duration": ["0s", "-1s", "1e30d", "9.3e18s", f"{INT64_MAX}s", f"{INT64_MAX}d", "1e-7s", "1µs", "1ns",
                 "NaNs", "infh", "NaN", "", "3 m", "3m3m", "1m1h", "1.5", "8388608TiB", "1h30",
                 0, -1, 1e30, 9.3e18, INT64_MAX, 180, True, [], Raw("NaN")],
    "size": [0, -1, 1e30, 9.3e18, INT64_MAX, "8388608TiB", "8388607TiB", str(INT64_MAX), f"{INT64_MAX}KiB",
             "NaNMiB", "infB", "-1B", "1e-7B", "1.5B", "1XiB", "", True, [], Raw("NaN"), Raw("1e400")],
    "bool": ["true", 1, 0, "yes", [], Raw("NaN")],
    "enum": ["", "unknown", 7, "Service", "sérvice", "service\u0000", "🚀", True, []],
    "text": ["", "Ünïcödé 🚀 \u202egnol\u202c ︎", "x" * 100000, "\u0000", "line1\nline2", 7, True, [], {}],
    "warmup": ["0%", "100%", "-5%", "1e30%", "NaN%", "99.999%", "5", 5, "1e30d", "0s", "8d", True],
    "paths": [[], 123, "/t/t1/a1.service", [None], [7], ["/t/t1/a1.service"] * 20, ["/t/{tenant}/{artifact}"], {}],
    "path": ["", "relative", "/t/t1/a1 .service", "/t/t1/a1.service/x y", "/t/t 1/a1.service", "/ ",
             "/t/../a1.service", "/t/t1/..", "/t/t1/a1.service\r\nX-Injected: 1", "/t/t1/" + "a" * 65,
             "/t/t1/a1.service?" + "q" * 100000, "/t/t1/ä.service", "/t/t1/a1.service#frag",
             "/t/{tenant}/{artifact}", "/t/%2e%2e/a1.service", 7, None],
    "strlist": ["--bogus", [7], ["--bogus-flag"], ["--help"], ["--time-scale", "0"], [""]],
    "alpha": [0, 0.5, 1, -1, 1e-300, "0.01", True] + NAN_STRINGS + [Raw("NaN")],
    "amount": [-1, "-1B", "8388608TiB", 1e30, INT64_MAX, "NaN", "x", True],
    "tolerance": ["1e30%", "-5%", "NaN%", "5", -1, "8388608TiB", True],
    "object": [None, [], "x", 7, {}],
}

# Optional documented fields the shipped profiles leave out: inserted, then mutated.
INSERTS = {
    "target.tenantd.leakBytes": "1KiB",
    "target.tenantd.injectLeak": None,
    "target.tenantd.eager": "",
    "target.tenantd.noGhost": False,
    "target.tenantd.extraArguments": [],
    "alpha": 0.01,
    "thresholds.heap_in_use.perCycle": "64B",
    "thresholds.rss.floor": "1MiB",
    "tolerances.rss": "5%",
}
# Extra values for inserted fields (the brief: leakBytes huge, with a leak that uses it).
EXTRA = {
    "target.tenantd.leakBytes": ["8388607TiB"],
    "target.tenantd.injectLeak": LEAK_KINDS,
    "target.tenantd.eager": ["*", "!t1", "t1,,", "!", "*,!t1,t99999", "ä"],
}


def label(v) -> str:
    if v is DELETE:
        return "deleted"
    if isinstance(v, Raw):
        return f"{v.text} (literal)"
    s = json.dumps(v, ensure_ascii=False)
    if len(s) > 48:
        s = s[:30] + f"…({len(s)} chars)"
    return s.replace("\n", "\\n").replace("\r", "\\r").replace("\u0000", "\\u0000")


def leaves(obj, prefix=""):
    """Every field path of a profile (objects included, list items for requests)."""
    out = []
    if isinstance(obj, dict):
        for k, v in obj.items():
            p = f"{prefix}.{k}" if prefix else k
            out.append(p)
            if isinstance(v, dict):
                out.extend(leaves(v, p))
            elif isinstance(v, list) and k == "requests":
                out.extend(f"{p}[{i}]" for i in range(len(v)))
    return out


def split_path(path):
    parts = []
    for seg in path.split("."):
        m = re.match(r"^(.*?)\[(\d+)\]$", seg)
        if m:
            parts += [m.group(1), int(m.group(2))]
        else:
            parts.append(seg)
    return parts


def set_path(obj, path, value):
    parts = split_path(path)
    cur = obj
    for part in parts[:-1]:
        if isinstance(part, str) and part not in cur:
            cur[part] = {}
        cur = cur[part]
    last = parts[-1]
    if value is DELETE:
        del cur[last]
    else:
        cur[last] = value


RAW_MARK = "\u2063RAW\u2063"


def dumps(obj) -> str:
    """JSON text; Raw values are spliced in as they are."""
    raws = []

    def walk(o):
        if isinstance(o, Raw):
            raws.append(o.text)
            return f"{RAW_MARK}{len(raws) - 1}{RAW_MARK}"
        if isinstance(o, dict):
            return {k: walk(v) for k, v in o.items()}
        if isinstance(o, list):
            return [walk(v) for v in o]
        return o
    text = json.dumps(walk(obj), indent=2, ensure_ascii=False)
    for i, r in enumerate(raws):
        text = text.replace(f'"{RAW_MARK}{i}{RAW_MARK}"', r)
    return text


def fmt_duration(seconds: float) -> str:
    ns = max(1, round(seconds * 1e9))
    for unit, n in (("d", 86400 * 10**9), ("h", 3600 * 10**9), ("m", 60 * 10**9), ("s", 10**9),
                    ("ms", 10**6), ("us", 10**3)):
        if ns % n == 0:
            return f"{ns // n}{unit}"
    return f"{ns}ns"


def override_for(profile, path) -> str | None:
    """--duration for a run: about CYCLES cycles, unless the mutation is of the duration itself."""
    if path in ("scenario.duration", "scenario") or not isinstance(profile, dict):
        return None
    sc = profile.get("scenario")
    interval = parse_duration(sc.get("interval")) if isinstance(sc, dict) else None
    if not interval or interval <= 0:
        return "1h"
    return fmt_duration(min(interval * CYCLES, 30 * 86400))


def accelerate_for(original, path, value) -> str | None:
    """--accelerate when the mutation leaves the documented default of 1 (real time): such a run is
    meant to take 30 minutes, so it runs at the shipped profile's scale instead."""
    if path in ("accelerate", "(top)") and (value is None or value is DELETE):
        return f"{original.get('accelerate', 7200):g}"
    return None


def profile_cases(ctx) -> list:
    pdir = os.path.join(ctx.root, "Profiles")
    names = sorted(f[:-5] for f in os.listdir(pdir) if f.endswith(".json"))
    cases = []
    for name in names:
        with open(os.path.join(pdir, name + ".json"), "rb") as f:
            original_bytes = f.read()
        original = json.loads(original_bytes)
        cases += _field_cases(ctx, name, original)
        cases += _file_cases(ctx, name, original, original_bytes)
    return _without_duplicate_runs(cases)


def _without_duplicate_runs(cases):
    """Drops a run that another profile's mutation already makes: with --duration overriding the
    duration, service-lazy-loading is the quick profile but for its description and memory limit,
    so most of their valid mutations are one and the same run. Refusals are all kept (they are cheap)."""
    seen, out = set(), []
    for c in cases:
        key = getattr(c, "run_key", None)
        if c.expect == REFUSE_OR_RUN and key is not None:
            if key in seen:
                continue
            seen.add(key)
        out.append(c)
    return out


def _run_key(profile, path, override):
    if not isinstance(profile, dict):
        return None
    p = as_parsed(profile)  # a copy
    if path != "description":
        p.pop("description", None)
    if not str(path).startswith("limits"):
        if isinstance(p.get("limits"), dict):
            p["limits"].pop("memory", None)
    duration, accelerate = override
    if duration and isinstance(p.get("scenario"), dict):
        p["scenario"]["duration"] = duration
    if accelerate:
        p["accelerate"] = float(accelerate)
    return json.dumps(p, sort_keys=True, default=repr)


def _field_cases(ctx, name, original):
    out = []
    paths = leaves(original)
    inserted = []
    for path in INSERTS:
        parent = path.rsplit(".", 1)[0] if "." in path else ""
        top = path.split(".")[0]
        if path not in paths and (parent in paths or top in ("alpha", "thresholds", "tolerances")):
            inserted.append(path)
    for path in paths + inserted:
        kind = kind_of(path)
        values = list(VALUES[kind]) + EXTRA.get(path, [])
        if path in paths:
            values.append(DELETE)
            values.append(None)
        if kind == "object" and not path.startswith(("thresholds", "tolerances")):
            values.append({"bogusField": 1})
        # field-specific values the brief asks for
        if path == "target.tenantd.artifactIdle":
            values += ["1µs", "1us"]
        if path == "target.tenantd.tenants":
            values += [100000]
        if path == "target.tenantd.artifactsPerTenant":
            values += [INT64_MAX]
        if path == "limits.memory":
            values += ["8388607TiB", INT64_MAX]
        if path == "target.tenantd.leakBytes":
            values += [INT64_MAX, "8388607TiB"]
        seen = set()
        for v in values:
            key = label(v)
            if key in seen:
                continue
            seen.add(key)
            if v is DELETE and path in inserted:
                continue
            if isinstance(v, Raw) and path == "limits.maxAccelerate" and v.text in ("Infinity", "1e400"):
                continue  # "no limit" is a fair reading of an infinite limit
            mutated = copy.deepcopy(original)
            if path in inserted:
                set_path(mutated, path, INSERTS[path])
                if path == "target.tenantd.leakBytes" and v not in (DELETE, None):
                    set_path(mutated, "target.tenantd.injectLeak", "global-cache")
            set_path(mutated, path, v)
            # NaN and Infinity are not JSON: a syntax error names the line and column instead
            syntax = isinstance(v, Raw) and v.text in ("NaN", "Infinity")
            case = _case(ctx, name, f"{path} = {key}", mutated, path, group=f"{path}|{key}",
                         accelerate=accelerate_for(original, path, v), syntax=syntax)
            if case.expect == REFUSE_OR_RUN and name == "many-tenants" and not case.must \
                    and not path.startswith(MANY_TENANTS_FIELDS):
                continue  # the same field handling runs on the cheaper profiles
            out.append(case)
    # an unknown key beside the fields of every object
    for obj_path in [""] + [p for p in paths if isinstance(_get(original, p), dict)]:
        mutated = copy.deepcopy(original)
        target = _get(mutated, obj_path) if obj_path else mutated
        target["bogusFïeld"] = 1
        where = obj_path or "(top)"
        out.append(_case(ctx, name, f"{where}: unknown field bogusFïeld", mutated, obj_path or "bogusFïeld",
                         group=f"unknown|{where}", field_token="bogusFïeld"))
    return out


def _get(obj, path):
    cur = obj
    for part in split_path(path):
        cur = cur[part]
    return cur


def _case(ctx, name, what, mutated, path, group, field_token=None, accelerate=None, syntax=False):
    problems = valid(mutated, override_for(as_parsed(mutated), path))
    text = lambda: dumps(mutated).encode("utf-8")  # written only if the case runs
    return _file_case(ctx, name, what, text, refuse=bool(problems), path=path,
                      group=group, field_token=field_token, note="; ".join(problems[:3]),
                      profile=mutated, accelerate=accelerate, syntax=syntax)


def _file_case(ctx, name, what, data, refuse: bool, path=None, group=None, field_token=None,
               note="", profile=None, timeout=None, accelerate=None, syntax=False):
    fname = f"{name}.json"
    override = override_for(as_parsed(profile), path) if profile is not None else "1h"
    argv = [ctx.soak, "run", f"./{fname}", "--out", "./out"]
    if override:
        argv[3:3] = ["--duration", override]
    if accelerate:
        argv[3:3] = ["--accelerate", accelerate]
    mentions = [(fname,)]
    if refuse and path:
        # the field itself, or any field the model found at fault (a rule across fields names either)
        tokens = {field_token or _token(path)}
        tokens |= {_token(p.split(":")[0]) for p in note.split("; ") if ":" in p and not p.startswith("(top)")}
        tokens.discard("")
        if syntax:
            tokens.add("line ")
        if tokens:
            mentions.append(tuple(sorted(tokens)))
    # A refusal takes a tenth of a second; one that soak accepts runs, and gets a run's time
    # (many-tenants seeds 1,500 artifacts and sends 20 requests a cycle: it gets more).
    t = timeout or (RUN_TIMEOUT_QUICK if ctx.quick else RUN_TIMEOUT) + (10 if name == "many-tenants" else 0)

    def prepare(case_dir, data=data, fname=fname):
        with open(os.path.join(case_dir, fname), "wb") as f:
            f.write(data() if callable(data) else data)
    case = Case("profile-mutation", f"{name}: {what}", REFUSE if refuse else REFUSE_OR_RUN, argv,
                timeout=t, mentions=tuple(mentions), prepare=prepare, note=note,
                group=group or what)
    case.must = any(m in what for m in MUST)
    case.run_key = _run_key(as_parsed(profile), path, (override, accelerate)) if profile is not None and path not in ("bom", "surrogate", "big-ws") else None
    return case


def _token(path: str) -> str:
    last = split_path(path)[-1]
    if isinstance(last, int):
        return split_path(path)[-2]
    return last


def _file_cases(ctx, name, original, raw: bytes):
    out = []
    body = raw.rstrip()
    for frac in (0.0, 0.1, 0.25, 0.5, 0.75, 0.9):
        cut = body[: int(len(body) * frac)]
        out.append(_file_case(ctx, name, f"truncated at {int(frac * 100)}% ({len(cut)} bytes)", cut, True,
                              group=f"truncate|{frac}"))
    out.append(_file_case(ctx, name, "truncated by its last byte", body[:-1], True, group="truncate|last"))
    accented = dumps(dict(original, description="ééé")).encode()
    cut = accented[: accented.index("é".encode()) + 1]
    out.append(_file_case(ctx, name, "cut inside a UTF-8 sequence", cut, True, group="truncate|utf8"))
    for n in (10_000, 300_000):
        def many_keys(n=n):
            big = dict(original)
            big.update({f"unknownKey{i}": i for i in range(n)})
            return json.dumps(big).encode()
        out.append(_file_case(ctx, name, f"{n} unknown top-level keys", many_keys, True, field_token="unknownKey",
                              path="unknownKey", group=f"unknown-keys|{n}", timeout=10.0))
    out.append(_file_case(ctx, name, "nested 100000 arrays deep", lambda: b"[" * 100_000 + b"]" * 100_000, True,
                          group="deep"))
    deep_obj = lambda: json.dumps(original)[:-1].encode() + b', "x": ' + b'{"a":' * 50_000 + b"1" + b"}" * 50_001
    out.append(_file_case(ctx, name, "an unknown field nested 50000 objects deep", deep_obj, True, group="deep-obj"))
    text = json.dumps(original, indent=2)
    dup = text.replace('"description"', '"description": "twice",\n  "description"', 1)
    out.append(_file_case(ctx, name, "description given twice", dup.encode(), True, path="description", group="dup"))
    out.append(_file_case(ctx, name, "trailing comma", (text[:-2] + ",\n}").encode(), True, group="trailing-comma"))
    out.append(_file_case(ctx, name, "a // comment", ("// soak profile\n" + text).encode(), True, group="comment"))
    out.append(_file_case(ctx, name, "byte-order mark", b"\xef\xbb\xbf" + text.encode(), False, group="bom",
                          profile=original, path="bom"))
    out.append(_file_case(ctx, name, "invalid UTF-8 in description",
                          text.replace('"description": "', '"description": "\udcff', 1).encode("utf-8", "surrogateescape"),
                          True, group="bad-utf8"))
    out.append(_file_case(ctx, name, "lone surrogate escape in description",
                          text.replace('"description": "', '"description": "\\ud800', 1).encode(), False,
                          group="surrogate", profile=original, path="surrogate"))
    out.append(_file_case(ctx, name, "unicode field names (scénario)",
                          text.replace('"scenario"', '"scénario"', 1).encode(), True, path="scénario", group="unicode-key"))
    for top, label_ in (("[]", "an array"), ('"quick"', "a string"), ("null", "null"), ("42", "a number"),
                        ("", "empty"), ("   \n", "whitespace only")):
        out.append(_file_case(ctx, name, f"the whole file is {label_}", top.encode(), True, group=f"top|{label_}"))
    out.append(_file_case(ctx, name, "1 MB of leading whitespace", lambda: b" " * 1_000_000 + text.encode(), False,
                          group="big-ws", profile=original, path="big-ws"))
    out.append(_file_case(ctx, name, "two JSON documents", (text + "\n" + text).encode(), True, group="two-docs"))
    return out
