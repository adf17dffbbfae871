"""Time socialcal on N synthetic posts: load + validate, provenance, pages + feeds, full build.

    python benchmarks/bench.py                 # N = 1,000, 5,000 and 10,000
    python benchmarks/bench.py 10000 --no-git  # one size, without a git history

Each size runs in a fresh process so its peak memory (max RSS) is its own. Prints a table; pages
counts every page of the site, a post's own page included.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

BUDGET = {"validate": 1.5, "provenance": 2.0, "build": 15.0, "peak_mb": 500, "serve edit": 2.0}


def commit_history(root: Path, files: list[Path], commits: int) -> None:
    """Commit the posts over `commits` commits, as a team would over the years."""
    git = ["git", "-C", str(root), "-c", "user.email=bench@example.org", "-c", "user.name=Bench"]
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(
        [
            *git,
            "add",
            "content/channels.yml",
            "content/series.yml",
            "content/hashtags.yml",
            "content/links.yml",
            "content/audiences.yml",
            "content/settings.yml",
            "mkdocs.yml",
        ],
        check=True,
    )
    subprocess.run([*git, "commit", "-qm", "registries"], check=True)
    step = max(1, len(files) // commits)
    for i in range(0, len(files), step):
        batch = [str(p.relative_to(root)) for p in files[i : i + step]]
        subprocess.run([*git, "add", "--", *batch], check=True)
        subprocess.run([*git, "commit", "-qm", f"posts {i}"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "campaigns", "--allow-empty"], check=True)


def _tree(pid: int) -> list[int]:
    """A process and its descendants (Linux /proc)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for task in Path(f"/proc/{p}/task").glob("*/children"):
            with contextlib.suppress(OSError, ValueError):
                todo.extend(int(c) for c in task.read_text().split())
    return out


def _pss_mb(pids: list[int]) -> float:
    total = 0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except (OSError, ValueError):
            pass
    return total / 1024


def run_sampled(cmd: list[str]) -> float:
    """Run a command; return the peak of its process tree's proportional memory (PSS, MB), which
    counts pages shared by a forked child once (sampled every 20 ms; 0 without /proc)."""
    peak = 0.0
    done = threading.Event()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.02):
            peak = max(peak, _pss_mb(_tree(proc.pid)))

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    _, err = proc.communicate()
    done.set()
    thread.join()
    if proc.returncode:
        raise subprocess.CalledProcessError(proc.returncode, cmd, stderr=err)
    return peak


def measure(n: int, use_git: bool) -> dict[str, float]:
    from synthetic import generate

    from generator.build import build, render_all
    from generator.cache import Cache
    from generator.calendar import Calendar
    from generator.plan import resolve_today
    from generator.project import Project
    from generator.provenance import read_provenance
    from generator.serve import LiveSite
    from generator.validate import validate

    os.environ.setdefault("SOCIALCAL_TODAY", "2026-06-15")
    with tempfile.TemporaryDirectory(prefix="socialcal-bench-") as tmp:
        root = Path(tmp) / "repo"
        files = generate(root, n)
        if use_git:
            commit_history(root, files, commits=300)
        project = Project(root)
        registry = project.registry()
        out: dict[str, float] = {"n": n}

        t = time.perf_counter()
        result = validate(root, registry)
        out["validate"] = time.perf_counter() - t
        assert result.ok, [d.to_text() for d in result.errors[:5]]

        t = time.perf_counter()
        provenance = read_provenance(root)
        out["provenance"] = time.perf_counter() - t
        if use_git:
            assert len(provenance.files) >= n, len(provenance.files)

        cal = Calendar(registry, result.posts, result.campaigns, resolve_today(registry.settings.tz), provenance)
        t = time.perf_counter()
        render_all(project, cal, Path(tmp) / "render")
        out["pages+feeds"] = time.perf_counter() - t

        # The full build as a user runs it: its own process, so its peak memory is its own. The
        # post pages are rendered in a forked child while the site builder runs: peak_mb is the
        # largest process (max RSS), tree_mb the peak of both together (PSS: shared pages once).
        t = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        out["tree_mb"] = run_sampled(["socialcal", "--root", str(root), "build"])
        out["build"] = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        out["build_cpu"] = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        out["peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

        t = time.perf_counter()
        outcome = build(project, cache=Cache(project.cache))
        out["rebuild (cached)"] = time.perf_counter() - t
        out["pages"] = outcome.pages
        out["feeds"] = outcome.feeds

        live = LiveSite(project, Path(tmp) / "live")
        live.rebuild()
        post = files[len(files) // 2]
        post.write_text(post.read_text(encoding="utf-8").replace("Synthetic post", "Edited post"), encoding="utf-8")
        t = time.perf_counter()
        live.rebuild()
        out["serve edit"] = time.perf_counter() - t
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 5000, 10000])
    parser.add_argument("--no-git", action="store_true", help="skip the git history (and provenance)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.sizes[0], not args.no_git)))
        return
    rows = []
    for n in args.sizes:
        cmd = [sys.executable, __file__, str(n), "--child"] + (["--no-git"] if args.no_git else [])
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit(f"N={n} failed:\n{proc.stderr}")
        rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    cols = [
        "n",
        "validate",
        "provenance",
        "pages+feeds",
        "build",
        "build_cpu",
        "rebuild (cached)",
        "serve edit",
        "peak_mb",
        "tree_mb",
        "pages",
        "feeds",
    ]
    print(f"load average at the end: {os.getloadavg()[0]:.1f}; build_cpu: CPU seconds of the build, both processes")
    print(
        f"cores: {os.cpu_count()}; budgets (10,000 posts): validate ≤ {BUDGET['validate']} s, provenance ≤ "
        f"{BUDGET['provenance']} s, full build ≤ {BUDGET['build']} s and ≤ {BUDGET['peak_mb']} MB"
    )
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for row in rows:
        print("| " + " | ".join(f"{row[c]:.2f}" if isinstance(row[c], float) else str(row[c]) for c in cols) + " |")


if __name__ == "__main__":
    main()
