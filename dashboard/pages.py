"""The app's pages as data: one record per page, in the order of the navigation.

app.py builds the navigation from these records (`dashboard.routing`), each page's header shows
its record's title, and the tests iterate them. Adding a page is its script in `pages/`, its
record here (with the permission it needs), and its test.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiorg_metrics.access.permissions import Permission


@dataclass(frozen=True)
class PageRecord:
    """One page of the app."""

    script: str  # relative to the repository root, e.g. "pages/review.py"
    title: str  # the navigation entry and the page's heading
    icon: str  # a Material icon shortcode
    url_path: str  # the page's address, /<url_path>; the default page also opens at /
    default: bool = False
    needs_data: bool = True  # shows the empty state (what to load, how) while the store holds no dated rows
    permission: Permission = Permission.READ_DASHBOARDS  # what a person needs to see it in the navigation and open it


PAGES: tuple[PageRecord, ...] = (
    PageRecord("pages/review.py", "Quarterly review", ":material/dashboard:", "review", default=True),
    PageRecord("pages/present.py", "Review mode", ":material/slideshow:", "present",
               permission=Permission.REVIEW_MODE_PACKS_AND_EXPORTS),
    PageRecord("pages/hub_spoke.py", "Hub & spoke health", ":material/hub:", "hub_spoke"),
    PageRecord("pages/funnel.py", "Use-case funnel", ":material/filter_alt:", "funnel"),
    PageRecord("pages/skills.py", "Skills & training", ":material/school:", "skills"),
    PageRecord("pages/decisions.py", "Decisions", ":material/task_alt:", "decisions"),
    PageRecord("pages/glossary.py", "KPI glossary", ":material/menu_book:", "glossary", needs_data=False),
    PageRecord("pages/data.py", "Data", ":material/upload_file:", "data", needs_data=False,
               permission=Permission.DATA_PAGE),
    PageRecord("pages/settings.py", "Settings", ":material/settings:", "settings", needs_data=False,
               permission=Permission.SETTINGS_ROLES_AND_PATHS),
)


def page(url_path: str) -> PageRecord:
    """The page at /`url_path` (KeyError when no page lives there)."""
    for record in PAGES:
        if record.url_path == url_path:
            return record
    raise KeyError(url_path)


def has_page(url_path: str) -> bool:
    """Whether the app has a page at /`url_path` (a page may be left out of a deployment)."""
    return any(record.url_path == url_path for record in PAGES)
