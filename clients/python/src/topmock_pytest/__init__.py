"""Steer and verify topmock from Python tests.

``TopMock`` is a running topmock (connected to, or started from its binary); ``TopMockApp`` is one
test's app: its own app key and secret, so the calls the app under test makes with them fall in a
namespace of their own (topmock picks a call's namespace by its ``app_key``), with no header to
add. Every admin call goes through ``ROUTES`` (a test compares them with docs/admin-openapi.yaml).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Sequence

__all__ = ["TopMock", "TopMockApp", "JournalEntry", "TopMockError", "TopMockVerificationError", "ROUTES"]

# Every admin route these helpers call, as (HTTP method, path template) of docs/admin-openapi.yaml,
# with the answer fields they read.
ROUTES: dict[tuple[str, str], tuple[str, ...]] = {
    ("GET", "/__admin/health"): ("status",),
    ("POST", "/__admin/apps"): ("app_key", "secret", "namespace"),
    ("DELETE", "/__admin/apps/{app_key}"): ("deleted",),
    ("POST", "/__admin/reset"): (),
    ("POST", "/__admin/scenarios"): (),
    ("DELETE", "/__admin/scenarios/{name}"): (),
    ("GET", "/__admin/namespaces/{ns}/actions/{shop_id}/{request_id}"): ("status", "step", "queries"),
    ("PUT", "/__admin/namespaces/{ns}/actions/{shop_id}/{request_id}"): ("status",),
    ("POST", "/__admin/namespaces/{ns}/actions/{shop_id}/{request_id}/advance"): ("status", "step"),
    ("POST", "/__admin/namespaces/{ns}/checkouts"): ("status", "checkout_status", "paid_fen"),
    ("GET", "/__admin/namespaces/{ns}/checkouts/{shop_id}/{checkout_id}"): ("status", "checkout_status", "paid_fen"),
    ("PUT", "/__admin/namespaces/{ns}/clock"): ("now",),
    ("GET", "/__admin/namespaces/{ns}/stores/{shop_id}"): ("items", "orders"),
    ("PUT", "/__admin/namespaces/{ns}/stores/{shop_id}/items"): ("items",),
    ("PUT", "/__admin/namespaces/{ns}/stores/{shop_id}/promotions"): ("promotions",),
    ("PUT", "/__admin/namespaces/{ns}/stores/{shop_id}/accounts"): ("accounts",),
    ("GET", "/__admin/requests"): ("requests",),
    ("POST", "/__admin/requests/verify"): ("matched",),
}


class TopMockError(Exception):
    """An admin call topmock refused: its HTTP status, topmock's error code and message."""

    def __init__(self, status: int, code: Optional[int], message: str, body: Mapping[str, Any]):
        super().__init__(f"topmock answered {status} (error {code}): {message}")
        self.status, self.code, self.message, self.body = status, code, message, body


class TopMockVerificationError(AssertionError):
    """``verify`` found another number of matching calls; the message quotes what topmock saw."""


@dataclass(frozen=True)
class JournalEntry:
    """One call topmock's gateway saw (masked: secrets and pay codes never appear)."""

    id: int
    method: Optional[str]
    outcome: str
    request_id: Optional[str] = None
    shop_id: Optional[str] = None
    error_code: Optional[int] = None
    near_miss: Optional[str] = None
    rule: Optional[str] = None
    parameters: Mapping[str, str] = field(default_factory=dict)
    fields: Mapping[str, str] = field(default_factory=dict)

    FIELDS = ("id", "method", "outcome", "request_id", "shop_id", "error_code", "near_miss", "rule", "parameters", "fields")

    @classmethod
    def from_json(cls, entry: Mapping[str, Any]) -> "JournalEntry":
        return cls(**{name: entry[name] for name in cls.FIELDS if name in entry})

    def describe(self) -> str:
        text = f"#{self.id} {self.method or '(no method)'}"
        if self.request_id:
            text += f" request_id={self.request_id}"
        text += f" → {self.outcome}" + (f" {self.error_code}" if self.error_code is not None else "")
        if self.near_miss:
            text += f"; near miss: {self.near_miss}"
        return text


def _quote(value: Any) -> str:
    return urllib.parse.quote(str(value), safe="")


