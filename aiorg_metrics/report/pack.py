"""The review pack's content for a quarter and a scope, Streamlit-free: what the HTML (and so the PDF)
pack shows, in the order a CAIO sends it to the executive committee. Built from the review's own content
(`display.review.build_review`), never recomputed."""

from __future__ import annotations

from dataclasses import dataclass

from aiorg_metrics.display.review import Review, ReviewScope, ReviewSource, build_review
from aiorg_metrics.store.connection import Store


@dataclass(frozen=True)
class Pack:
    """Everything the review pack shows for one quarter and scope."""

    view: ReviewScope
    review: Review


def build_pack(source: ReviewSource, store: Store, view: ReviewScope) -> Pack:
    """The review pack's content for `view`'s quarter and scope."""
    return Pack(view, build_review(source, view))
