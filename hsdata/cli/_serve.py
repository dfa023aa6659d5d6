"""``hsdata serve``: the data review web page, for people who do not program."""

from __future__ import annotations

from pathlib import Path

import click

from .._i18n import tr, translated
from . import main
from ._common import fail, note


@main.command("serve")
@click.argument("package", required=False, type=click.Path(path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on.",
)
@click.option(
    "--max-upload",
    default=50,
    show_default=True,
    type=click.IntRange(1, 4096),
    help="Largest file accepted, in MB.",
)
@click.option(
    "--time-limit",
    default=120,
    show_default=True,
    type=click.IntRange(1, 3600),
    help="Seconds a check may take.",
)
@click.option(
    "--keep",
    default=60,
    show_default=True,
    type=click.IntRange(1, 24 * 60),
    help="Minutes a report and its uploaded file are kept.",
)
def serve_command(
    *, package: Path | None, host: str, port: int, max_upload: int, time_limit: int, keep: int
) -> None:
    """Start the data review web page (PACKAGE: the data to explore; default the canonical data).

    Open the address it prints in a browser: upload a JSON file, a zipped
    package or a filled workbook, read its problems in plain words, download
    it converted. Listens on 127.0.0.1 (this computer only) unless --host
    says otherwise. Needs the [web] extra: pip install 'hsdata-standard[web]'.
    """
    try:
        import uvicorn

        from .._web import Settings, create_app
    except ImportError as exc:
        fail(
            translated(
                tr(
                    "hsdata serve needs the [web] extra (pip install 'hsdata-standard[web]'): "
                    "{module} is missing",
                    module=str(exc.name),
                )
            )
        )
    if package is not None and not package.exists():
        fail(translated(tr("there is no file or folder {path}", path=str(package))))
    settings = Settings(
        package=package,
        max_upload_bytes=max_upload * 1024 * 1024,
        time_limit=float(time_limit),
        report_ttl=keep * 60.0,
    )
    if host not in ("127.0.0.1", "localhost", "::1"):
        note(
            translated(
                tr(
                    "warning: listening on {host}: other computers can reach this page",
                    host=host,
                )
            )
        )
    address = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
    note(translated(tr("hsdata serve: open {address}", address=address)))
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")
