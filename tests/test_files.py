"""Atomic outputs, and sorting more lines than memory holds: runs on disk merged, each line once."""

from __future__ import annotations

import random

import pytest

from kg.files import atomic_output, merge_sorted_files, sorted_unique


def test_sorting_on_disk_gives_sorted_unique_lines(tmp_path):
    rng = random.Random(7)
    lines = [f"<http://x/{rng.randrange(500)}> <http://p> \"{rng.random():.2f}\" .\n" for _ in range(3000)]
    got = list(sorted_unique(iter(lines), tmp_path, run_size=100))  # about 30 runs on disk
    assert got == sorted(set(lines))
    assert list(tmp_path.iterdir()) == []  # the runs are gone


def test_merging_more_files_than_are_opened_at_once(tmp_path):
    parts = []
    for i in range(9):
        p = tmp_path / f"part{i}.txt"
        p.write_text("".join(f"{k:05d}\n" for k in range(i, 200, 9)), encoding="utf-8")
        parts.append(p)
    work = tmp_path / "work"
    work.mkdir()
    merged = list(merge_sorted_files(parts, work, fan_in=2))
    assert merged == [f"{k:05d}\n" for k in range(200)] and list(work.iterdir()) == []


def test_an_output_is_whole_or_absent(tmp_path):
    target = tmp_path / "out.nq"
    with pytest.raises(RuntimeError), atomic_output(target) as fh:
        fh.write(b"half")
        raise RuntimeError("stopped")
    assert list(tmp_path.iterdir()) == []
    with atomic_output(target) as fh:
        fh.write(b"whole")
    assert target.read_bytes() == b"whole"
