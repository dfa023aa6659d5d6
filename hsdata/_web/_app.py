"""The web application of ``hsdata serve``: its routes, limits and safety headers.

An upload is read from the request as it arrives and counted while it is
read: past the size limit the request is refused at once (413), never
stored whole first. Checking runs in a worker thread (at most
``Settings.workers`` at a time) under a time limit, so the server keeps
answering other pages meanwhile. A report lives in its own temporary folder
under an unguessable URL and is removed when it expires and at shutdown.
Every response carries a Content-Security-Policy with no script at all;
errors are pages in plain words, never a traceback.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import anyio
import anyio.to_thread
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .._paths import canonical_data_dir
from .._reporting import clean
from .._schemas import available_versions
from .._version import STANDARD_VERSION, __version__
from ._checks import (
    DOWNLOADS,
    Outcome,
    Refused,
    check_upload,
    kind_of,
    make_download,
    refusal_report,
    safe_name,
)
from ._store import Entry, Store
from ._text import LANGUAGE_COOKIE, LANGUAGE_NAMES, LANGUAGES, choose_language, gettext
from ._views import DataView, issue_groups, severity_counts, verdict

HERE = Path(__file__).resolve().parent
log = logging.getLogger("hsdata.serve")

#: No script, no plugin, no frame; styles and images from this server only.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}
#: What a multipart request may add to the file it carries (boundaries, the other fields).
_FORM_OVERHEAD = 64 * 1024
_CHUNK = 1 << 16
_RECORD_TYPES = (
    "actor",
    "document",
    "event",
    "issueArea",
    "membership",
    "partnership",
    "source",
)


@dataclass(frozen=True)
class Settings:
    """The limits and the data of one server."""

    #: The package the data pages show (folder, datapackage.json or zip); None: the canonical data.
    package: Path | None = None
    max_upload_bytes: int = 50 * 1024 * 1024
    #: Seconds a check may take before the page gives up on it.
    time_limit: float = 120.0
    #: Seconds a report (and its folder) is kept.
    report_ttl: float = 3600.0
    #: Checks run at once; more wait their turn.
    workers: int = 2
    #: Where the reports' temporary folders go (None: the system's temporary folder).
    temporary_root: Path | None = None


class _TooLarge(Exception):
    """The request body went past the upload limit while being read."""


def _size(size: int, language: str) -> str:
    megabytes = size / (1024 * 1024)
    text = f"{megabytes:.0f} MB" if megabytes >= 1 else f"{size // 1024} kB"
    return text.replace("MB", "Mo").replace("kB", "ko") if language == "fr" else text


def _safe_next(target: str | None) -> str:
    """A path on this server to go back to (never another site: '//host' and '\\' refused)."""
    if target and re.fullmatch(r"/(?![/\\])[^\s\\]*", target):
        return target
    return "/"


class _Pages:
    """Renders the templates in the reader's language."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.env = Environment(
            loader=FileSystemLoader(HERE / "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def render(
        self, request: Request, template: str, status: int = 200, **context: Any
    ) -> HTMLResponse:
        language = language_of(request)
        path = request.url.path
        query = request.url.query
        here = path + ("?" + query if query else "")
        switch = {
            code: f"/lang/{code}?next={quote(here, safe='/')}"
            for code in LANGUAGES
            if code != language
        }
        html = self.env.get_template(template).render(
            _=gettext(language),
            language=language,
            language_names=LANGUAGE_NAMES,
            switch=switch,
            version=__version__,
            standard=STANDARD_VERSION,
            minutes=int(self.settings.report_ttl // 60),
            **context,
        )
        return HTMLResponse(html, status_code=status, headers=dict(SECURITY_HEADERS))

    def message(
        self, request: Request, status: int, title: str, text: str, **params: Any
    ) -> HTMLResponse:
        return self.render(
            request, "message.html", status=status, title=title, text=text, params=params
        )


def language_of(request: Request) -> str:
    return choose_language(
        request.cookies.get(LANGUAGE_COOKIE), request.headers.get("accept-language")
    )


class _SecurityHeaders:
    """Adds the safety headers to every response that does not set them itself."""

    def __init__(self, app: Callable[..., Awaitable[None]]) -> None:
        self.app = app

    async def __call__(
        self,
        scope: MutableMapping[str, Any],
        receive: Callable[[], Awaitable[Any]],
        send: Callable[[Any], Awaitable[None]],
    ) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _value in headers}
                for name, value in SECURITY_HEADERS.items():
                    if name.encode() not in present:
                        headers.append((name.encode(), value.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def create_app(settings: Settings | None = None) -> Starlette:
    """The ASGI application of ``hsdata serve`` (run by uvicorn; tests use TestClient)."""
    settings = settings or Settings()
    pages = _Pages(settings)
    store = Store(settings.report_ttl, settings.temporary_root)
    limiter = anyio.CapacityLimiter(settings.workers)
    explored = DataView(settings.package or canonical_data_dir() / "datapackage.json", "/data")
    explored_name = (
        "the data package given at start" if settings.package else "the canonical data set"
    )

    async def in_thread(function: Callable[..., Any], *args: Any) -> Any:
        return await anyio.to_thread.run_sync(function, *args, limiter=limiter)

    # -- the start page and the language -------------------------------------------------------

    async def home(request: Request) -> Response:
        language = language_of(request)
        return pages.render(
            request,
            "home.html",
            record_types=_RECORD_TYPES,
            max_size=_size(settings.max_upload_bytes, language),
            explored_name=explored_name,
        )

    async def set_language(request: Request) -> Response:
        code = request.path_params["code"]
        if code not in LANGUAGES:
            raise HTTPException(404)
        response = RedirectResponse(_safe_next(request.query_params.get("next")), 303)
        response.set_cookie(
            LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, samesite="lax", httponly=True
        )
        return response

    # -- checking an upload ---------------------------------------------------------------------

    async def check(request: Request) -> Response:
        language = language_of(request)
        limit = settings.max_upload_bytes

        def too_large() -> Response:
            return pages.message(
                request,
                413,
                "The file is too large",
                "The file is larger than {size}, the most this page accepts. Check it with the "
                "hsdata command instead, which has no such limit.",
                size=_size(limit, language),
            )

        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit + _FORM_OVERHEAD:
            return too_large()
        received = 0

        async def counted() -> Any:
            nonlocal received
            message = await request.receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit + _FORM_OVERHEAD:
                    raise _TooLarge
            return message

        try:
            form = await Request(request.scope, counted).form(max_files=1, max_fields=4)
        except _TooLarge:
            return too_large()
        try:
            upload = form.get("file")
            record_type = form.get("record_type")
            if not isinstance(upload, UploadFile) or not upload.filename:
                return pages.message(
                    request,
                    400,
                    "No file was sent",
                    "Choose a file, then press the button to check it.",
                )
            name = safe_name(upload.filename)
            try:
                kind_of(name)
            except Refused as exc:
                outcome = Outcome(name, "other", refusal_report(name, str(exc)), None)
                entry = store.new()
                entry.outcome = outcome
                return RedirectResponse(f"/r/{entry.token}", 303)
            entry = store.new()
            target = entry.folder / "upload" / name
            try:
                written = await in_thread(_save, upload, target, limit)
            except _TooLarge:
                store.discard(entry)
                return too_large()
        finally:
            await form.close()
        wanted = str(record_type) if record_type in _RECORD_TYPES else None
        log.info("checking an upload of %d bytes", written)
        with anyio.move_on_after(settings.time_limit) as scope:
            outcome = await anyio.to_thread.run_sync(
                _checked, target, name, wanted, limiter=limiter, abandon_on_cancel=True
            )
        if scope.cancelled_caught:
            store.discard(entry)
            return pages.message(
                request,
                503,
                "The check took too long",
                "Checking the file took more than {seconds} seconds and was stopped. Check it "
                "with the hsdata command instead.",
                seconds=int(settings.time_limit),
            )
        entry.outcome = outcome
        return RedirectResponse(f"/r/{entry.token}", 303)

    def entry_of(request: Request) -> Entry:
        entry = store.get(request.path_params["token"])
        if entry is None:
            raise HTTPException(404, "expired")
        return entry

    def upload_path(entry: Entry) -> Path | None:
        assert entry.outcome is not None
        path = entry.folder / "upload" / entry.outcome.display
        return path if path.is_file() else None

    async def report(request: Request) -> Response:
        entry = entry_of(request)
        outcome = entry.outcome
        assert outcome is not None
        language = language_of(request)
        groups = await in_thread(issue_groups, outcome, upload_path(entry), language)
        return pages.render(
            request,
            "report.html",
            token=entry.token,
            outcome=outcome,
            groups=groups,
            counts=severity_counts(outcome),
            verdict=verdict(outcome),
            explorable=outcome.package is not None and outcome.report.valid,
            upgradable=outcome.report.schema_version != available_versions()[-1],
        )

    async def download(request: Request) -> Response:
        entry = entry_of(request)
        outcome = entry.outcome
        assert outcome is not None
        name = request.path_params["name"]
        if name not in DOWNLOADS:
            raise HTTPException(404)
        try:
            made = await in_thread(_made, entry, name)
        except Refused as exc:
            return pages.message(
                request, 409, "The conversion could not be made", "{reason}.", reason=str(exc)
            )
        media = (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            if made.suffix == ".xlsx"
            else "application/zip"
        )
        return FileResponse(made, media_type=media, filename=made.name)

    # -- exploring data ------------------------------------------------------------------------

    def view_of(request: Request) -> DataView:
        if "token" not in request.path_params:
            return explored
        entry = entry_of(request)
        outcome = entry.outcome
        if outcome is None or outcome.package is None or not outcome.report.valid:
            raise HTTPException(404)
        with entry.lock:
            view = entry.made.get("view")
            if view is None:
                view = DataView(outcome.package, f"/r/{entry.token}/data")
                entry.made["view"] = view
        assert isinstance(view, DataView)
        return view

    async def data(request: Request) -> Response:
        view = view_of(request)
        language = language_of(request)
        query = clean(request.query_params.get("q", ""), 200)
        summary = await in_thread(view.summary)
        total, found = await in_thread(view.search, query, language)
        return pages.render(
            request,
            "data.html",
            view=view,
            summary=summary,
            query=query,
            total=total,
            found=found,
            explored_name=explored_name if view is explored else None,
        )

    async def record(request: Request) -> Response:
        view = view_of(request)
        language = language_of(request)
        kind, record_id = request.path_params["kind"], request.path_params["id"]
        found = await in_thread(view.record, kind, record_id)
        if found is None:
            raise HTTPException(404)
        return pages.render(
            request,
            "record.html",
            view=view,
            kind=kind,
            record=found,
            name=view.name_of(found, language),
            links=view.links_of(found, language),
            linked_from=view.linked_from(record_id, language),
        )

    async def figure(request: Request) -> Response:
        view = view_of(request)
        name = request.path_params["name"]
        if name not in ("timeline", "network"):
            raise HTTPException(404)
        svg = await in_thread(view.figure, name, language_of(request))
        if svg is None:
            raise HTTPException(404)
        return Response(
            svg,
            media_type="image/svg+xml",
            headers={
                **SECURITY_HEADERS,
                "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
            },
        )

    # -- failures ------------------------------------------------------------------------------

    async def not_found(request: Request, exc: Exception) -> Response:
        if isinstance(exc, HTTPException) and exc.detail == "expired":
            return pages.message(
                request,
                404,
                "Not found",
                "This report has expired or never existed. Reports are kept for {minutes} "
                "minutes; check the file again.",
                minutes=int(settings.report_ttl // 60),
            )
        status = exc.status_code if isinstance(exc, HTTPException) else 404
        return pages.message(request, status, "Not found", "There is no such page.")

    async def server_error(request: Request, exc: Exception) -> Response:
        log.error("hsdata serve could not make a page: %s", type(exc).__name__)
        return pages.message(
            request,
            500,
            "Something went wrong",
            "The page could not be made. Nothing you sent is the cause; try again, and if it "
            "happens again, tell the people who run this site.",
        )

    async def sweep_now_and_then() -> None:
        # Expired reports also go when nobody asks for a page (requests sweep too).
        while True:
            await anyio.sleep(max(1.0, min(60.0, settings.report_ttl / 2)))
            await anyio.to_thread.run_sync(store.sweep)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(sweep_now_and_then)
            try:
                yield
            finally:
                tasks.cancel_scope.cancel()
                store.close()

    routes = [
        Route("/", home),
        Route("/lang/{code}", set_language),
        Route("/check", check, methods=["POST"]),
        Route("/r/{token}", report),
        Route("/r/{token}/download/{name}", download),
        Route("/r/{token}/data", data),
        Route("/r/{token}/data/{kind}/{id}", record),
        Route("/r/{token}/figures/{name}.svg", figure),
        Route("/data", data),
        Route("/data/{kind}/{id}", record),
        Route("/figures/{name}.svg", figure),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={HTTPException: not_found, Exception: server_error},
        lifespan=lifespan,
    )
    app.add_middleware(_SecurityHeaders)
    app.state.store = store
    app.state.settings = settings
    return app


def _save(upload: UploadFile, target: Path, limit: int) -> int:
    """Copy an upload into its report's private folder, counting; :class:`_TooLarge` past ``limit``.

    The folder is the report's own (mode 0700, under a fresh temporary
    folder), so the file is made there directly: it is scratch, not an output.
    """
    target.parent.mkdir(mode=0o700)
    written = 0
    upload.file.seek(0)
    with target.open("xb") as sink:
        while chunk := upload.file.read(_CHUNK):
            written += len(chunk)
            if written > limit:
                raise _TooLarge
            sink.write(chunk)
    return written


def _checked(path: Path, name: str, record_type: str | None) -> Outcome:
    """The outcome of an upload; a refusal (an unsafe CSV zip) is a report too."""
    try:
        return check_upload(path, name, record_type)
    except Refused as exc:
        return Outcome(name, "other", refusal_report(name, str(exc)), None)


def _made(entry: Entry, name: str) -> Path:
    """A download, made once per report (a second request gets the same file)."""
    assert entry.outcome is not None
    with entry.lock:
        made = entry.made.get(name)
        if isinstance(made, Path) and made.is_file():
            return made
        path = make_download(entry.outcome, name, entry.folder)
        entry.made[name] = path
        return path
