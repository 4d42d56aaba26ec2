"""The annotated corpora kg knows (``corpora.toml``): where each split's files are under a corpora folder,
their format, the types they annotate and the relations they hold."""

from __future__ import annotations

import os
from pathlib import Path

from collections.abc import Sequence

from kg.config import Config, Table
from kg.corpora.gold import GOLD_READERS, GoldDocument, read_knowtator
from kg.errors import KgError

SPLITS = ("train", "dev", "test")
HALVES = ("even", "odd")
FORMATS = ("pubtator", "rosario_hearst", "knowtator", "cmeee", "cmeie", "bioc")


def half_of(gold: Sequence[GoldDocument], half: str | None) -> list[GoldDocument]:
    """One deterministic half of a split: the documents at even (0, 2, 4, ...) or odd positions in the
    split's file order (``None``: all). Rosario–Hearst has a single file; rules and the claim classifier
    are chosen and trained on its even half, and its odd half is the held-out figure (EVALUATION.md)."""
    if half is None:
        return list(gold)
    if half not in HALVES:
        raise KgError(f"unknown half {half!r}; expected one of: {', '.join(HALVES)}")
    return [g for i, g in enumerate(gold) if i % 2 == HALVES.index(half)]


def default_corpora_dir() -> Path:
    """``$KG_CORPORA``, else ``../shared/corpora`` from the working folder."""
    return Path(os.environ.get("KG_CORPORA") or Path("..") / "shared" / "corpora")


class Corpora:
    """The corpora of ``corpora.toml`` under ``root`` (default: ``default_corpora_dir()``)."""

    def __init__(self, config: Config | None = None, root: str | Path | None = None):
        self.config = config or Config.default()
        self.root = Path(root) if root is not None else default_corpora_dir()
        self.table = self.config.corpora.table("corpus")

    def names(self) -> list[str]:
        return list(self.table)

    def spec(self, name: str) -> Table:
        """A corpus's table of corpora.toml; an unknown name is an error."""
        if name not in self.table:
            raise KgError(f"unknown corpus {name!r}; known: {', '.join(self.table)}")
        return self.table.table(name)

    def splits(self, name: str) -> list[str]:
        cfg = self.spec(name)
        return [s for s in SPLITS if s in cfg]

    def files(self, name: str, split: str) -> tuple[str, ...]:
        """The files of a split, relative to the corpora folder."""
        return self.spec(name).strings(split)

    def present(self, name: str, split: str) -> bool:
        """Whether the files of a corpus split are under the corpora folder."""
        cfg = self.spec(name)
        if split not in cfg:
            return False
        return all((self.root / f).is_file() for f in cfg.strings(split))

    def load(self, name: str, split: str) -> list[GoldDocument]:
        """The gold documents of one split of a known corpus."""
        cfg = self.spec(name)
        if split not in cfg:
            raise KgError(f"corpus {name} has no {split!r} split; it has: {', '.join(self.splits(name))}")
        fmt = cfg.choice("format", FORMATS)
        root = self.root
        if fmt == "knowtator":
            ids_file = root / cfg.string(split)
            if not ids_file.is_file():
                raise KgError("corpus file not found (see --corpora)", ids_file)
            ids = [x.strip() for x in ids_file.read_text(encoding="utf-8").split() if x.strip()]
            out = []
            for pid in ids:
                xmls = [root / folder / f"{pid}.txt.knowtator.xml" for folder in cfg.strings("annotations")]
                out.append(read_knowtator([x for x in xmls if x.is_file()], root / cfg.string("text") / f"{pid}.txt"))
            return out
        reader = GOLD_READERS[fmt]
        out = []
        for rel in cfg.strings(split):
            path = root / rel
            if not path.is_file():
                raise KgError("corpus file not found (see --corpora)", path)
            out.extend(reader(path))
        return out

    def held_out_ids(self, names: list[str] | None = None, splits: tuple[str, ...] = ("dev", "test")) -> set[str]:
        """Document ids of every evaluation split present: training never sees them, even when another
        corpus's train split holds the same abstract (BioRED's train split holds 44 BC5CDR dev abstracts)."""
        out: set[str] = set()
        for name in names or self.names():
            for split in splits:
                if self.present(name, split):
                    out |= {g.id for g in self.load(name, split)}
        return out
