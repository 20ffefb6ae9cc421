"""Small helpers for ingestion tests: write CSV text, import it, read a table back."""

from __future__ import annotations

from aiorg_metrics.ingestion.import_report import ImportReport
from aiorg_metrics.ingestion.ingest import ImportOptions, import_bytes
from aiorg_metrics.store.connection import Store
from tests.actors import ADMIN

TEAMS = (
    "team_id,team_name,business_unit,team_kind,headcount,ai_staff\n"
    "B1,Cards,Retail,business,100,0\n"
    "B2,Loans,Retail,business,80,2\n"
    "HUB,AI Hub,Group,ai_hub,12,10\n"
    "SP1,Retail AI,Retail,ai_spoke,4,4\n"
)


def load(store: Store, text: str, name: str = "file.csv", encoding: str = "utf-8", **options) -> ImportReport:
    return import_bytes(store, text.encode(encoding), name, ImportOptions(**options), actor=ADMIN)


def table(store: Store, name: str, order: str = "_key") -> list[tuple]:
    with store.reading() as cur:
        return cur.execute(f"SELECT * EXCLUDE (_import_id) FROM {name} ORDER BY {order}").fetchall()


def messages(report: ImportReport) -> list[str]:
    return [p.as_text() for p in report.problems]
