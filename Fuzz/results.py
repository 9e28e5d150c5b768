#!/usr/bin/env python3
"""Fuzzing results: Fuzz/results.json, one entry per campaign run (make fuzz records each).

    results.py record TARGET SECONDS LOG CORPUS CRASHES   add a run from a libFuzzer log
    results.py table                                      Markdown table per target (totals)

An entry: target, execs (libFuzzer's last "#N" count), seconds (asked for), date (UTC), commit
(HEAD, "+dirty" when Sources/ or Fuzz/ differ from it), corpus inputs and bytes after the
merge, new inputs the run added, and the crash/timeout/out-of-memory files it left to triage.
"""
import datetime
import fcntl
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.join(HERE, "results.json")
LOCK = os.path.join(HERE, "..", ".build-fuzz", "results.lock")


def git(*args):
    return subprocess.run(["git", "-C", HERE, *args], capture_output=True, text=True).stdout.strip()


def commit():
    head = git("rev-parse", "--short=12", "HEAD")
    dirty = git("status", "--porcelain", "--", "../Sources", "../Fuzz/dict")
    return head + ("+dirty" if dirty else "")


def parse_log(path):
    """(executions, new inputs, crashes+timeouts+ooms reported) from a fork-mode log."""
    execs, found, problems = 0, 0, 0
    first_corpus = None
    with open(path, errors="replace") as f:
        for line in f:
            m = re.match(r"#(\d+):? .*corp: (\d+)", line)
            if m:
                execs = max(execs, int(m.group(1)))
                if first_corpus is None:
                    first_corpus = int(m.group(2))
                found = int(m.group(2)) - (first_corpus or 0)
            m = re.search(r"oom/timeout/crash: (\d+)/(\d+)/(\d+)", line)
            if m:
                problems = sum(int(g) for g in m.groups())
            m = re.match(r"stat::number_of_executed_units: (\d+)", line)
            if m:
                execs = max(execs, int(m.group(1)))
    return execs, max(found, 0), problems


def load():
    if not os.path.exists(RESULTS):
        return {"runs": []}
    with open(RESULTS) as f:
        return json.load(f)


def record(target, seconds, log, corpus, crashes):
    execs, found, problems = parse_log(log)
    files = [os.path.join(corpus, n) for n in os.listdir(corpus)] if os.path.isdir(corpus) else []
    crash_files = os.listdir(crashes) if os.path.isdir(crashes) else []
    run = {
        "target": target,
        "execs": execs,
        "seconds": int(seconds),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "commit": commit(),
        "corpus_inputs": len(files),
        "corpus_bytes": sum(os.path.getsize(p) for p in files),
        "new_inputs": found,
        "crashes_reported": problems,
        "crash_files": len(crash_files),
    }
    os.makedirs(os.path.dirname(LOCK), exist_ok=True)
    with open(LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        data = load()
        data["runs"].append(run)
        with open(RESULTS + ".tmp", "w") as f:
            json.dump(data, f, indent=1)
            f.write("\n")
        os.replace(RESULTS + ".tmp", RESULTS)
    print(f"   {target}: {execs} executions in {seconds} s, corpus {run['corpus_inputs']} inputs "
          f"({run['corpus_bytes']} bytes), {found} new, {problems} crashes/timeouts/ooms reported")


def table():
    data = load()
    totals = {}
    for run in data["runs"]:
        t = totals.setdefault(run["target"], {"execs": 0, "seconds": 0, "runs": 0, "crashes": 0})
        t["execs"] += run["execs"]
        t["seconds"] += run["seconds"]
        t["runs"] += 1
        t["crashes"] += run["crashes_reported"]
        t["corpus"] = (run["corpus_inputs"], run["corpus_bytes"])
        t["last"] = run["date"][:10]
    print("| target | executions | time | runs | corpus (inputs, bytes) | crashes reported | last run |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for name in sorted(totals):
        t = totals[name]
        print(f"| `{name}` | {t['execs']:,} | {t['seconds'] // 60} min | {t['runs']} | {t['corpus'][0]}, {t['corpus'][1]:,} | "
              f"{t['crashes']} | {t['last']} |")


if __name__ == "__main__":
    if len(sys.argv) == 7 and sys.argv[1] == "record":
        record(*sys.argv[2:])
    elif len(sys.argv) == 2 and sys.argv[1] == "table":
        table()
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(64)
