"""``coalition serve``: the HTTP screening service (FastAPI under uvicorn)."""

from __future__ import annotations

import click
import uvicorn

from screening.commands.common import db_option, open_store
from screening.service.app import create_app


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="TCP port.")
@click.option(
    "--max-body",
    "max_body_bytes",
    default=1 << 20,
    show_default=True,
    type=click.IntRange(min=1),
    help="Largest request body accepted, in bytes (larger: 413).",
)
@db_option
def serve(host: str, port: int, max_body_bytes: int, db_url: str | None) -> None:
    """Run the HTTP screening service (OpenAPI document at /openapi.json).

    Every endpoint but /health needs an X-API-Key header: create keys with
    `coalition keys create NAME`. Newly loaded list versions are picked up within seconds.
    """
    # Opening the store first turns an unreachable or unmigratable database into exit 3.
    with open_store(db_url):
        app = create_app(db_url, max_body_bytes=max_body_bytes)
    uvicorn.run(app, host=host, port=port, log_level="info")
