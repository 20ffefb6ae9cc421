"""What an import did, for the CLI, the app and the import log."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from aiorg_metrics.datasets.problems import Level, Problem, ProblemCount


class Outcome(StrEnum):
    STORED = "stored"
    STORED_WITH_SKIPS = "stored_with_skips"
    UNCHANGED = "unchanged"
    REJECTED = "rejected"
    PREVIEW = "preview"
    SAMPLE_REMOVED = "sample_removed"
    UNDO = "undo"


CHANGING = (Outcome.STORED, Outcome.STORED_WITH_SKIPS, Outcome.SAMPLE_REMOVED)
EXTRA_COLUMNS_SHOWN = 20
NO_DATA_ROWS = "the file has no data rows: nothing to import"


@dataclass
class ImportReport:
    file_name: str
    dataset: str = ""
    read_as: str = ""
    rows_in_file: int = 0
    valid: int = 0
    invalid: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    unresolved: int = 0
    outcome: Outcome = Outcome.REJECTED
    import_id: int | None = None
    problems: list[Problem] = field(default_factory=list)  # the first MAX_LISTED, by line
    more_problems: list[ProblemCount] = field(default_factory=list)  # the others, counted per column and reason
    extra_columns: tuple[str, ...] = ()
    changed_columns: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level is Level.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level is Level.WARNING]

    @property
    def error_count(self) -> int:
        """Errors in all, listed or only counted."""
        return len(self.errors) + sum(c.count for c in self.more_problems if c.level is Level.ERROR)

    @property
    def warning_count(self) -> int:
        """Warnings in all, listed or only counted."""
        return len(self.warnings) + sum(c.count for c in self.more_problems if c.level is Level.WARNING)

    def more_text(self) -> str:
        """One sentence for the problems not listed, or "" when every problem is listed."""
        if not self.more_problems:
            return ""
        n = sum(c.count for c in self.more_problems)
        return (
            f"{len(self.problems) + n:,} problems: the first {len(self.problems):,} are listed, {n:,} more are "
            f"counted: " + "; ".join(c.as_text() for c in self.more_problems) + "."
        )

    @property
    def stored(self) -> bool:
        return self.outcome in (Outcome.STORED, Outcome.STORED_WITH_SKIPS, Outcome.UNCHANGED)

    def counts_line(self) -> str:
        return (
            f"rows in file {self.rows_in_file}, valid {self.valid}, invalid {self.invalid}, "
            f"inserted {self.inserted}, updated {self.updated}, unchanged {self.unchanged}, "
            f"deleted {self.deleted}, warnings {self.warning_count}"
        )

    def summary(self) -> str:
        """Several lines: dataset, how the file was read, the counts and the outcome."""
        head = f"{self.file_name}: {self.dataset or 'unknown dataset'}"
        lines = [head]
        if self.read_as:
            lines.append(f"  read as: {self.read_as}")
        lines.append(f"  {self.counts_line()}")
        if self.extra_columns:
            lines.append(f"  extra columns, not stored: {self.extra_columns_text()}")
        lines += self._changed_lines()
        lines += [f"  note: {n}" for n in self.notes]
        if self.more_problems:
            lines.append(f"  {self.more_text()}")
        lines.append(f"  outcome: {self.outcome_text()}")
        return "\n".join(lines)

    def outcome_text(self) -> str:
        """The outcome in words; a file without data rows is not said to match the store."""
        if self.outcome is Outcome.UNCHANGED and self.rows_in_file == 0:
            return NO_DATA_ROWS
        return _OUTCOME_TEXT[self.outcome]

    def extra_columns_text(self, show: Callable[[str], str] = str, limit: int = EXTRA_COLUMNS_SHOWN) -> str:
        """The first `limit` extra column names, each written by `show`, then how many more."""
        shown = ", ".join(show(c) for c in self.extra_columns[:limit])
        more = len(self.extra_columns) - limit
        return f"{shown} and {more:,} more" if more > 0 else shown

    def _changed_lines(self, limit: int = 20) -> list[str]:
        """Which columns changed, for the first updated rows."""
        items = list(self.changed_columns.items())
        lines = [f"  updated {key}: {', '.join(cols) or 'key'}" for key, cols in items[:limit]]
        if len(items) > limit:
            lines.append(f"  … and {self.updated - limit} more updated rows")
        return lines


_OUTCOME_TEXT = {
    Outcome.STORED: "stored",
    Outcome.STORED_WITH_SKIPS: "stored the valid rows; invalid rows skipped",
    Outcome.UNCHANGED: "nothing changed (the store already holds these rows)",
    Outcome.REJECTED: "rejected, nothing stored",
    Outcome.PREVIEW: "preview only, nothing stored",
    Outcome.SAMPLE_REMOVED: "sample data removed",
    Outcome.UNDO: "undone",
}
