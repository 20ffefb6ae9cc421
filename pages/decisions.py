"""Decisions: the action log of the quarterly reviews — every decision, its owner, status and follow-up."""

from dashboard import header, routing
from dashboard.views import decisions

view = routing.guard()
header.page_header(view)
decisions.action_log(view.state, view.filters.quarter)
