"""CLI command `docs`: regenerate the reference documents from the registries.

A module of its own so that `ingest` never loads the docs builders (they pull in pandas,
whose numerical libraries reserve address space an import capped at 1 GB needs).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from aiorg_metrics.cli import EXIT_OK, echo
from aiorg_metrics.display.dataset_docs import datasets_markdown
from aiorg_metrics.display.kpi_docs import glossary_markdown


def register(subs: argparse._SubParsersAction) -> None:
    """Add the `docs` sub-command."""
    d = subs.add_parser("docs", help="regenerate docs/datasets.md and docs/kpis.md from the registries")
    d.add_argument("--out", type=Path, default=Path("docs"), help="folder to write to (default: docs)")
    d.set_defaults(func=run_docs)


def run_docs(args: argparse.Namespace) -> int:
    """`docs`: write docs/datasets.md and docs/kpis.md from the registries."""
    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in (("datasets.md", datasets_markdown()), ("kpis.md", glossary_markdown())):
        (args.out / name).write_text(text, encoding="utf-8")
        echo(f"wrote {args.out / name}")
    return EXIT_OK
