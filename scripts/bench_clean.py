#!/usr/bin/env python3
"""Cleaning benchmark on the development set of scraped pages (tests/cases/pages/).

Each page NNN_<site>.txt has a gold file NNN_<site>.gold.yml listing boilerplate strings that must be
gone after cleaning (each with its kind) and body strings that must be kept. A string counts as
removed when it no longer occurs in the cleaned text, as kept when it does; both sides are compared
without whitespace and with half-width punctuation made full-width, as cleaning does. Pages marked
`holdout: true` were collected last and never used to tune the scorer: they are reported apart.

    python scripts/bench_clean.py              the table
    python scripts/bench_clean.py --markdown   the same as Markdown, for docs/about/cleaning.md
"""
from __future__ import annotations

import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from tifa import boilerplate, clean  # noqa: E402

PAGES = ROOT / "tests" / "cases" / "pages"
SETS = ("development", "held out")


@dataclass
class Tally:
    removed: int = 0
    boilerplate: int = 0
    kept: int = 0
    body: int = 0
    by_kind: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    misses: list = field(default_factory=list)  # (page, kind, text) left in
    losses: list = field(default_factory=list)  # (page, text) lost
    pages: int = 0
    sites: set = field(default_factory=set)


def normal(text: str) -> str:
    return "".join(clean.FULL_WIDTH.get(c, c) for c in re.sub(r"\s+", "", text))


def load_pages(pages: Path = PAGES) -> list[tuple[Path, str, dict]]:
    return [(p, p.read_text(encoding="utf-8"), yaml.safe_load(p.with_name(p.stem + ".gold.yml").read_text(encoding="utf-8")))
            for p in sorted(pages.glob("*.txt"))]


def measure(pages: Path = PAGES) -> dict[str, Tally]:
    """Clean every page (with the repetition context of the whole set) and score it against its gold file."""
    loaded = load_pages(pages)
    corpus = boilerplate.line_counts(text for _, text, _ in loaded)
    tallies = {name: Tally() for name in SETS}
    for path, text, gold in loaded:
        t = tallies["held out" if gold.get("holdout") else "development"]
        t.pages += 1
        t.sites.add(gold["site"])
        out = normal(clean.clean(text, corpus).text)
        for item in gold.get("boilerplate") or []:
            gone = normal(item["text"]) not in out
            t.removed += gone
            t.boilerplate += 1
            t.by_kind[item["kind"]][0] += gone
            t.by_kind[item["kind"]][1] += 1
            if not gone:
                t.misses.append((path.name, item["kind"], item["text"]))
        for item in gold.get("body") or []:
            kept = normal(item) in out
            t.kept += kept
            t.body += 1
            if not kept:
                t.losses.append((path.name, item))
    return tallies


def share(n: int, d: int) -> str:
    return f"{n}/{d} ({100 * n / d:.1f} %)" if d else "—"


def report(tallies: dict[str, Tally], markdown: bool = False) -> str:
    kinds = sorted({k for t in tallies.values() for k in t.by_kind})
    head = ["", *SETS]
    rows = [["pages (sites)", *[f"{t.pages} ({len(t.sites)})" for t in tallies.values()]],
            ["boilerplate strings removed", *[share(t.removed, t.boilerplate) for t in tallies.values()]],
            ["body strings kept", *[share(t.kept, t.body) for t in tallies.values()]]]
    rows += [[f"  {k}", *[share(*t.by_kind[k]) if k in t.by_kind else "—" for t in tallies.values()]] for k in kinds]
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|---|---:|---:|"]
        lines += ["| " + " | ".join([r[0].replace("  ", "kind: ", 1), *r[1:]]) + " |" for r in rows]
    else:
        width = max(len(r[0]) for r in rows) + 2
        lines = ["".join(c.ljust(width if i == 0 else 22) for i, c in enumerate(r)) for r in [head] + rows]
    for name, t in tallies.items():
        lines += [f"{'- ' if markdown else ''}{name}: left in [{kind}] {text!r} ({page})" for page, kind, text in t.misses]
        lines += [f"{'- ' if markdown else ''}{name}: LOST body {text!r} ({page})" for page, text in t.losses]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    tallies = measure()
    print(report(tallies, markdown="--markdown" in argv))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
