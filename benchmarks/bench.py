"""Time socialcal on N synthetic posts: load + validate, provenance, pages + feeds, full build.

    python benchmarks/bench.py                 # N = 1,000, 5,000 and 10,000
    python benchmarks/bench.py 10000 --no-git  # one size, without a git history
    python benchmarks/bench.py 10000 --engine mkdocs --engine zensical   # both site engines

Each size and engine runs in a fresh process so its peak memory (max RSS) is its own. Prints a
table. `peak_mb` is the peak of the `socialcal build` process (with MkDocs, which runs inside
it); `children_mb` the most its child processes held (Zensical's build, git), `together_mb` the
most all of them held at once (both sampled every 20 ms).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
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


# `socialcal build` as a user runs it, reporting its own peak memory on stderr as its last line.
_BUILD = """
import json, resource, sys
from generator.cli import main
try:
    main()
finally:
    print(json.dumps({"RUSAGE_SELF": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}), file=sys.stderr)
"""


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as fh:
            return next((int(line.split()[1]) for line in fh if line.startswith("VmRSS:")), 0) / 1024
    except (OSError, ValueError):
        return 0.0


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as fh:
                    children = [int(child) for child in fh.read().split()]
                found += children
                todo += children
        except (OSError, ValueError):
            continue
    return found


def _sample(proc: subprocess.Popen) -> tuple[float | str, float | str]:
    """Sampled every 20 ms until the process ends (Linux /proc; '–' elsewhere): the most memory
    its child processes (the engine's, git) held at once, and the most it and they held together."""
    if not os.path.isdir(f"/proc/{proc.pid}"):
        proc.wait()
        return "–", "–"
    children = together = 0.0
    while proc.poll() is None:
        others = sum(_rss_mb(pid) for pid in _descendants(proc.pid))
        children = max(children, others)
        together = max(together, others + _rss_mb(proc.pid))
        time.sleep(0.02)
    return children, together


def measure(n: int, use_git: bool, engine: str) -> dict[str, float | str]:
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
        out: dict[str, float | str] = {"n": n, "engine": engine}

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

        # The full build as a user runs it: its own process, so its peak memory is its own.
        t = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        with subprocess.Popen(
            [sys.executable, "-c", _BUILD, "--root", str(root), "build", "--engine", engine],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        ) as proc:
            children, together = _sample(proc)
            stderr = proc.stderr.read() if proc.stderr else ""
        out["build"] = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        # CPU seconds of the build and its children: what a busy machine inflates least.
        out["build cpu"] = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        if proc.returncode != 0:
            raise SystemExit(f"socialcal build failed:\n{stderr}")
        peak = json.loads(stderr.strip().splitlines()[-1])
        out["peak_mb"] = peak["RUSAGE_SELF"]
        # Sampled, not getrusage's: a child forked from a large process reports the parent's size.
        out["children_mb"] = children
        out["together_mb"] = together

        t = time.perf_counter()
        outcome = build(project, cache=Cache(project.cache), engine_name=engine)
        out["rebuild (cached)"] = time.perf_counter() - t
        out["pages"] = outcome.pages
        out["feeds"] = outcome.feeds

        live = LiveSite(project, Path(tmp) / "live", engine)
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
    parser.add_argument(
        "--engine",
        dest="engines",
        action="append",
        choices=["mkdocs", "zensical"],
        help="site engine to build with; repeat for several (default: mkdocs)",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    engines = args.engines or ["mkdocs"]
    if args.child:
        print(json.dumps(measure(args.sizes[0], not args.no_git, engines[0])))
        return
    rows = []
    for n in args.sizes:
        for engine in engines:
            cmd = [sys.executable, __file__, str(n), "--child", "--engine", engine] + (
                ["--no-git"] if args.no_git else []
            )
            proc = subprocess.run(cmd, capture_output=True, text=True)
            if proc.returncode != 0:
                sys.exit(f"N={n}, {engine} failed:\n{proc.stderr}")
            rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    cols = [
        "n",
        "engine",
        "validate",
        "provenance",
        "pages+feeds",
        "build",
        "build cpu",
        "rebuild (cached)",
        "serve edit",
        "peak_mb",
        "children_mb",
        "together_mb",
        "pages",
        "feeds",
    ]
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
