"""Quarterly review: the CAIO's scorecard, one card per KPI grouped by theme, and what needs attention."""

from dashboard import ui, views

state, filters = ui.view()
ui.page_header("Quarterly review", state, filters)
ui.require_data(state)

cards, attention, level = views.review(state, filters)
ui.card_css()
ui.status_summary(cards)
ui.attention_list(attention, level)
ui.themed_grid(cards)
ui.review_download(state, filters.quarter)