class _Admin:
    """HTTP to topmock's admin API: JSON in and out, errors as ``TopMockError``."""

    def __init__(self, url: str, admin_token: Optional[str]):
        self.url, self.admin_token = url.rstrip("/"), admin_token

    def call(self, method: str, template: str, values: Mapping[str, Any] = {}, body: Any = None,
             query: Mapping[str, Any] = {}, text: Optional[str] = None) -> tuple[int, dict]:
        if (method, template) not in ROUTES:
            raise AssertionError(f"{method} {template} is not in ROUTES")  # keeps ROUTES the whole list
        path = template
        for name, value in values.items():
            path = path.replace("{" + name + "}", _quote(value))
        if query:
            path += "?" + urllib.parse.urlencode(query)
        data = text.encode() if text is not None else (json.dumps(body).encode() if body is not None else None)
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Content-Type", "application/yaml" if text is not None else "application/json")
        if self.admin_token:
            request.add_header("Authorization", f"Bearer {self.admin_token}")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            answer = json.loads(error.read() or b"{}")
            if error.code == 409 and template == "/__admin/requests/verify":
                return error.code, answer
            detail = answer.get("error", {})
            message = detail.get("message", str(error))
            if answer.get("diagnostics"):
                message += "\n" + "\n".join(answer["diagnostics"])
            raise TopMockError(error.code, detail.get("code"), message, answer) from None


