"""Time socialcal on N synthetic posts: load + validate, provenance, pages + feeds, full build.

    python benchmarks/bench.py                 # N = 1,000, 5,000 and 10,000
    python benchmarks/bench.py 10000 --no-git  # one size, without a git history

Each size runs in a fresh process so its peak memory (max RSS) is its own. Prints a table.
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


def measure(n: int, use_git: bool) -> dict[str, float]:
    from synthetic import generate

    from generator.build import LiveSite, build, render_all, resolve_today
    from generator.calendar import Calendar
    from generator.project import Project
    from generator.provenance import read_provenance
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
        render_all(project, cal)
        out["pages+feeds"] = time.perf_counter() - t

        # The full build as a user runs it: its own process, so its peak memory is its own.
        t = time.perf_counter()
        subprocess.run(["socialcal", "--root", str(root), "build"], check=True, capture_output=True)
        out["build"] = time.perf_counter() - t
        out["peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

        t = time.perf_counter()
        outcome = build(project)
        out["rebuild"] = time.perf_counter() - t
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
        "rebuild",
        "serve edit",
        "peak_mb",
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
