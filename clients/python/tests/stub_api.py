"""A tiny stand-in for the convscope API on http.server: records every request and answers
from a script (``fail_next`` queues failures before the real answer)."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class StubApi:
    def __init__(self):
        self.requests = []
        self.fail_next = []  # (status, headers, body) answered before the real one
        self.graphql_errors = {}  # operation name -> (message, code)
        self.metric_points = {}  # (name, step) -> value, to answer duplicates like the API
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status, body, headers=None):
                raw = json.dumps(body).encode() if not isinstance(body, bytes) else body
                self.send_response(status)
                self.send_header("content-type", "application/json")
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("content-length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def _handle(self):
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length)
                parts = urlsplit(self.path)
                record = {"method": self.command, "path": parts.path,
                          "query": {k: v[0] for k, v in parse_qs(parts.query).items()},
                          "headers": {k.lower(): v for k, v in self.headers.items()},
                          "body": raw}
                if parts.path == "/graphql":
                    record["json"] = json.loads(raw)
                stub.requests.append(record)
                if stub.fail_next:
                    status, headers, body = stub.fail_next.pop(0)
                    return self._answer(status, body, headers)
                if parts.path == "/graphql":
                    return self._answer(200, stub.graphql(record["json"]))
                return self._answer(201, {"artifact": {
                    "id": "a1", "name": parts.path.rsplit("/", 1)[-1], "bytes": len(raw),
                    "kind": record["query"].get("kind")}})

            do_POST = _handle
            do_PUT = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def graphql(self, body):
        query = body["query"]
        op = query.split()[1].split("(")[0]
        variables = body.get("variables") or {}
        if op in self.graphql_errors:
            message, code = self.graphql_errors[op]
            return {"errors": [{"message": message, "extensions": {"code": code}}], "data": None}
        if op == "CreateRun":
            return {"data": {"createRun": {"id": "run1", "name": "stub-run", "status": "RUNNING"}}}
        if op == "Log":
            accepted = duplicates = 0
            for p in variables["points"]:
                key = (p["name"], p["step"])
                if key in self.metric_points:
                    duplicates += 1
                else:
                    self.metric_points[key] = p["value"]
                    accepted += 1
            return {"data": {"logMetrics": {"accepted": accepted, "duplicates": duplicates}}}
        if op == "LogPredictions":
            inp = variables["input"]
            right = sum(1 for y, row in zip(inp["labels"], inp["probabilities"])
                        if max(range(len(row)), key=row.__getitem__) == y)
            return {"data": {"logPredictions": {"id": "e1", "accuracy": right / len(inp["labels"]),
                                                "numSamples": len(inp["labels"])}}}
        if op == "RegisterModel":
            inp = variables["input"]
            return {"data": {"registerModel": {"id": variables["runId"], "model": {
                "format": inp["format"], "artifactName": inp["artifactName"],
                "artifactUrl": self.url + "/runs/run1/artifacts/" + inp["artifactName"]}}}}
        if op == "Finish":
            return {"data": {"finishRun": {"id": variables["id"], "status": variables["status"]}}}
        if op == "Beat":
            return {"data": {"heartbeat": {"id": variables["id"]}}}
        return {"errors": [{"message": "unknown operation " + op,
                            "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"}}]}

    def ops(self):
        """Operation names (or 'PUT <path>') of the requests, in order."""
        return [r["json"]["query"].split()[1].split("(")[0] if r["path"] == "/graphql"
                else "%s %s" % (r["method"], r["path"]) for r in self.requests]

    def close(self):
        self.server.shutdown()
        self.server.server_close()
