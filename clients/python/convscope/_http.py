"""GraphQL and HTTP transport of the convscope client: credentials, retries with exponential
back-off and full jitter (honouring Retry-After), and errors that carry the API's code.

Mirrors libs/ml/src/tracking/graphql-client.ts: network errors, timeouts, 408, 429 and 5xx are
retried until the call's time budget is spent; GraphQL errors (bad input, conflicts) are never
retried, they would fail again. Every mutation sent through it must be idempotent.
"""
import json
import os
import random
import socket
import time
import urllib.error
import urllib.parse
import urllib.request

API_URL_ENV = "CONVSCOPE_API_URL"
API_KEY_ENV = "CONVSCOPE_API_KEY"
KEY_FILE_ENV = "CONVSCOPE_KEY_FILE"
RETRY_BUDGET_ENV = "CONVSCOPE_RETRY_BUDGET_S"
DEFAULT_API_URL = "http://localhost:4000"


class ConvscopeError(Exception):
    """An error of the API or of the client; ``code`` is the GraphQL ``extensions.code``
    (``BAD_USER_INPUT``, ``NOT_FOUND``, ``STEP_CONFLICT``, ...) or a client code
    (``UNREACHABLE``, ``BAD_RESPONSE``, ``INVALID_METRIC_VALUE``)."""

    def __init__(self, message, code, status=None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status

    def __str__(self):
        return "%s [%s]" % (self.message, self.code)


def _is_loopback(url):
    host = (urllib.parse.urlsplit(url).hostname or "").lower()
    return host == "localhost" or host.startswith("127.") or host == "::1"


def resolve_api_key(api_key, api_url, env=None):
    """The key to send and where it came from: the explicit ``api_key``, else env
    CONVSCOPE_API_KEY, else the file named by CONVSCOPE_KEY_FILE (only for an API on this
    machine, so a local admin key is never sent elsewhere). Returns ``(key or None, description)``."""
    env = os.environ if env is None else env
    if api_key and api_key.strip():
        return api_key.strip(), "the api_key argument"
    if (env.get(API_KEY_ENV) or "").strip():
        return env[API_KEY_ENV].strip(), "the %s environment variable" % API_KEY_ENV
    key_file = (env.get(KEY_FILE_ENV) or "").strip()
    if key_file and _is_loopback(api_url):
        try:
            with open(key_file, encoding="utf-8") as f:
                key = f.read().strip()
            if key:
                return key, "the key file %s" % key_file
        except OSError:
            pass
    return None, "no key (no api_key argument or %s)" % API_KEY_ENV


def _retryable_status(status):
    return status >= 500 or status in (408, 429)


def parse_retry_after(value, now=None):
    """``Retry-After`` (seconds or an HTTP date) in seconds from now; None when absent/invalid."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime

    try:
        at = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, at - (time.time() if now is None else now))


def _error_of_body(body, fallback_code, status):
    """The first error of a JSON answer (GraphQL ``errors``, or ``{code, message}`` /
    ``{error: {code, message}}`` of the HTTP routes) as a ConvscopeError, or None."""
    if not isinstance(body, dict):
        return None
    errors = body.get("errors")
    if isinstance(errors, list) and errors:
        first = errors[0] if isinstance(errors[0], dict) else {}
        code = (first.get("extensions") or {}).get("code") or fallback_code
        return ConvscopeError(str(first.get("message", "GraphQL error")), code, status)
    nested = body.get("error") if isinstance(body.get("error"), dict) else {}
    code = body.get("code") or nested.get("code")
    message = body.get("message") or nested.get("message")
    if code or message:
        return ConvscopeError(str(message or code), str(code or fallback_code), status)
    return None


class Transport:
    """Sends GraphQL requests and raw HTTP calls to one API, retried with back-off.

    ``budget_s``: how long one call keeps retrying once the API has answered this client
    (default env CONVSCOPE_RETRY_BUDGET_S, else 900); ``connect_budget_s``: the budget before the
    API ever answered (a wrong URL fails fast). ``sleep``/``clock``/``random`` are injectable."""

    def __init__(self, api_url=None, api_key=None, budget_s=None, connect_budget_s=10.0,
                 base_delay_s=0.5, max_delay_s=20.0, timeout_s=30.0,
                 sleep=time.sleep, clock=time.monotonic, rand=random.random, on_retry=None):
        url = (api_url or os.environ.get(API_URL_ENV) or DEFAULT_API_URL).rstrip("/")
        if url.endswith("/graphql"):
            url = url[: -len("/graphql")]
        self.base_url = url
        self.key, self.key_source = resolve_api_key(api_key, url)
        if budget_s is None:
            raw = os.environ.get(RETRY_BUDGET_ENV, "").strip()
            budget_s = float(raw) if raw else 900.0
        self.budget_s = budget_s
        self.connect_budget_s = connect_budget_s
        self.base_delay_s = base_delay_s
        self.max_delay_s = max_delay_s
        self.timeout_s = timeout_s
        self._sleep, self._clock, self._rand = sleep, clock, rand
        self._on_retry = on_retry
        self.answered = False

    def backoff(self, attempt):
        """Full jitter: uniform in [0, min(max_delay, base_delay * 2^attempt))."""
        cap = min(self.max_delay_s, self.base_delay_s * 2 ** min(attempt, 30))
        return self._rand() * cap

    def _credential_error(self, what, code, message, status):
        problem = "the key's role is too low" if code == "FORBIDDEN" else (
            "the key is not valid" if self.key else "it needs an API key")
        return ConvscopeError(
            "the API at %s refused %s: %s (%s). Key used: %s. Pass api_key= or set %s "
            "(create a key with `npm run keys -- create`)."
            % (self.base_url, what, problem, message or code, self.key_source, API_KEY_ENV),
            code, status)

    def _attempt(self, what, request):
        """One attempt: ``(status, headers, body bytes)`` of a final answer, or a retry reason
        ``(None, reason, retry_after_s)``. 401/403 raise at once."""
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as res:
                return res.status, res.headers, res.read()
        except urllib.error.HTTPError as err:
            body = err.read()
            if err.code in (401, 403):
                self.answered = True
                parsed = _safe_json(body)
                known = _error_of_body(parsed, "", err.code)
                raise self._credential_error(
                    what, "UNAUTHENTICATED" if err.code == 401 else "FORBIDDEN",
                    known.message if known else "", err.code)
            if not _retryable_status(err.code):
                return err.code, err.headers, body
            return None, "HTTP %d %s" % (err.code, body[:120].decode("utf-8", "replace")), \
                parse_retry_after(err.headers.get("retry-after"))
        except (urllib.error.URLError, ConnectionError, socket.timeout, OSError) as err:
            reason = getattr(err, "reason", err)
            return None, str(reason), None

    def send(self, what, method, url, body=None, headers=None):
        """Sends until a final answer or the budget is spent; returns ``(status, body bytes)``."""
        headers = dict(headers or {})
        if self.key and url.startswith(self.base_url):
            headers["authorization"] = "Bearer %s" % self.key
        started = self._clock()
        attempt = 0
        while True:
            request = urllib.request.Request(url, data=body, method=method, headers=headers)
            status, info, extra = self._attempt(what, request)
            if status is not None:
                self.answered = True
                return status, extra
            budget = self.budget_s if self.answered else self.connect_budget_s
            elapsed = self._clock() - started
            if elapsed >= budget:
                raise ConvscopeError(
                    "%s failed after %d attempts in %.1f s: %s (is the API running at %s?)"
                    % (what, attempt + 1, elapsed, info, self.base_url), "UNREACHABLE")
            delay = min(extra if extra is not None else self.backoff(attempt), budget - elapsed)
            if self._on_retry:
                self._on_retry({"what": what, "attempt": attempt + 1, "error": info,
                                "delay_s": delay})
            self._sleep(delay)
            attempt += 1

    def graphql(self, query, variables=None):
        """POSTs a GraphQL request; returns ``data`` or raises the first error as ConvscopeError."""
        words = query.split()
        what = "GraphQL %s" % words[1].split("(")[0] if len(words) > 1 else "GraphQL request"
        payload = json.dumps({"query": query, "variables": variables or {}}).encode("utf-8")
        status, raw = self.send(what, "POST", self.base_url + "/graphql", payload,
                                {"content-type": "application/json",
                                 "accept": "application/json"})
        body = _safe_json(raw)
        if not isinstance(body, dict):
            raise ConvscopeError("%s: the answer was not JSON (HTTP %d)" % (what, status),
                                 "BAD_RESPONSE", status)
        err = _error_of_body(body, "GRAPHQL_ERROR", status)
        if err is not None:
            if err.code in ("UNAUTHENTICATED", "FORBIDDEN"):
                raise self._credential_error(what, err.code, err.message, status)
            raise err
        return body.get("data") or {}

    def put(self, path, data, content_type, query=None):
        """PUTs raw bytes to an API path; returns the JSON answer or raises its error."""
        url = self.base_url + path + ("?" + urllib.parse.urlencode(query) if query else "")
        what = "PUT %s" % path
        status, raw = self.send(what, "PUT", url, data, {"content-type": content_type})
        body = _safe_json(raw)
        if status >= 400:
            err = _error_of_body(body, "HTTP_%d" % status, status)
            raise err or ConvscopeError("%s failed: HTTP %d" % (what, status),
                                        "HTTP_%d" % status, status)
        if not isinstance(body, dict):
            raise ConvscopeError("%s: the answer was not JSON" % what, "BAD_RESPONSE", status)
        return body


def _safe_json(raw):
    try:
        return json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, AttributeError):
        return None
