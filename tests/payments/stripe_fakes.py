"""Stripe without Stripe: a local HTTP server that answers the SDK's calls and records each
request, and webhook events signed with the signing secret exactly as Stripe signs them."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

SECRET_KEY = "sk_test_techfloor"
WEBHOOK_SECRET = "whsec_techfloor_test"
WEBHOOK = "/payments/stripe/webhook/"


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    params: dict[str, str]


class StripeServer:
    """Answers POST /v1/checkout/sessions, GET /v1/checkout/sessions/<id>, POST
    /v1/checkout/sessions/<id>/expire and POST /v1/refunds like Stripe's API, numbering what
    it creates; ``session_status`` is what a retrieved session says."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.session_status = "open"
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> StripeServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _answer(self, request: Recorded) -> tuple[int, dict]:
        with self._lock:
            self.requests.append(request)
            number = len(self.requests)
        if request.method == "POST" and request.path == "/v1/checkout/sessions":
            session_id = f"cs_test_{number}"
            return 200, {
                "id": session_id,
                "object": "checkout.session",
                "status": "open",
                "url": f"https://checkout.stripe.com/c/pay/{session_id}",
                "amount_total": None,
                "currency": request.params.get("line_items[0][price_data][currency]"),
            }
        if request.method == "GET" and request.path.startswith("/v1/checkout/sessions/"):
            session_id = request.path.rsplit("/", 1)[1]
            return 200, {
                "id": session_id,
                "object": "checkout.session",
                "status": self.session_status,
                "url": f"https://checkout.stripe.com/c/pay/{session_id}",
            }
        if request.method == "POST" and request.path.endswith("/expire"):
            session_id = request.path.split("/")[-2]
            return 200, {"id": session_id, "object": "checkout.session", "status": "expired"}
        if request.method == "POST" and request.path == "/v1/refunds":
            return 200, {
                "id": f"re_test_{number}",
                "object": "refund",
                "status": "succeeded",
                "payment_intent": request.params.get("payment_intent"),
            }
        return 404, {"error": {"type": "invalid_request_error", "message": "No such route"}}

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                url = urlsplit(self.path)
                recorded = Recorded(
                    method=self.command,
                    path=url.path,
                    headers={name.lower(): value for name, value in self.headers.items()},
                    params=dict(parse_qsl(body or url.query, keep_blank_values=True)),
                )
                status, answer = server._answer(recorded)
                content = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(content)))
                self.send_header("Request-Id", "req_test")
                self.end_headers()
                self.wfile.write(content)

            do_GET = do_POST = _serve

            def log_message(self, *args) -> None:
                pass

        return Handler


def sign(payload: str, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """The Stripe-Signature header: ``t=<time>,v1=<HMAC-SHA256 of "<time>.<payload>">``."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(
        secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256
    ).hexdigest()
    return f"t={timestamp},v1={digest}"


def event(event_id: str, event_type: str, data: dict) -> str:
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "api_version": "2026-10-28.endive",
            "created": int(time.time()),
            "livemode": False,
            "type": event_type,
            "data": {"object": data},
        }
    )


def checkout_session(
    order,
    *,
    session_id: str = "cs_test_paid",
    payment_intent: str = "pi_test_1",
    amount: int | None = None,
    currency: str = "vnd",
    payment_status: str = "paid",
) -> dict:
    """A Checkout Session of ``order`` as Stripe sends it in an event."""
    return {
        "id": session_id,
        "object": "checkout.session",
        "client_reference_id": order.reference,
        "metadata": {"order_reference": order.reference},
        "amount_total": order.total if amount is None else amount,
        "currency": currency,
        "payment_intent": payment_intent,
        "payment_status": payment_status,
        "status": "complete",
    }


def post_event(client, payload: str, *, signature: str | None = None):
    """Deliver an event to the webhook as Stripe does, signed unless told otherwise."""
    return client.post(
        WEBHOOK,
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(payload) if signature is None else signature,
    )
