"""Sign-in for real (issue 12, item 6) in headless Chromium: a local OpenID Connect provider
(oidc-provider-mock, a test dependency) on loopback, the app served with an `[auth]` section and a roles
file passed through `--secrets.files`. Each role signs in through the provider's page and sees its pages;
a forbidden page opened by URL as a fresh server's first request asks to sign in, then is refused to a
viewer (no uploader); a champion's link to another team is refused; in local mode, a request from
another machine reads with the viewer banner.

One provider and one signed-in server for the module (restarted only when a test needs a fresh one);
each person signs in in a browser context of their own. Screenshots of each role's landing page go to
/tmp/roles_shots/<role>.png, to look at.
"""

from __future__ import annotations

import json
import socket
import subprocess
import threading
import urllib.request
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dashboard import access
from tests.browser_support import SETTLED, free_port, serve

pytestmark = [pytest.mark.browser,  # the provider calls Authlib APIs it deprecates; nothing to act on here
              pytest.mark.filterwarnings("ignore::DeprecationWarning")]

SHOTS = Path("/tmp/roles_shots")
CHAMPION_ID = "CH-033"  # Nina Keller, Cash Management (sample_data/champion_activity.csv)
PEOPLE = {  # role → the person signing in: email (also the provider's subject) and groups claim
    "viewer": ("vera@bank.example", []),
    "champion": ("nina.keller@bank.example", []),
    "analyst": ("data.office@bank.example", []),
    "lead": ("lea.dubois@bank.example", []),
    "admin": ("it.admin@bank.example", ["dashboard-admins", "staff"]),
}
ROLES = f"""contact = "caio-office@bank.example"
groups_claim = "groups"
[[assign]]
email = "Vera@Bank.example"
role = "viewer"
[[assign]]
email = "nina.keller@bank.example"
role = "champion"
champion_id = "{CHAMPION_ID}"
[[assign]]
email = "data.office@bank.example"
role = "analyst"
[[assign]]
email = "lea.dubois@bank.example"
role = "lead"
[[assign]]
group = "dashboard-admins"
role = "admin"
"""
READING = ["Quarterly review", "Hub & spoke health", "Use-case funnel", "Skills & training", "Decisions",
           "KPI glossary"]
