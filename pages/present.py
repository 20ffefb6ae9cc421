"""Review mode: the quarterly review as slides for a projector (summary, each KPI needing attention, the rest)."""

from dashboard import routing
from dashboard.views import present

view = routing.guard()
present.present(view)
