"""Benchmark of the build (``warehouse.store.build``): wall seconds, CPU seconds of the build
and of every process it starts, budget lines per CPU-second, serial and parallel.

    .venv/bin/python -m benchmarks.build --lines 10000 100000 [--workers 1 2] [--json out.json]
    .venv/bin/python -m benchmarks.build --raw data/raw --workers 1      # a real folder
    .venv/bin/python -m benchmarks.build --lines 100000 --code /path/to/old/checkout   # before

For each size the synthetic corpus of ``benchmarks.synthetic.write_corpus`` (one document per
province and year, ``--provinces`` × ``--years``) is written once into ``--cache-dir`` and
built once per ``--workers`` value (``SKHCN_BUILD_WORKERS``; 1 = one document at a time) by a
fresh ``python -c "…store.build(raw, db)"`` process. Each document is read in a child process
of a ``forkserver`` (``warehouse.isolate``): the workers are grandchildren of this process,
so this process makes itself a *child subreaper* (Linux ``prctl``) to reap them and count
their CPU time (``getrusage(RUSAGE_CHILDREN)``, user + system, after every descendant has
ended). The machine's load average (``os.getloadavg``) is printed before and after each run:
on a shared machine the wall time depends on it, the CPU time much less.

The warehouse of each run is kept (``--keep DIR``: ``DIR/<label>.duckdb``) for
``benchmarks.compare_warehouses``.
"""
from __future__ import annotations

import argparse
import ctypes
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PR_SET_CHILD_SUBREAPER = 36


def _subreaper() -> bool:
    """Make this process the reaper of its orphaned descendants (Linux); False elsewhere."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _reap_all(timeout_s: float = 30.0) -> None:
    """Wait for every descendant left (the fork server and its children end once the build
    process has ended)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.05)


def _cpu_children() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


BUILD = ("import sys, json; from warehouse import store; r = store.build(sys.argv[1], sys.argv[2]); "
         "print(json.dumps({'budget_lines': r.budget_lines, 'documents': len(r.documents), 'mismatches': len(r.mismatches)}))")


def run_build(raw: Path, db: Path, workers: int, python: str = sys.executable, code: Path = ROOT) -> dict:
    """Build ``raw`` into ``db`` in a fresh process with ``SKHCN_BUILD_WORKERS=workers``, with
    the code of the checkout ``code`` (default this one; another one for a before/after);
    returns wall s, CPU s (build process and all its descendants, user + system), the
    report's counts and the load average (1 min) before and after."""
    db.unlink(missing_ok=True)
    env = dict(os.environ, SKHCN_BUILD_WORKERS=str(workers))
    load_before = os.getloadavg()
    _reap_all(1.0)
    cpu0 = _cpu_children()
    t0 = time.perf_counter()
    proc = subprocess.run([python, "-c", BUILD, str(raw), str(db)], cwd=code, env=env,
                          capture_output=True, text=True)
    wall = time.perf_counter() - t0
    _reap_all()
    cpu = _cpu_children() - cpu0
    if proc.returncode != 0:
        raise RuntimeError(f"build failed ({proc.returncode}): {proc.stderr[-3000:]}")
    counts = json.loads(proc.stdout.strip().splitlines()[-1])
    lines = counts["budget_lines"]
    return {"workers": workers, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
            "lines_per_cpu_s": round(lines / cpu, 1) if cpu else None,
            "lines_per_wall_s": round(lines / wall, 1) if wall else None,
            "load_before": [round(x, 2) for x in load_before],
            "load_after": [round(x, 2) for x in os.getloadavg()], **counts}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, nargs="*", default=[10_000, 100_000], help="budget lines of each corpus")
    parser.add_argument("--raw", type=Path, nargs="*", default=[], help="real folders to build as well (data/raw)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2],
                        help="SKHCN_BUILD_WORKERS of each run (1 = serial)")
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    parser.add_argument("--keep", type=Path, help="keep each warehouse as DIR/<label>.duckdb")
    parser.add_argument("--provinces", type=int, default=34)
    parser.add_argument("--years", type=int, default=7)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cache-dir", type=Path, default=Path(os.environ.get("SKHCN_BENCH_CACHE", "/tmp/skhcn-buildbench")))
    parser.add_argument("--fresh", action="store_true", help="write the corpus again")
    parser.add_argument("--code", type=Path, default=ROOT,
                        help="checkout whose warehouse.store builds (default this one; e.g. a worktree of the old commit)")
    args = parser.parse_args(argv)

    from benchmarks.synthetic import write_corpus

    reaper = _subreaper()
    if not reaper:
        print("warning: not a subreaper: the CPU time of the parse workers is not counted", file=sys.stderr)
    corpora: list[tuple[str, Path]] = [(p.name or str(p), p.resolve()) for p in args.raw]
    for lines in args.lines:
        folder = args.cache_dir / f"lines{lines}-seed{args.seed}-p{args.provinces}y{args.years}"
        raw = folder / "raw"
        if args.fresh or not (raw / "manifest.csv").exists():
            shutil.rmtree(folder, ignore_errors=True)
            write_corpus(raw, lines, args.provinces, args.years, args.seed)
        corpora.append((f"{lines}", raw))
    results = []
    print(f"{'corpus':>10} {'workers':>7} {'lines':>8} {'docs':>5} {'wall s':>8} {'CPU s':>8} "
          f"{'lines/CPU-s':>11} {'lines/wall-s':>12}  load avg before → after")
    for label, raw in corpora:
        for workers in args.workers:
            db = (args.keep / f"{label}-w{workers}.duckdb") if args.keep else args.cache_dir / f"bench-{label}-w{workers}.duckdb"
            db.parent.mkdir(parents=True, exist_ok=True)
            r = run_build(raw, db, workers, code=args.code.resolve())
            r["corpus"] = label
            results.append(r)
            print(f"{label:>10} {workers:>7} {r['budget_lines']:>8} {r['documents']:>5} {r['wall_s']:>8.2f} "
                  f"{r['cpu_s']:>8.2f} {r['lines_per_cpu_s'] or 0:>11.0f} {r['lines_per_wall_s'] or 0:>12.0f}  "
                  f"{' '.join(map(str, r['load_before']))} → {' '.join(map(str, r['load_after']))}", flush=True)
    if args.json:
        args.json.write_text(json.dumps({"nproc": os.cpu_count(), "subreaper": reaper, "code": str(args.code),
                                         "runs": results}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
