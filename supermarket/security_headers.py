"""Security headers on every response (pages, API, static files, errors).

- Content-Security-Policy: scripts, styles, images, calls, workers and manifests from this site only (the till's
  service worker and web app manifest); no inline script or style (the
  templates keep JS and CSS in supermarket/static/; `<script type="application/json">` data blocks are not run);
  no plugins; forms post only here; no framing by another site.
- X-Frame-Options DENY for browsers that predate frame-ancestors; nosniff; Referrer-Policy same-origin (a URL
  with a member's or sale's id never leaves the site in a Referer).
- HSTS in production only (a development server on http://localhost must stay reachable).

One exception: a PDF (receipt, Z report, labels) may be framed by this site's own pages, because the till prints a
receipt through a hidden same-origin iframe; another site still cannot frame it.
"""
from __future__ import annotations

from flask import Flask, Response

PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
               "font-src 'self'; connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; "
               "base-uri 'self'; form-action 'self'; "
               "frame-ancestors 'none'")
PDF_POLICY = "frame-ancestors 'self'"
HSTS = "max-age=31536000; includeSubDomains"


def _policy(resp: Response) -> tuple[str, str]:
    if resp.mimetype == "application/pdf":
        return PDF_POLICY, "SAMEORIGIN"
    return PAGE_POLICY, "DENY"


def register_security_headers(app: Flask) -> None:
    production = app.config.get("ENV_NAME") == "production"

    @app.after_request
    def _security_headers(resp: Response) -> Response:
        policy, frame_option = _policy(resp)
        existing = resp.headers.get("Content-Security-Policy")
        if existing is None:
            resp.headers["Content-Security-Policy"] = policy
        elif "frame-ancestors" not in existing:  # a view's own stricter policy still forbids framing
            resp.headers["Content-Security-Policy"] = f"{existing}; frame-ancestors 'none'"
        resp.headers.setdefault("X-Frame-Options", frame_option)
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        if production:
            resp.headers.setdefault("Strict-Transport-Security", HSTS)
        return resp
