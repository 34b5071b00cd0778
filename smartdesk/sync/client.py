"""HTTP client of the sync protocol (``requests``): sign-in, push, pull, blobs.

- Every request carries ``protocol_version`` and ``schema_version`` (JSON body field for POSTs, query
  parameters otherwise, and the ``X-SmartDesk-Protocol`` / ``X-SmartDesk-Schema`` headers).
- Timeouts on every request (connect and read); no request hangs forever.
- Failures become ``SyncError(kind=...)`` with a plain message that says what to do:
  ``auth`` (sign in again), ``network`` (retry later, changes are kept), ``version`` (update SmartDesk),
  ``server`` (the server had a problem), ``conflict``.
- A 401 on an expired access token triggers one refresh with the refresh token, then the request is
  sent again; when the refresh fails too, the member must sign in again.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import requests

from smartdesk.errors import Message, SyncError
from smartdesk.store.repository import SCHEMA_VERSION
from smartdesk.sync.credentials import Credentials, CredentialStore

PROTOCOL_VERSION = 1
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 60.0
API = "/sync/v1"


def _server_message(resp: requests.Response) -> tuple[str, str]:
    """(error code, message) from the server's JSON error body, whatever its exact shape."""
    try:
        data = resp.json()
    except ValueError:
        return "", ""
    if not isinstance(data, dict):
        return "", ""
    err: Any = data.get("error", data.get("detail", data))
    if isinstance(err, dict):
        return str(err.get("code", "") or err.get("error", "")), str(
            err.get("message", "") or err.get("detail", "")
        )
    if isinstance(err, str):
        return err, str(data.get("message", ""))
    return "", ""


def device_name() -> str:
    """How this computer is listed among the member's devices on the server."""
    import socket

    return f"SmartDesk on {socket.gethostname()}"[:200]