class TopMock:
    """A running topmock: connected to (``connect``), or started from its binary (``start``)."""

    def __init__(self, url: str, admin_token: Optional[str] = None, process: Optional[subprocess.Popen] = None):
        self.url = url.rstrip("/")
        self.admin = _Admin(self.url, admin_token)
        self._process = process

    @property
    def gateway_url(self) -> str:
        """What a TOP client takes as its server URL."""
        return self.url + "/router/rest"

    @classmethod
    def connect(cls, url: str, admin_token: Optional[str] = None) -> "TopMock":
        topmock = cls(url, admin_token)
        topmock.admin.call("GET", "/__admin/health")
        return topmock

    @classmethod
    def start(cls, binary: Optional[str] = None, args: Sequence[str] = (), timeout: float = 10.0) -> "TopMock":
        """Starts ``binary`` (else ``TOPMOCK_BIN``, else ``topmock`` on PATH) on a free loopback port."""
        binary = binary or os.environ.get("TOPMOCK_BIN") or shutil.which("topmock")
        if not binary:
            raise TopMockError(0, None, "no topmock binary: set TOPMOCK_BIN, put topmock on PATH, or set TOPMOCK_URL", {})
        folder = tempfile.mkdtemp(prefix="topmock-pytest.")
        port_file = os.path.join(folder, "port")
        process = subprocess.Popen([binary, "serve", "--host", "127.0.0.1", "--port", "0", "--port-file", port_file,
                                    "--log-level", "warning", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + timeout
        while not (os.path.exists(port_file) and open(port_file).read().strip()):
            if process.poll() is not None:
                raise TopMockError(0, None, f"topmock exited {process.returncode}: {process.stderr.read().decode()}", {})
            if time.monotonic() > deadline:
                process.kill()
                raise TopMockError(0, None, f"topmock did not listen within {timeout} s", {})
            time.sleep(0.01)
        port = int(open(port_file).read())
        shutil.rmtree(folder, ignore_errors=True)
        return cls(f"http://127.0.0.1:{port}", process=process)

    @classmethod
    def from_environment(cls, url: Optional[str] = None) -> "TopMock":
        """``url`` or ``TOPMOCK_URL`` (with ``TOPMOCK_ADMIN_TOKEN``) when set, else a started binary."""
        url = url or os.environ.get("TOPMOCK_URL")
        if url:
            return cls.connect(url, os.environ.get("TOPMOCK_ADMIN_TOKEN"))
        return cls.start()

    def new_app(self, app_key: Optional[str] = None, secret: Optional[str] = None) -> "TopMockApp":
        """An app of its own (made-up key and secret unless given), with a fresh namespace."""
        body = {name: value for name, value in (("app_key", app_key), ("secret", secret)) if value is not None}
        _, app = self.admin.call("POST", "/__admin/apps", body=body)
        return TopMockApp(self, app["app_key"], app["secret"], app["namespace"])

    def upload_scenario(self, name: str, yaml_text: str) -> None:
        """Adds a scenario document (or replaces the upload of that name) for every namespace;
        refused with topmock's diagnostics when it does not validate."""
        self.admin.call("POST", "/__admin/scenarios", query={"name": name}, text=yaml_text)

    def delete_scenario(self, name: str) -> None:
        self.admin.call("DELETE", "/__admin/scenarios/{name}", {"name": name})

    def close(self) -> None:
        """Stops a topmock this object started (SIGTERM); a connected one keeps running."""
        if self._process and self._process.poll() is None:
            self._process.terminate()
            self._process.wait(timeout=10)


class TopMockApp:
    """One test's app key, secret and namespace, and the admin calls scoped to that namespace."""

    def __init__(self, topmock: TopMock, app_key: str, secret: str, namespace: str):
        self.topmock, self.app_key, self.secret, self.namespace = topmock, app_key, secret, namespace
        self._admin = topmock.admin

    @property
    def url(self) -> str:
        """topmock's base URL (what taobaopy takes as ``domain``)."""
        return self.topmock.url

    @property
    def gateway_url(self) -> str:
        """What the official SDKs take as their server URL."""
        return self.topmock.gateway_url

    def reset(self) -> None:
        """Back to the seed: counts, timelines, created actions and checkouts, clock, journal."""
        self._admin.call("POST", "/__admin/reset", body={"namespace": self.namespace})

    def _action(self, method: str, suffix: str, shop_id: int, request_id: str, body: Any = None) -> dict:
        template = "/__admin/namespaces/{ns}/actions/{shop_id}/{request_id}" + suffix
        return self._admin.call(method, template, {"ns": self.namespace, "shop_id": shop_id, "request_id": request_id}, body=body)[1]

    def action(self, shop_id: int, request_id: str) -> dict:
        """A payment action as this namespace sees it (status, step, queries, created, …)."""
        return self._action("GET", "", shop_id, request_id)

    def set_action_status(self, shop_id: int, request_id: str, status: str,
                          result_code: Optional[str] = None, result_message: Optional[str] = None) -> dict:
        """"The customer pays now": moves the action to the timeline step with that status, or
        overrides it."""
        body = {"status": status, **({"result_code": result_code} if result_code else {}),
                **({"result_message": result_message} if result_message else {})}
        return self._action("PUT", "", shop_id, request_id, body)

    def advance_action(self, shop_id: int, request_id: str) -> dict:
        """Moves the action to its next timeline step (what a ``manual`` step waits for)."""
        return self._action("POST", "/advance", shop_id, request_id)

    def create_checkout(self, shop_id: int, checkout_id: str, total_fen: Optional[int] = None,
                        buyer_id: Optional[int] = None) -> dict:
        """A checkout with a total (an open one without), as the POS app's order is before it pays."""
        body = {"shop_id": shop_id, "checkout_id": checkout_id,
                **({"total_fen": total_fen} if total_fen is not None else {}),
                **({"buyer_id": buyer_id} if buyer_id is not None else {})}
        return self._admin.call("POST", "/__admin/namespaces/{ns}/checkouts", {"ns": self.namespace}, body=body)[1]

    def checkout(self, shop_id: int, checkout_id: str) -> dict:
        return self._admin.call("GET", "/__admin/namespaces/{ns}/checkouts/{shop_id}/{checkout_id}",
                                {"ns": self.namespace, "shop_id": shop_id, "checkout_id": checkout_id})[1]

    def store(self, shop_id: int) -> dict:
        """The shop's store as this namespace sees it (items, promotions, coupons, accounts with
        their numbers masked, features) and the orders its subtotals priced, with their status."""
        return self._admin.call("GET", "/__admin/namespaces/{ns}/stores/{shop_id}", {"ns": self.namespace, "shop_id": shop_id})[1]

    def _store_put(self, shop_id: int, what: str, body: Mapping[str, Any]) -> dict:
        return self._admin.call("PUT", "/__admin/namespaces/{ns}/stores/{shop_id}/" + what,
                                {"ns": self.namespace, "shop_id": shop_id}, body=dict(body))[1]

    def put_item(self, shop_id: int, item_id: int, title: str, price_fen: int, codes: Sequence[str], **more: Any) -> dict:
        """An item item.get finds by any of its ``codes`` and items.subtotal prices (replacing the
        one with its item_id and sku_id); ``more``: sku_id, short_name, unit, sold_by_weight (the
        price is then per kilogram), unit_weight, sku_code. A shop with no store gets one."""
        return self._store_put(shop_id, "items", {"item_id": item_id, "title": title, "price_fen": price_fen, "codes": list(codes), **more})

    def put_promotion(self, shop_id: int, item_id: int, price_fen: int, title: Optional[str] = None,
                      sku_id: Optional[int] = None) -> dict:
        """A lower unit price for an item of the store (items.subtotal's promotion_fee)."""
        body = {"item_id": item_id, "price_fen": price_fen, **({"title": title} if title else {}),
                **({"sku_id": sku_id} if sku_id is not None else {})}
        return self._store_put(shop_id, "promotions", body)

    def put_account(self, shop_id: int, channel_name: str, channel_account: str, balance_fen: int, **more: Any) -> dict:
        """A card or account pay.account.ack answers for; ``more``: status, usable, valid_from,
        valid_until (yyyy-MM-dd HH:mm:ss, GMT+8), biz_codes."""
        return self._store_put(shop_id, "accounts", {"channel_name": channel_name, "channel_account": channel_account,
                                                     "balance_fen": balance_fen, **more})

    def _clock(self, body: Mapping[str, Any]) -> dict:
        return self._admin.call("PUT", "/__admin/namespaces/{ns}/clock", {"ns": self.namespace}, body=body)[1]

    def freeze_clock(self, at: str = "now") -> dict:
        """Stops this namespace's clock: "now", or ``yyyy-MM-dd HH:mm:ss`` (GMT+8)."""
        return self._clock({"freeze": at})

    def advance_clock(self, duration: str) -> dict:
        """Moves this namespace's clock: ``30s``, ``5m``, ``-1h``."""
        return self._clock({"advance": duration})

    def real_clock(self) -> dict:
        return self._clock({"real": True})

    def requests(self, method: Optional[str] = None, fields: Mapping[str, Any] = {}) -> list[JournalEntry]:
        """The calls this namespace's app made, oldest first, optionally of one method with these
        business fields (dotted paths, e.g. ``{"pay_request.pay_fee": 1500}``)."""
        query: dict[str, Any] = {"namespace": self.namespace}
        if method:
            query["method"] = method
        for path, value in fields.items():
            query["field." + path] = _text(value)
        _, answer = self._admin.call("GET", "/__admin/requests", query=query)
        return [JournalEntry.from_json(entry) for entry in answer["requests"]]

    def verify(self, method: Optional[str] = None, fields: Mapping[str, Any] = {}, count: Optional[int] = None,
               at_least: Optional[int] = None, at_most: Optional[int] = None, created: Optional[bool] = None) -> int:
        """Asserts how many calls of this app matched (at least one when no bound is given); the
        number matched. ``created=True`` counts only calls that created a payment action (a lost
        reply's included, its retry not). On failure, ``TopMockVerificationError`` with topmock's
        message and the namespace's latest calls, near misses included."""
        body: dict[str, Any] = {"namespace": self.namespace}
        if method:
            body["method"] = method
        if fields:
            body["fields"] = dict(fields)
        if created is not None:
            body["created"] = created
        for name, value in (("count", count), ("at_least", at_least), ("at_most", at_most)):
            if value is not None:
                body[name] = value
        status, answer = self._admin.call("POST", "/__admin/requests/verify", body=body)
        if status == 409:
            recent = [JournalEntry.from_json(entry).describe() for entry in answer.get("recent", [])]
            message = answer.get("error", {}).get("message", "verification failed")
            raise TopMockVerificationError(message + ("\nlatest calls of this app:\n  " + "\n  ".join(recent) if recent else
                                                      "\nthis app made no call"))
        return answer["matched"]

    def verify_payments(self, fields: Mapping[str, Any] = {}, count: Optional[int] = None,
                        at_least: Optional[int] = None, at_most: Optional[int] = None) -> int:
        """Asserts how many payment actions this app's ``alibaba.pos.order.pay`` calls with these
        fields created: payments, not calls (a lost reply counts, the app's retry of it does not)."""
        return self.verify("alibaba.pos.order.pay", fields, count=count, at_least=at_least, at_most=at_most, created=True)

    def close(self) -> None:
        """Removes the app, its namespace's state and its journal entries."""
        try:
            self._admin.call("DELETE", "/__admin/apps/{app_key}", {"app_key": self.app_key})
        except TopMockError as error:
            if error.status != 404:
                raise


def _text(value: Any) -> str:
    """A field value as the journal keeps it: JSON's text for numbers and booleans."""
    return json.dumps(value) if isinstance(value, (bool, int, float)) else str(value)
