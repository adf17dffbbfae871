"""Time socialcal on N synthetic posts, as a user waits for it: whole processes, start-up included.

    python benchmarks/bench.py                                   # 10,000 and 30,000 posts, both engines
    python benchmarks/bench.py --posts 10000 --engine mkdocs     # a subset, to run it quickly
    python benchmarks/bench.py --posts 2000 --no-serve --no-git  # quicker still

For each size: a temporary repository with N valid posts committed over 300 commits; then, each
as its own process: `socialcal validate` cold (no `.socialcal-cache/`: CI is always cold) and
again with nothing changed (best of three); per engine, a cold `socialcal build` (no site, no
cache) with its peak memory (socialcal's own, and all its processes at once: shared pages
counted once, read from /proc every 20 ms), and `socialcal serve`'s edit→visible: the time from
saving a post (a new title) to the server answering its page with that title ("serve edit"),
and its month's page, which lists it ("serve listed": the whole round), polled over HTTP from
outside the server (median of three edits).

The machine is shared, so wall times move with its load: the reference, plain MkDocs + Material
building 2,000 one-line pages (a navigation of one), is run right before each cold build, and the build is also given
as a ratio to it. "disk" is what this disk takes, right after each build, to create as many folders
with one file each, of the size of the site's average page, as the built site has pages (no
socialcal code): the part of the build's wait that no program writing the same site avoids; on a
virtual disk it moves from one hour to the next. "parse" is, likewise, the least any check of
the same files waits for: reading every content file and loading its front-matter with PyYAML's
C loader, on both cores, in a process of its own (no socialcal code). Prints a Markdown table with the goals of the
performance budget (docs/design.md) beside the figures.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

# The performance budget of docs/design.md (wall seconds, whole processes, 2 cores; MB of all processes at once).
GOALS = {
    10_000: {"build": 5.0, "validate cold": 0.5, "validate unchanged": 0.2, "MB": 500},
    30_000: {"build": 15.0, "MB": 500},  # the validate goals are set at 10,000 posts
}
SERVE_GOAL = {("mkdocs", 10_000): 0.3, ("zensical", 10_000): 1.0, ("mkdocs", 30_000): 0.5, ("zensical", 30_000): 0.5}
REFERENCE_PAGES = 2_000
ENV = {**os.environ, "SOCIALCAL_TODAY": "2026-06-15"}
SOCIALCAL = [sys.executable, "-m", "generator"]  # the code of this checkout, whatever is on PATH


def commit_history(root: Path, files: list[Path], commits: int) -> None:
    """Commit the posts over `commits` commits, as a team would over the years."""
    git = ["git", "-C", str(root), "-c", "user.email=bench@example.org", "-c", "user.name=Bench"]
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run([*git, "add", "content/*.yml", "mkdocs.yml"], check=True)
    subprocess.run([*git, "commit", "-qm", "registries"], check=True)
    step = max(1, len(files) // commits)
    for i in range(0, len(files), step):
        batch = [str(p.relative_to(root)) for p in files[i : i + step]]
        subprocess.run([*git, "add", "--", *batch], check=True)
        subprocess.run([*git, "commit", "-qm", f"posts {i}"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "campaigns", "--allow-empty"], check=True)


def _memory_mb(pid: int) -> tuple[float, float]:
    """A process's resident memory now and its peak so far (VmRSS, VmHWM), in MB."""
    found = {"VmRSS": 0, "VmHWM": 0}
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                key = line.split(":", 1)[0]
                if key in found:
                    found[key] = int(line.split()[1])
    except (OSError, ValueError):
        pass
    return found["VmRSS"] / 1024, found["VmHWM"] / 1024


