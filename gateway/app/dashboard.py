"""``GET /dashboard``: the partner health page for integration teams.

The page itself is public and holds no data; its script asks the REST API with the key the
user enters (kept in the tab's sessionStorage, sent as a bearer header), so every figure goes
through the same authorization as any other client. The Content-Security-Policy allows only
the page's own inline style and script, by hash, and requests to this origin.
"""

from __future__ import annotations

import base64
import hashlib

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from gateway.app.dashboard_page import PAGE, SCRIPT, STYLE

router = APIRouter(tags=["health"])


def _sha256(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'none'",
    f"script-src {_sha256(SCRIPT)}",
    f"style-src {_sha256(STYLE)}",
    "connect-src 'self'",
    "img-src 'self' data:",  # the empty favicon: no request, no 404
    "base-uri 'none'",
    "form-action 'none'",  # the key form is never submitted: the key stays out of URLs
    "frame-ancestors 'none'",
))  # fmt: skip

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


@router.get(
    "/dashboard",
    response_class=HTMLResponse,
    summary="Partner delivery health page (enter an API key with health read)",
)
def dashboard() -> HTMLResponse:
    return HTMLResponse(PAGE, headers=HEADERS)
