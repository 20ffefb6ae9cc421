"""Settings: the organization's targets and bands, amber tolerance, maturity, declared org model,
self-service platform, working hours, file-size limit and skills thresholds, and the roles in use
(read-only) (dashboard.views.settings)."""

from dashboard import header, routing
from dashboard.views import settings

view = routing.guard()
header.page_header(view, scoped=False)
settings.saved_line(view.state)
settings.settings_form(view.state)
settings.reset_section(view.state)
settings.roles_section()
