"""Every ``kg`` command of the README runs as written (in a copy of seeds/ and examples/), the SPARQL example
prints what the README says, and everything the commands write is ignored by git in a checkout."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from pathlib import Path

import pytest

from tests.conftest import ROOT, SHARED

README = ROOT / "README.md"


def readme_commands() -> list[list[str]]:
    """The ``kg`` commands of the README's bash blocks, in order (parts of ``&&`` chains included)."""
    out = []
    for block in re.findall(r"```bash\n(.*?)```", README.read_text(encoding="utf-8"), re.S):
        for line in block.splitlines():
            for part in line.split("&&"):
                words = shlex.split(part, comments=True)
                if words and words[0] == "kg":
                    out.append(words)
    return out


def kg_program() -> list[str]:
    found = shutil.which("kg", path=os.path.dirname(sys.executable))
    return [found] if found else [sys.executable, "-m", "kg.cli"]


def test_the_readme_has_commands_for_every_subcommand():
    used = {words[1] for words in readme_commands()}
    assert {"build", "query", "stats", "draw", "annotate", "eval", "merge", "load", "serve", "validate", "export"} <= used


OUTPUT_OPTIONS = ("-o", "--output", "--store", "--markdown", "--json", "--mentions")


def _files(words: list[str]) -> tuple[set[str], set[str]]:
    """The files a README command names (not the copied seeds/ and examples/) and those it writes."""
    named = {w for w in words[2:] if not w.startswith(("-", "@", "seeds", "examples/")) and ("." in w or "/" in w)}
    written = {b for a, b in zip(words, words[1:]) if a in OUTPUT_OPTIONS}
    return named, written


def _schedule(commands: list[list[str]]) -> list[set[int]]:
    """For each command, the earlier ones it must wait for: those that write a file it names, that name a file it
    writes, or that share a store or folder with it (an Oxigraph store is opened by one process at a time)."""
    files = [_files(words) for words in commands]
    deps = []
    for j, (named_j, written_j) in enumerate(files):
        deps.append({i for i, (named_i, written_i) in enumerate(files[:j])
                     if named_j & written_i or written_j & named_i
                     or any(f.endswith((".store", "/")) for f in named_j & named_i)})
    return deps


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    """Run the README's commands in a fresh folder, two at a time, each after the earlier ones whose files it
    reads or writes; yields (folder, {command: completed process})."""
    work = tmp_path_factory.mktemp("readme")
    for name in ("seeds", "examples"):
        shutil.copytree(ROOT / name, work / name)
    env = dict(os.environ, KG_CORPORA=str(SHARED / "corpora"))

    def run(words: list[str]) -> subprocess.CompletedProcess | None:
        if words[1] == "serve":
            return _serve(words, work, env)
        if words[1] == "eval":
            if not (SHARED / "corpora").is_dir():
                return None
            words = [*words, "--limit", "2"]  # the README's command on two documents of each corpus
        return subprocess.run(kg_program() + words[1:], cwd=work, env=env, capture_output=True, text=True,
                              timeout=600)

    commands = readme_commands()
    deps, pending, running, done, results = _schedule(commands), list(range(len(commands))), {}, set(), {}
    with ThreadPoolExecutor(max_workers=2) as pool:
        while pending or running:
            for j in [j for j in pending if deps[j] <= done][: 2 - len(running)]:
                pending.remove(j)
                running[pool.submit(run, commands[j])] = j
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                j = running.pop(future)
                done.add(j)
                if (result := future.result()) is not None:
                    results[" ".join(commands[j])] = result
    return work, results


def test_the_commands_that_share_a_file_run_in_the_readmes_order():
    commands = [c.split() for c in ("kg build seeds/ -o kg.ttl", "kg query kg.ttl x.rq", "kg draw kg.ttl -o a.png",
                                    "kg load kg.ttl --store s.store", "kg query s.store y.rq", "kg serve s.store",
                                    "kg build seeds/ -o kg.ttl")]
    assert _schedule(commands) == [set(), {0}, {0}, {0}, {3}, {3, 4}, {0, 1, 2, 3}]


def _serve(words: list[str], work: Path, env: dict) -> subprocess.CompletedProcess:
    """Start the endpoint (on a free port), ask it one query, stop it."""
    args = [w if w != "7878" else "0" for w in words[1:]]
    proc = subprocess.Popen(kg_program() + args, cwd=work, env=env, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()
        url = re.search(r"(http://127\.0\.0\.1:\d+/query)", line).group(1)
        query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        with urllib.request.urlopen(url + "?" + urllib.parse.urlencode({"query": query}), timeout=30) as r:
            answer = json.loads(r.read())
        n = int(answer["results"]["bindings"][0]["n"]["value"])
        return subprocess.CompletedProcess(words, 0 if n > 0 else 1, stdout=str(n), stderr=line)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        time.sleep(0.1)


def test_every_readme_command_succeeds(ran):
    _, results = ran
    failed = {cmd: r.stderr.strip()[-400:] for cmd, r in results.items() if r.returncode != 0}
    assert not failed, failed
    assert len(results) >= 18


def test_the_sparql_example_prints_what_the_readme_says(ran):
    _, results = ran
    out = results["kg query kg.ttl @examples/msc_treats.rq --format table"].stdout
    rows = [ln for ln in out.splitlines()[2:] if ln and not ln.startswith("(")]
    assert out.rstrip().endswith("(6 rows)")
    assert [r.split("  ")[0] for r in rows] == ["Acute-On-Chronic Liver Failure", "chronic liver failure",
                                               "cirrhosis of liver", "complication of liver transplantation",
                                               "liver disorder", "liver disorder"]
    assert all("biolink:studied_to_treat" in r for r in rows)
    assert [" true " in r for r in rows] == [True, True, True, True, False, False]


def test_the_example_policy_folder_changes_the_graph(ran):
    work, _ = ran
    mine, shipped = (work / "kg-mine.ttl").read_text(encoding="utf-8"), (work / "kg-en.ttl").read_text(encoding="utf-8")
    assert "GO:0006955 a biolink:BiologicalProcess" in shipped  # "immune response"
    assert "GO:0006955" not in mine  # a stop term in examples/policy/stop_terms.txt


def test_what_the_commands_write_is_ignored_by_git(ran):
    work, _ = ran
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    written = sorted(p.name for p in work.iterdir() if p.name not in ("seeds", "examples"))
    assert len(written) >= 10
    names = [n + "/" if (work / n).is_dir() else n for n in written]
    kept = [n for n in names if subprocess.run(["git", "check-ignore", "-q", n], cwd=ROOT).returncode != 0]
    assert not kept, f"not in .gitignore: {kept}"