def _pss_mb(pid: int) -> float:
    """A process's proportional memory (Pss): pages a forked child shares with its parent count
    once between them, where their resident sizes would count them twice."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
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


class _Sampler(threading.Thread):
    """Every 20 ms: the peak of each child process (its VmHWM, exact while it runs) and the most
    the process and its children held together (the sum of their proportional memory: the build
    forks a child that renders the post pages and shares the calendar's pages with it). getrusage
    cannot tell these apart: it keeps the largest of the processes, and a child started from a
    large process may count the parent's pages."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.own, self.children, self.together = pid, 0.0, 0.0, 0.0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.02):
            now = 0.0
            for pid in _descendants(self.pid):
                _, peak = _memory_mb(pid)
                self.children = max(self.children, peak)
                now += _pss_mb(pid)
            _, peak = _memory_mb(self.pid)
            self.own = max(self.own, peak)
            self.together = max(self.together, now + _pss_mb(self.pid))


def run(args: list[str], allowed: tuple[int, ...] = (0,), sample: bool = False) -> dict[str, float]:
    """One process: wall seconds, CPU seconds (user + system) and peak resident memory in MB;
    with `sample`, also the peak of its largest child ("children mb") and of all together
    ("together mb")."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    sampler = _Sampler(proc.pid) if sample and os.path.isdir(f"/proc/{proc.pid}") else None
    if sampler:
        sampler.start()
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if sampler:
        sampler.done.set()
        sampler.join()
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code
    if code not in allowed:
        sys.exit(f"{' '.join(args)} exited {code}:\n{err.decode(errors='replace')[-2000:]}")
    out = {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "mb": usage.ru_maxrss / 1024}
    if sampler:
        # Its own peak too: the one wait4 reports includes the size of the process that started it
        # (this benchmark, large once it has held a calendar), as a spawned child starts with it.
        out.update({"mb": sampler.own or out["mb"], "children mb": sampler.children, "together mb": sampler.together})
    return out


def best(args: list[str], times: int) -> dict[str, float]:
    runs = [run(args) for _ in range(times)]
    return min(runs, key=lambda r: r["wall"])


def reference_project(folder: Path) -> list[str]:
    """Plain MkDocs + Material over 2,000 one-line pages: the command every build is compared with."""
    docs = folder / "docs"
    docs.mkdir(parents=True)
    for i in range(REFERENCE_PAGES):
        (docs / f"page-{i}.md").write_text(f"# Page {i}\n\nOne line.\n", encoding="utf-8")
    # A navigation of one page, like socialcal's short fixed one: with all 2,000 pages in it,
    # Material renders the whole navigation into every page (3 minutes on this machine).
    config = "site_name: Reference\ntheme:\n  name: material\nnav:\n  - page-0.md\n"
    (folder / "mkdocs.yml").write_text(config, encoding="utf-8")
    return [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(folder / "mkdocs.yml"), "-d", str(folder / "site")]


def disk_floor(folder: Path, pages: int, size: int) -> float:
    """Seconds to create `pages` folders in `folder`, each with one file of `size` bytes, the way
    the build writes its pages (a folder, then a file). The folder is removed afterwards, untimed."""
    import shutil

    data = b"x" * size
    folder.mkdir()
    started = time.perf_counter()
    for i in range(pages):
        page = folder / f"page-{i}"
        os.mkdir(page)
        fd = os.open(page / "index.html", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
    seconds = time.perf_counter() - started
    shutil.rmtree(folder)
    return seconds


# Reading every content file and loading its front-matter with PyYAML's C loader, nothing else (no
# positions, no model, no rule), split over two processes as validation splits its files: what
# any check of the same files in Python waits for at least. Its own process, start-up included.
_PARSE_ONLY = r"""
import os, sys
from pathlib import Path
import yaml
paths = sorted(str(p) for p in Path(sys.argv[1]).rglob("*.md"))
pid = os.fork()
for path in paths[: len(paths) // 2] if pid else paths[len(paths) // 2 :]:
    with open(path, encoding="utf-8") as fh:
        front = fh.read().split("\n---", 1)[0].removeprefix("---\n")
    yaml.load(front, Loader=yaml.CSafeLoader)
if pid == 0:
    os._exit(0)
os.waitpid(pid, 0)
"""


def parse_floor(content: Path) -> float:
    """Wall seconds of the best of three `_PARSE_ONLY` processes over `content`."""
    return best([sys.executable, "-c", _PARSE_ONLY, str(content)], 3)["wall"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _page(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return ""


def serve_edit(root: Path, engine: str, post: Path, post_id: str, edits: int = 3) -> tuple[float, float]:
    """Median seconds from saving a new title to `socialcal serve` answering with it: the post's
    own page, then its month's page (what lists it: the rest of the round). Each edit waits for
    the last to be shown everywhere, so that no edit waits for another's round."""
    port = _free_port()
    server = subprocess.Popen(
        [*SOCIALCAL, "--root", str(root), "serve", "--port", str(port), "--engine", engine],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=ENV,
    )
    url = f"http://127.0.0.1:{port}/posts/{post_id}/"
    original = post.read_text(encoding="utf-8")
    title = re.search(r"^title: (.*)$", original, re.M)
    month = re.search(r"^date: (\d{4}-\d{2})", original, re.M)
    assert title is not None and month is not None
    listing = f"http://127.0.0.1:{port}/calendar/{month.group(1)}/"
    try:
        deadline = time.monotonic() + 900
        while title.group(1) not in _page(url):
            if server.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"socialcal serve ({engine}) did not serve {url}")
            time.sleep(0.2)
        time.sleep(1.0)  # the watcher is running once the first page is served; let it settle
        own, listed = [], []
        for k in range(edits):
            new_title = f"Edited {k} post {post_id}"
            post.write_text(original.replace(title.group(0), f"title: {new_title}"), encoding="utf-8")
            started = time.perf_counter()
            for page, seconds in ((url, own), (listing, listed)):
                while new_title not in _page(page):
                    if time.perf_counter() - started > 120:
                        sys.exit(f"socialcal serve ({engine}) never showed the edit of {post} on {page}")
                    time.sleep(0.005)
                seconds.append(time.perf_counter() - started)
            time.sleep(1.0)  # the round announces itself to browsers; let it end
        return statistics.median(own), statistics.median(listed)
    finally:
        post.write_text(original, encoding="utf-8")
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()


def _forget(root: Path) -> None:
    """No cache and no site: what CI and a fresh clone start from."""
    import shutil

    for folder in (root / ".socialcal-cache", root / "site"):
        shutil.rmtree(folder, ignore_errors=True)


def measure(n: int, use_git: bool, engines: list[str], serve: bool) -> list[dict[str, float | str]]:
    """One row per engine; validation does not depend on the engine: measured once, shown in each."""
    from synthetic import generate

    with tempfile.TemporaryDirectory(prefix="socialcal-bench-") as tmp:
        root = Path(tmp) / "repo"
        files = generate(root, n)
        if use_git:
            commit_history(root, files, commits=300)
        reference = reference_project(Path(tmp) / "reference")
        cmd = [*SOCIALCAL, "--root", str(root)]
        out: dict[str, float | str] = {"posts": n}
        _forget(root)
        out["validate cold"] = run([*cmd, "validate"])["wall"]
        out["parse"] = parse_floor(root / "content")
        run([*cmd, "validate"])  # the run that leaves what an unchanged run may reuse
        out["validate unchanged"] = best([*cmd, "validate"], 3)["wall"]
        rows = []
        post = files[len(files) // 2]
        for engine in engines:
            row = {**out, "engine": engine, "load": os.getloadavg()[0]}  # other work on the machine
            ref = run(reference)["wall"]
            _forget(root)
            built = run([*cmd, "build", "--engine", engine], sample=True)
            row["reference"], row["build"] = ref, built["wall"]
            row["build / reference"] = built["wall"] / ref
            row["MB"] = max(built.get("together mb", 0.0), built["mb"])
            written = list((root / "site").rglob("index.html"))
            row["pages"] = len(written)
            size = sum(p.stat().st_size for p in written) // max(1, len(written))
            row["disk"] = disk_floor(Path(tmp) / "floor", len(written), size)
            row["serve edit"], row["serve listed"] = serve_edit(root, engine, post, post.stem) if serve else ("–", "–")
            rows.append(row)
    return rows


def _goal(row: dict[str, float | str], col: str) -> float | None:
    n, engine = int(row["posts"]), str(row["engine"])
    if col == "serve edit":
        return SERVE_GOAL.get((engine, n))
    return GOALS.get(n, {}).get(col)


def _cell(value: float | int | str) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, help="numbers of posts (as --posts)")
    parser.add_argument("--posts", dest="posts", action="append", type=int, help="number of posts; repeat for several")
    parser.add_argument("--no-git", action="store_true", help="skip the git history (and provenance)")
    parser.add_argument("--no-serve", action="store_true", help="skip serve's edit→visible")
    parser.add_argument(
        "--engine",
        dest="engines",
        action="append",
        choices=["mkdocs", "zensical"],
        help="site engine of the build and of serve; repeat for several (default: both)",
    )
    args = parser.parse_args()
    sizes = [*args.sizes, *(args.posts or [])] or [10_000, 30_000]
    cols = [
        "validate cold",
        "parse",
        "validate unchanged",
        "reference",
        "build",
        "build / reference",
        "disk",
        "MB",
        "serve edit",
        "serve listed",
    ]
    print(f"cores: {os.cpu_count()}; reference: plain MkDocs + Material, {REFERENCE_PAGES:,} one-line pages")
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    print("| posts | engine | " + " | ".join(cols) + " | pages | load | over its goal |")
    print("|---:|---|" + "---:|" * (len(cols) + 2) + "---|")
    for n in sizes:
        for row in measure(n, not args.no_git, args.engines or ["mkdocs", "zensical"], not args.no_serve):
            cells, over = [], []
            for col in cols:
                goal = _goal(row, col)
                cells.append(_cell(row[col]) + (f" (≤ {goal:g})" if goal is not None else ""))
                if goal is not None and isinstance(row[col], float) and row[col] > goal:
                    over.append(col)
            line = f"| {n:,} | {row['engine']} | " + " | ".join(cells)
            print(line + f" | {_cell(row['pages'])} | {_cell(row['load'])} | {', '.join(over) or '–'} |", flush=True)


if __name__ == "__main__":
    main()