class SyncClient:
    """One server, one member. Thread-safe enough for one sync run at a time (the engine's rule)."""

    def __init__(
        self,
        server: str,
        credentials: CredentialStore | None = None,
        *,
        client_id: str = "",
        session: requests.Session | None = None,
        timeout: tuple[float, float] = (CONNECT_TIMEOUT, READ_TIMEOUT),
    ) -> None:
        self.server = server.rstrip("/")
        self.credentials = credentials
        self.client_id = client_id
        self.session = session or requests.Session()
        self.timeout = timeout
        # what this client speaks (sent with every request; a test plays an old client by lowering them)
        self.protocol_version = PROTOCOL_VERSION
        self.schema_version = SCHEMA_VERSION
        self.bytes_sent = 0
        self.bytes_received = 0
        self.requests_made = 0
        self._creds: Credentials | None = credentials.load() if credentials else None

    # --- plumbing ----------------------------------------------------------------------------------
    def _headers(self, auth: bool) -> dict[str, str]:
        headers = {
            "X-SmartDesk-Protocol": str(self.protocol_version),
            "X-SmartDesk-Schema": str(self.schema_version),
        }
        if auth:
            if self._creds is None:
                raise SyncError(
                    "You are not signed in to the cooperative's server. Sign in (`smartdesk login`) "
                    "and sync again; your changes are kept on this computer.",
                    kind="auth",
                    retry=False,
                )
            headers["Authorization"] = f"Bearer {self._creds.access_token}"
        return headers

    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: dict[str, Any] | None = None,
        data: bytes | None = None,
        params: dict[str, Any] | None = None,
        auth: bool = True,
        extra_headers: dict[str, str] | None = None,
        refresh: bool = True,
        ok: tuple[int, ...] = (200, 201, 204),
    ) -> requests.Response:
        url = self.server + path
        params = {
            "protocol_version": self.protocol_version,
            "schema_version": self.schema_version,
            **(params or {}),
        }
        payload: bytes | None = data
        headers = self._headers(auth)
        if extra_headers:
            headers.update(extra_headers)
        if json_body is not None:
            body = {
                "protocol_version": self.protocol_version,
                "schema_version": self.schema_version,
                **json_body,
            }
            if self.client_id and "client_id" not in body:
                body["client_id"] = self.client_id
            payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
            headers["Content-Type"] = "application/json"
        elif data is not None:
            headers.setdefault("Content-Type", "application/octet-stream")
        try:
            resp = self.session.request(
                method, url, data=payload, params=params, headers=headers, timeout=self.timeout
            )
        except requests.Timeout as exc:
            raise SyncError(
                "The cooperative's server did not answer in time. Your changes are kept on this "
                "computer; SmartDesk will try again.",
                kind="network",
            ) from exc
        except requests.ConnectionError as exc:
            raise SyncError(
                Message(
                    "SmartDesk cannot reach the cooperative's server ({server}). Check your "
                    "internet connection; your changes are kept and will be sent later.",
                    server=self.server,
                ),
                kind="network",
            ) from exc
        except requests.RequestException as exc:
            raise SyncError(
                Message(
                    "The connection to the server failed ({problem}). Your changes are kept; "
                    "SmartDesk will try again.",
                    problem=type(exc).__name__,
                ),
                kind="network",
            ) from exc
        self.requests_made += 1
        # what went over the wire: request line, headers and body each way (TCP/TLS framing aside)
        sent = resp.request
        self.bytes_sent += (
            len(payload or b"")
            + len(f"{sent.method} {sent.path_url} HTTP/1.1\r\n")
            + sum(len(k) + len(v) + 4 for k, v in sent.headers.items())
            + 2
        )
        self.bytes_received += (
            len(resp.content or b"")
            + len(f"HTTP/1.1 {resp.status_code} {resp.reason}\r\n")
            + sum(len(k) + len(v) + 4 for k, v in resp.headers.items())
            + 2
        )
        if resp.status_code == 401 and auth and refresh and self._refresh():
            return self.request(
                method,
                path,
                json_body=json_body,
                data=data,
                params=params,
                auth=auth,
                extra_headers=extra_headers,
                refresh=False,
                ok=ok,
            )
        if resp.status_code in ok:
            return resp
        raise self._error(resp)

    def _error(self, resp: requests.Response) -> SyncError:
        code, message = _server_message(resp)
        status = resp.status_code
        detail = Message(" (server said: {message})", message=message) if message else ""
        if code in (
            "version_not_supported",
            "protocol_version_not_supported",
            "schema_version_not_supported",
        ) or status in (426,):
            return SyncError(
                Message(
                    "This version of SmartDesk is too old (or too new) for the cooperative's "
                    "server{detail}. Install the latest SmartDesk to sync again; your changes are "
                    "kept on this computer and will be sent after the update.",
                    detail=detail,
                ),
                kind="version",
                retry=False,
            )
        if code == "mutation_gap":
            return SyncError(
                Message(
                    "The cooperative's server no longer has some of the changes it already "
                    "confirmed (it was probably restored from a backup). Your unsent changes are "
                    "kept on this computer; contact support so they can be sent again{detail}.",
                    detail=detail,
                ),
                kind="server",
                retry=False,
            )
        if status == 401:
            return SyncError(
                "Your sign-in has expired or was revoked. Sign in again (`smartdesk login`); your "
                "changes are kept on this computer.",
                kind="auth",
                retry=False,
            )
        if status == 403:
            return SyncError(
                Message(
                    "The server refused this request{detail}. Sign in with the right account.", detail=detail
                ),
                kind="auth",
                retry=False,
            )
        if status == 409:
            return SyncError(
                Message(
                    "The server reports a conflict{detail}. Sync again to get the latest version.",
                    detail=detail,
                ),
                kind="conflict",
            )
        if status == 429 or status >= 500:
            return SyncError(
                Message(
                    "The cooperative's server is busy or has a problem (HTTP {status}){detail}. "
                    "Your changes are kept; SmartDesk will try again shortly.",
                    status=status,
                    detail=detail,
                ),
                kind="server",
            )
        err = SyncError(
            Message(
                "The server refused the request (HTTP {status}){detail}. Your changes are kept. "
                "If this keeps happening, contact support.",
                status=status,
                detail=detail,
            ),
            kind="server",
            retry=False,
            code=code,
        )
        return err

    # --- sign-in -----------------------------------------------------------------------------------
    @property
    def signed_in(self) -> bool:
        return self._creds is not None

    @property
    def credentials_info(self) -> Credentials | None:
        return self._creds

    def login(self, email: str, password: str) -> Credentials:
        if not email or not password:
            raise SyncError("Give your e-mail address and password to sign in.", kind="auth", retry=False)
        try:
            resp = self.request(
                "POST",
                f"{API}/login",
                json_body={"email": email, "password": password, "device_name": device_name()},
                auth=False,
                refresh=False,
            )
        except SyncError as exc:
            if exc.kind == "auth" or "HTTP 400" in exc.message or "HTTP 422" in exc.message:
                raise SyncError(
                    "The e-mail address or password is not right. Check them and try again.",
                    kind="auth",
                    retry=False,
                ) from exc
            raise
        creds = self._store_tokens(resp.json(), email)
        return creds

    def _store_tokens(self, data: dict[str, Any], email: str) -> Credentials:
        creds = Credentials(
            server=self.server,
            email=email,
            access_token=str(data.get("access_token") or data.get("token") or ""),
            refresh_token=str(data.get("refresh_token", "")),
            member_id=str(data.get("member_id", "")),
        )
        if not creds.access_token:
            raise SyncError(
                "The server did not return a sign-in token. Contact support.", kind="server", retry=False
            )
        self._creds = creds
        if self.credentials:
            self.credentials.save(creds)
        return creds

    def _refresh(self) -> bool:
        creds = self._creds
        if creds is None or not creds.refresh_token:
            return False
        try:
            resp = self.request(
                "POST",
                f"{API}/refresh",
                json_body={"refresh_token": creds.refresh_token},
                auth=False,
                refresh=False,
            )
        except SyncError:
            return False
        self._store_tokens(resp.json(), creds.email)
        return True

    def logout(self) -> None:
        """Revoke the token on the server when reachable; forget it locally in every case."""
        try:
            if self._creds is not None:
                self.request("POST", f"{API}/logout", json_body={}, refresh=False)
        except SyncError:
            pass
        finally:
            self._creds = None
            if self.credentials:
                self.credentials.delete()

    def probe(self, timeout: float = 2.0) -> bool:
        """Is the server reachable? (``GET /health``, no sign-in, a few hundred bytes.)"""
        try:
            resp = self.session.get(self.server + "/health", timeout=(timeout, timeout))
        except requests.RequestException:
            return False
        return resp.status_code == 200

    # --- protocol calls ----------------------------------------------------------------------------
    def push(self, mutations: list[dict[str, Any]]) -> dict[str, Any]:
        resp = self.request(
            "POST", f"{API}/push", json_body={"client_id": self.client_id, "mutations": mutations}
        )
        return dict(resp.json())

    def pull(self, cursor: dict[str, Any] | None, limit: int = 1000) -> dict[str, Any]:
        resp = self.request(
            "POST", f"{API}/pull", json_body={"client_id": self.client_id, "cursor": cursor, "limit": limit}
        )
        return dict(resp.json())

    def catalogues(self) -> dict[str, Any]:
        """The lists the cooperative publishes (expense categories) and their version."""
        resp = self.request("GET", f"{API}/catalogues")
        return dict(resp.json())

    def blob_offset(self, sha256: str) -> int | None:
        """Bytes of this blob the server already holds: None when it holds it whole (nothing to send)."""
        resp = self.request("GET", f"{API}/blobs/{sha256}/status")
        data = resp.json()
        if data.get("complete"):
            return None
        return int(data.get("offset", 0))

    def upload_blob(
        self,
        sha256: str,
        chunks: Callable[[int], Iterator[tuple[int, bytes]]],
        size: int,
        on_chunk: Callable[[int], None] | None = None,
    ) -> None:
        """Send the blob from the offset the server has, chunk by chunk (resumable)."""
        offset = self.blob_offset(sha256)
        if offset is None:
            return
        for start, chunk in chunks(offset):
            self.request(
                "PUT",
                f"{API}/blobs/{sha256}",
                data=chunk,
                extra_headers={"Content-Range": f"bytes {start}-{start + len(chunk) - 1}/{size}"},
            )
            if on_chunk:
                on_chunk(start + len(chunk))

    def download_blob(self, sha256: str) -> bytes:
        return bytes(self.request("GET", f"{API}/blobs/{sha256}").content)

    def download_archive(self, sha256: str) -> bytes:
        """The PDF the cooperative archived when it issued a document (``GET /sync/v1/archives/{sha}``)."""
        return bytes(self.request("GET", f"{API}/archives/{sha256}").content)
