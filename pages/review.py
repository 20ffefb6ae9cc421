"""Quarterly review: the CAIO's scorecard, one card per KPI grouped by theme, and what needs attention."""

from dashboard import header, routing, widgets
from dashboard.views import decisions, drilldown, pack, present, review

view = routing.guard()
header.page_header(view)
present.start_link()

page = review.review(view.state, view.filters)
decisions.pending_notice(view.state)
entry = decisions.review_entry(view.state, view.filters.quarter, decisions.for_review(view.state, view.filters.quarter))
widgets.card_css()
review.summary_box(page.summary)
review.status_summary(page.cards)
review.attention_list(page.attention, page.hidden, page.level, page.left_out, entry)
review.themed_grid(page.cards, as_of=page.as_of, part_to=page.part_to, entry=entry)
review.review_download(view.state, view.filters)
pack.pack_area(view.state, view.filters)
drilldown.drilldown_section(view.state, view.filters)
