"""One assembly module per page: what the page shows, built from the cached engine calls for the
page's view, and the page-specific rendering helpers. The page scripts in `pages/` read their
widgets, call one function here, and render."""