DASHBOARDS = [READING[0], "Review mode", *READING[1:]]
NAVIGATION = {
    "viewer": READING,
    "champion": READING,
    "analyst": [*DASHBOARDS, "Data"],
    "lead": DASHBOARDS,
    "admin": [*DASHBOARDS, "Data", "Settings"],
}
FORBIDDEN = {"analyst": ("/settings", "Settings"), "lead": ("/data", "Data")}  # the viewer's: the first test
OTHER_TEAM_VIEW = "/hub_spoke?quarter=2026-Q3&team=Digital+Channels"  # RB-DIG, not the champion's team
OWN_TEAM_ONLY = "You can open your own team's views"  # the champion's notice (dashboard/filters.py)


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """The OpenID Connect provider on 127.0.0.1 and a free port, knowing the five people; its base URL."""
    import werkzeug.serving

    with warnings.catch_warnings():  # its Authlib imports are deprecated upstream; nothing to act on here
        import authlib.deprecate  # noqa: F401 -- sets its own "always" filter, which the next line overrides

        warnings.simplefilter("ignore", DeprecationWarning)
        from oidc_provider_mock import User, app

    users = [User(sub=email, claims={"email": email, **({"groups": groups} if groups else {})})
             for email, groups in PEOPLE.values()]
    server = werkzeug.serving.make_server(
        "127.0.0.1", 0, app(require_client_registration=True, user_claims=users), threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.1,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def _register_client(provider: str, redirect_uri: str) -> dict[str, str]:
    """The app registered as a client of the provider (dynamic registration): its id and secret."""
    request = urllib.request.Request(
        f"{provider}/oauth2/clients", method="POST", headers={"Content-Type": "application/json"},
        data=json.dumps({"redirect_uris": [redirect_uri]}).encode())
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


class AppServer:
    """The app served with sign-in configured, on one port for its whole life (the sign-in cookie and the
    redirect URI name it); `fresh()` restarts it when it has served a page since it started."""

    def __init__(self, db: Path, folder: Path, secrets: Path, port: int) -> None:
        self._args = dict(db=db, folder=folder, args=["--secrets.files", str(secrets)], port=port)
        self.base = f"http://localhost:{port}"  # the redirect URI's host: the sign-in cookie is set for it
        self._running: Iterator[str] | None = None
        self._used = True

    def start(self) -> None:
        args = self._args
        self._running = serve(args["db"], args["folder"], args=args["args"], port=args["port"])
        next(self._running)
        self._used = False

    def stop(self) -> None:
        if self._running is not None:
            self._running.close()  # serve's `finally`: the process ends
            self._running = None

    def url(self, path: str) -> str:
        """The address of `path` on this server (which then is no longer fresh)."""
        self._used = True
        return self.base + path

    def fresh(self) -> None:
        """Make sure the next request is the first one since the server started."""
        if self._used:
            self.stop()
            self.start()


@pytest.fixture(scope="module")
def app_server(provider: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    from app_support import copy_sample_store

    folder = tmp_path_factory.mktemp("signin")
    port = free_port()
    redirect_uri = f"http://localhost:{port}/oauth2callback"
    client = _register_client(provider, redirect_uri)
    roles = folder / "roles.toml"
    roles.write_text(ROLES, encoding="utf-8")
    secrets = folder / "secrets.toml"
    secrets.write_text(
        f'[auth]\nredirect_uri = "{redirect_uri}"\ncookie_secret = "a test cookie secret, not a real one"\n'
        f'client_id = "{client["client_id"]}"\nclient_secret = "{client["client_secret"]}"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
        f'[aiorg]\nroles_file = "{roles.as_posix()}"\n', encoding="utf-8")
    server = AppServer(copy_sample_store(folder), folder, secrets, port)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def context(browser):
    """A browser context of its own (no sign-in cookie), 1440 × 900."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    yield context
    context.close()


def _open(page, url: str) -> None:
    page.goto(url, wait_until="networkidle")
    page.wait_for_selector(SETTLED, timeout=30000)


def _no_exception(page) -> None:
    assert page.query_selector_all('[data-testid="stException"]') == []


def _sign_in(page, server: AppServer, role: str) -> None:
    """Sign in as the person holding `role` from the sign-in page shown: the provider's page, then back."""
    email = PEOPLE[role][0]
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name=email, exact=True).click()  # the provider's page: a known person
    page.wait_for_url(f"{server.base}/?quarter=**", timeout=30000)  # the sidebar's filters ran
    expect(page.get_by_role("combobox", name="Quarter")).to_be_visible(timeout=30000)
    page.wait_for_selector(SETTLED, timeout=30000)
    assert _identity(page).startswith(f"Signed in as {email} · ")


def _identity(page) -> str:
    """The sidebar's identity line, without the word joiners that keep an email from becoming a link."""
    line = page.get_by_text("Signed in as").inner_text().replace("\u2060", "")
    return line[line.index("Signed in as"):].strip()  # after the icon's name


def _navigation(page) -> list[str]:
    links = page.locator('[data-testid="stSidebarNavLink"]').all()
    return [link.inner_text().strip().splitlines()[-1] for link in links]  # after the icon's name


def _shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _expect_refused(page) -> None:
    """The guard's refusal (a page opened by URL as a server's first request): nothing of the page, no uploader."""
    expect(page.get_by_text(access.PAGE_REFUSED)).to_be_visible()
    expect(page.locator('[data-testid="stFileUploader"]')).to_have_count(0)
    _no_exception(page)


def _expect_not_found(page, title: str) -> None:
    """A page left out of the navigation, opened by URL: Streamlit says it is not found and runs the main page."""
    expect(page.get_by_role("dialog").get_by_text("Page not found")).to_be_visible()
    expect(page.get_by_role("heading", name=title, exact=True)).to_have_count(0)
    expect(page.locator('[data-testid="stFileUploader"]')).to_have_count(0)
    _no_exception(page)


def _expect_landing(page, role: str) -> None:
    """The page a role lands on after signing in (screenshot taken): its navigation and identity line."""
    _shot(page, role)
    assert _navigation(page) == NAVIGATION[role]
    assert _identity(page) == f"Signed in as {PEOPLE[role][0]} · {role}"
    decides, sees_paths = role in ("lead", "admin"), role == "admin"
    record = page.get_by_role("button", name="Record a decision")  # one on each card needing attention
    if decides:
        expect(record.first).to_be_attached()
    else:
        expect(record).to_have_count(0)
    expect(page.locator("code", has_text=" --db ")).to_have_count(1 if sees_paths else 0)  # the store's path
    _no_exception(page)


def test_a_forbidden_page_opened_first_asks_to_sign_in_then_is_refused_to_a_viewer(
        app_server: AppServer, context) -> None:
    page = context.new_page()
    app_server.fresh()
    _open(page, app_server.url("/settings"))  # the first request since the server started
    expect(page.get_by_text(access.SIGN_IN_TEXT)).to_be_visible()
    expect(page.get_by_text(access.PAGE_REFUSED)).to_have_count(0)
    expect(page.get_by_role("heading", name="Settings", exact=True)).to_have_count(0)
    _shot(page, "sign_in")
    assert _navigation(page) == []  # not Streamlit's list of pages/ ("app, data, decisions, …")
    expect(page.get_by_role("dialog")).to_have_count(0)  # the address asked for is no "page not found"
    _no_exception(page)

    _sign_in(page, app_server, "viewer")
    _expect_landing(page, "viewer")
    app_server.fresh()  # the sign-in cookie outlives the restart
    _open(page, app_server.url("/data"))  # the upload page, first request again: refused, no uploader
    _expect_refused(page)


@pytest.mark.parametrize("role", [role for role in PEOPLE if role != "viewer"])
def test_each_role_sees_its_pages_and_is_refused_the_others(app_server: AppServer, context, role: str) -> None:
    page = context.new_page()
    _open(page, app_server.url("/"))
    _sign_in(page, app_server, role)
    _expect_landing(page, role)
    if role == "champion":  # another team's view by URL
        _open(page, app_server.url(OTHER_TEAM_VIEW))
        expect(page.get_by_text(OWN_TEAM_ONLY)).to_be_visible()
        _no_exception(page)
    elif role == "admin":
        _open(page, app_server.url("/settings"))
        expect(page.get_by_role("heading", name="Settings", exact=True)).to_be_visible()
        _no_exception(page)
    else:
        path, title = FORBIDDEN[role]
        _open(page, app_server.url(path))
        _expect_not_found(page, title)


def _this_machine_address() -> str:
    """One of this machine's own non-loopback IPv4 addresses (`hostname -I`)."""
    try:
        found = subprocess.run(["hostname", "-I"], capture_output=True, text=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        found = [socket.gethostbyname(socket.gethostname())]
    addresses = [a for a in found if "." in a and not a.startswith("127.")]
    if not addresses:
        pytest.fail(f"no non-loopback IPv4 address on this machine to reach the app from (found {found})")
    return addresses[0]


@pytest.fixture(scope="module")
def remote_local_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app in local mode (no secrets at all), reached through this machine's network address."""
    from app_support import copy_sample_store

    folder = tmp_path_factory.mktemp("local-remote")
    no_secrets = ["--secrets.files", str(folder / "absent.toml")]  # a developer's .streamlit/secrets.toml is ignored
    yield from serve(copy_sample_store(folder), folder, args=no_secrets, address=_this_machine_address())


def test_local_mode_from_another_machine_reads_with_the_viewer_banner(remote_local_server: str, context) -> None:
    page = context.new_page()
    _open(page, f"{remote_local_server}/data")  # the server's first request: the guard refuses it
    _expect_refused(page)
    expect(page.get_by_text("connected from another machine").first).to_be_visible()

    _open(page, f"{remote_local_server}/?quarter=2026-Q3")
    expect(page.get_by_text(access.REMOTE_BANNER)).to_be_visible()
    expect(page.get_by_text("Local mode · viewer")).to_be_visible()
    assert _navigation(page) == READING  # a viewer's
    _shot(page, "local-remote")
    _no_exception(page)
