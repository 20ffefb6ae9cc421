"""Quarterly review: the CAIO's scorecard, one card per KPI grouped by theme, and what needs attention."""

from dashboard import header, routing, widgets
from dashboard.views import review

view = routing.guard()
header.page_header(view)

cards, attention, level = review.review(view.state, view.filters)
widgets.card_css()
review.status_summary(cards)
review.attention_list(attention, level)
review.themed_grid(cards)
review.review_download(view.state, view.filters.quarter)
