"""Helpers the bibliographic readers share: dates as ISO strings, author names, identifiers cleaned of
the forms they come in (``https://doi.org/…``, ``PMC123``, ``0000-0002-… (ORCID URL)``)."""

from __future__ import annotations

import re

MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
SEASONS = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}
_YEAR = re.compile(r"\b(1[5-9]\d\d|2\d\d\d)\b")
_ORCID = re.compile(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])", re.I)
_DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.I)
_PMC = re.compile(r"^(?:PMC)?(\d+)$", re.I)
_MONTH_CACHE = {**{f"{i:02d}": i for i in range(1, 13)}, **{str(i): i for i in range(1, 13)},
                **{m.capitalize(): i for m, i in MONTHS.items()}}


def month_number(month: str | None) -> int | None:
    """``"05"``, ``"May"``, ``"Spring"`` -> 5, 5, 3; None when it is not a month."""
    if not month:
        return None
    m = month.strip().lower()
    if m.isdigit():
        n = int(m)
        return n if 1 <= n <= 12 else None
    return MONTHS.get(m[:3]) or SEASONS.get(m)


def iso_date(year: str | None, month: str | None = None, day: str | None = None) -> str | None:
    """An ISO date as precise as the parts allow: ``2018``, ``2018-05``, ``2018-05-17`` (None without a year)."""
    if not year:
        return None
    y = year.strip()
    if not (len(y) == 4 and y.isdigit()):
        found = _YEAR.search(y)
        if not found:
            return None
        y = found.group(1)
    mo = _MONTH_CACHE.get(month) if month else None
    if mo is None:
        mo = month_number(month)
    if mo is None:
        return y
    d = day.strip() if day else ""
    if d.isdigit() and 1 <= int(d) <= 31:
        return f"{y}-{mo:02d}-{int(d):02d}"
    return f"{y}-{mo:02d}"


def year_of(text: str | None) -> str | None:
    """The first four-digit year in a free-form date ("1998 Dec-1999 Jan", "2006 Mar 1")."""
    m = _YEAR.search(text or "")
    return m.group(1) if m else None


def free_date(text: str | None) -> str | None:
    """A free-form date ("2006 Mar 1", "2005/06/17", "20060110") as an ISO date, as precise as it allows."""
    if not text:
        return None
    t = text.strip()
    m = re.match(r"^(\d{4})(\d{2})(\d{2})$", t) or re.match(r"^(\d{4})[/-](\d{1,2})(?:[/-](\d{1,2}))?", t)
    if m:
        return iso_date(m.group(1), m.group(2), m.group(3))
    parts = t.split()
    return iso_date(parts[0], parts[1] if len(parts) > 1 else None, parts[2] if len(parts) > 2 else None)


def person(last: str | None, fore: str | None = None, suffix: str | None = None) -> str:
    """A person's name as printed: "Paul M O'Byrne", "Jr" after."""
    name = f"{fore.strip()} {last.strip()}".strip() if fore and last else (last or fore or "").strip()
    return f"{name} {suffix.strip()}".strip() if suffix else name


def inverted(name: str) -> str:
    """A "Last, Fore" name (MEDLINE ``FAU``) as "Fore Last"."""
    if "," in name:
        last, fore = name.split(",", 1)
        return person(last, fore)
    return name.strip()


def doi(value: str | None) -> str | None:
    """A DOI without its resolver or ``doi:`` prefix."""
    if not value or not value.strip():
        return None
    v = _DOI.sub("", value.strip()).strip()
    return v if v.startswith("10.") else None


def pmcid(value: str | None) -> str | None:
    """``PMC123456`` from "PMC123456", "123456" or an OAI identifier's tail."""
    if not value:
        return None
    m = _PMC.match(value.strip().rsplit(":", 1)[-1].strip())
    return f"PMC{m.group(1)}" if m else None


def orcid(value: str | None) -> str | None:
    """The 16-character ORCID iD in an identifier or URL."""
    m = _ORCID.search(value or "")
    return m.group(1).upper() if m else None


def unique_name(name: str, taken: dict[str, int]) -> str:
    """``name``, or ``name (2)``, ``name (3)`` ... when a section of that name already exists."""
    n = taken.get(name, 0) + 1
    taken[name] = n
    return name if n == 1 else f"{name} ({n})"
