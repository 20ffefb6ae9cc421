"""Which dataset a file holds and where its columns are (SPEC §2.1 "Columns").

Header names match case-insensitively after trimming. An analyst's saved column
mapping (file header → dataset column) is applied first.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiorg_metrics.datasets.registry import DATASETS, Column, Dataset
from aiorg_metrics.ingestion.dialect import FileRefusedError


def normalize_header(name: str) -> str:
    return name.strip().strip("\ufeff").lower()


@dataclass(frozen=True)
class Layout:
    dataset: Dataset
    positions: dict[str, int]  # dataset column → position in the file
    extra_columns: tuple[str, ...] = ()
    n_fields: int = 0  # fields in the header line

    @property
    def present(self) -> tuple[Column, ...]:
        """The dataset's columns that the file holds, in the dataset's order."""
        return tuple(c for c in self.dataset.columns if c.name in self.positions)


def target_names(header: tuple[str, ...], mapping: dict[str, str] | None) -> list[str]:
    """The dataset column each header name feeds: its mapping, else its own normalized name."""
    mapping = {normalize_header(k): v for k, v in (mapping or {}).items()}
    return [mapping.get(normalize_header(h), normalize_header(h)) for h in header]


def match_columns(header: tuple[str, ...], ds: Dataset, mapping: dict[str, str] | None = None) -> Layout:
    """The file's layout for dataset `ds`; refuses a file missing a required column."""
    targets = target_names(header, mapping)
    known = {c.name for c in ds.columns}
    positions: dict[str, int] = {}
    extras: list[str] = []
    for pos, (name, target) in enumerate(zip(header, targets, strict=True)):
        if target in positions:
            raise FileRefusedError(_twice(header, target, positions[target], pos))
        if target in known:
            positions[target] = pos
        else:
            extras.append(name)
    missing = [c for c in ds.required_columns if c not in positions]
    if missing:
        raise FileRefusedError(
            f"This file has no column {', '.join(missing)}, required for {ds.name}. "
            f"The file's columns are: {', '.join(header)}. Add the missing column(s), rename them, "
            "or map the file's columns to the dataset's in the app (or with --mapping)."
        )
    return Layout(ds, positions, tuple(extras), len(header))


def _twice(header: tuple[str, ...], target: str, first: int, second: int) -> str:
    """The refusal of a header where two columns feed the same dataset column (positions 0-based)."""
    names = (header[first].strip(), header[second].strip())
    both = f"(columns {first + 1} and {second + 1})"
    if normalize_header(names[0]) == normalize_header(names[1]) == target:
        return f"The header line has the column {target} twice {both}. Keep one: remove or rename the other."
    return (
        f"Two columns of the header line, {names[0]} and {names[1]} {both}, both feed the column {target}. "
        "Map only one of them to it, or remove the other."
    )


def detect_dataset(header: tuple[str, ...], mapping: dict[str, str] | None = None) -> Dataset:
    """The dataset whose required columns the header holds, best match first."""
    names = set(target_names(header, mapping))
    candidates = [ds for ds in DATASETS if set(ds.required_columns) <= names]
    if candidates:
        return max(candidates, key=lambda ds: (len(names & {c.name for c in ds.columns}), -len(ds.columns)))
    closest = max(DATASETS, key=lambda ds: len(names & set(ds.required_columns)) / len(ds.required_columns))
    missing = [c for c in closest.required_columns if c not in names]
    raise FileRefusedError(
        "This file matches no known dataset. The closest is "
        f"{closest.name}, which also needs: {', '.join(missing)}. Check the header line "
        "(first line of the file), or choose the dataset and map the columns."
    )
