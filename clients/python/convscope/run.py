"""A training run logged to a convscope API: metrics, predictions (the API computes the
evaluation report), sample images, artifacts, model registration and the final status.

Mirrors libs/ml/src/tracking/run-tracker.ts: createRun carries a clientRequestId so a retried
request returns the same run; logMetrics is idempotent on (run, name, step) (a re-sent point is a
duplicate, a different value at a logged step is a STEP_CONFLICT error); artifact PUTs of
identical bytes are no-ops; a heartbeat thread keeps the run alive while it trains.
"""
import json
import math
import mimetypes
import os
import threading
import uuid

from ._http import ConvscopeError, Transport
from ._images import images_to_bytes

SAMPLES_MAX_BYTES = 8 * 1024 * 1024
"""Byte budget of the samples artifact (the whole Fashion-MNIST test split fits), as in the TS tracker."""

_CREATE_RUN = ("mutation CreateRun($input: CreateRunInput!) "
               "{ createRun(input: $input) { id name status } }")
_LOG_METRICS = ("mutation Log($runId: ID!, $points: [MetricPointInput!]!) "
                "{ logMetrics(runId: $runId, points: $points) { accepted duplicates } }")
_LOG_PREDICTIONS = ("mutation LogPredictions($runId: ID!, $input: LogPredictionsInput!) "
                    "{ logPredictions(runId: $runId, input: $input) { id accuracy numSamples } }")
_REGISTER_MODEL = ("mutation RegisterModel($runId: ID!, $input: RegisterModelInput!) "
                   "{ registerModel(runId: $runId, input: $input) "
                   "{ id model { format artifactName artifactUrl } } }")
_FINISH = ("mutation Finish($id: ID!, $status: FinalRunStatus!, $error: String) "
           "{ finishRun(id: $id, status: $status, error: $error) { id status } }")
_BEAT = "mutation Beat($id: ID!) { heartbeat(id: $id) { id } }"


def samples_artifact_name(split):
    """Name of the artifact holding the evaluated images of a split, e.g. ``test-samples.bin``."""
    return "%s-samples.bin" % split


def _plain(value):
    """Numbers of numpy/torch containers as plain Python lists and floats."""
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    if hasattr(value, "tolist"):
        return value.tolist()
    return value


class Run:
    """One run of the API. Create it with :func:`convscope.init`; use it as a context manager to
    finish it COMPLETED, or FAILED with the exception's message when the block raises."""

    def __init__(self, transport, run_id, name, heartbeat_s=0.0):
        self.transport = transport
        self.id = run_id
        self.name = name
        self.finished = False
        self._step = 0
        self._stop = threading.Event()
        self._beats = None
        if heartbeat_s and heartbeat_s > 0:
            self._beats = threading.Thread(target=self._beat, args=(heartbeat_s,),
                                           name="convscope-heartbeat", daemon=True)
            self._beats.start()

    @property
    def url(self):
        """The API's base URL."""
        return self.transport.base_url

    def _beat(self, period_s):
        while not self._stop.wait(period_s):
            try:
                self.transport.graphql(_BEAT, {"id": self.id})
            except ConvscopeError:
                pass  # the next beat tries again; a run whose beats stop is failed by the API

    def log(self, metrics, step=None):
        """Logs ``{name: value}`` at ``step`` (default: one more than the last step logged).
        Values must be finite (INVALID_METRIC_VALUE otherwise, nothing sent). Re-logging the same
        value at a step is a no-op; a different value is the API's STEP_CONFLICT."""
        step = self._step if step is None else int(step)
        points = []
        for name, value in metrics.items():
            value = float(_plain(value))
            if not math.isfinite(value):
                raise ConvscopeError("metric %s at step %d is %s; only finite values can be logged"
                                     % (name, step, value), "INVALID_METRIC_VALUE")
            points.append({"name": str(name), "step": step, "value": value})
        self._step = step + 1
        if points:
            self.transport.graphql(_LOG_METRICS, {"runId": self.id, "points": points})

    def log_predictions(self, labels, probabilities, class_names, images=None, split="test"):
        """Stores the predictions of a split: the API computes and stores the evaluation report
        (accuracy, per-class metrics, confusion matrix, calibration, ROC) from the true
        ``labels`` and one row of class ``probabilities`` per sample (rows sum to 1). With
        ``images`` (uint8 ``[n, h, w, c]`` or ``[n, h, w]``, array or nested lists, in the same
        order) they are uploaded as ``<split>-samples.bin`` so the dashboard shows each sample.
        Returns the evaluation (``id``, ``accuracy``, ``numSamples``)."""
        labels = [int(v) for v in _plain(labels)]
        rows = [[float(p) for p in row] for row in _plain(probabilities)]
        for i, row in enumerate(rows):
            if not all(math.isfinite(p) for p in row):
                raise ConvscopeError("probabilities[%d] has a value that is not finite" % i,
                                     "BAD_USER_INPUT")
        # One id for every retry of this call: a retried upload gets the first attempt's evaluation.
        data = self.transport.graphql(_LOG_PREDICTIONS, {"runId": self.id, "input": {
            "split": split, "classNames": [str(c) for c in class_names],
            "labels": labels, "probabilities": rows, "clientRequestId": str(uuid.uuid4())}})
        evaluation = data["logPredictions"]
        if images is not None:
            self.log_samples(images, split=split)
        return evaluation

    def log_samples(self, images, split="test", max_bytes=SAMPLES_MAX_BYTES):
        """Uploads the images of an evaluated split as ``<split>-samples.bin`` in the TS
        tracker's format: raw bytes row-major ``[count, h, w, c]`` (image i = sample i) and
        metadata ``{format: 'uint8-nhwc', split, count, total, height, width, channels}``; at
        most ``max_bytes`` (the first images). Returns the artifact, or None if none fits."""
        raw, (total, height, width, channels) = images_to_bytes(images)
        pixels = height * width * channels
        count = min(total, max_bytes // pixels)
        if count <= 0:
            return None
        metadata = {"format": "uint8-nhwc", "split": split, "count": count, "total": total,
                    "height": height, "width": width, "channels": channels}
        return self._upload(samples_artifact_name(split), raw[: count * pixels], "samples",
                            "application/octet-stream", metadata)

    def log_artifact(self, path, name=None, kind="file", metadata=None, mime_type=None):
        """Uploads a file as artifact ``name`` (default: its file name) of the run, through the
        same route as the TS tracker (``PUT /runs/{id}/artifacts/{name}``). Returns the
        artifact (``name``, ``sha256``, ``bytes``, ``url``, ...)."""
        name = name or os.path.basename(path)
        with open(path, "rb") as f:
            data = f.read()
        mime = mime_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
        return self._upload(name, data, kind, mime, metadata)

    def _upload(self, name, data, kind, mime, metadata):
        query = {"kind": kind}
        if metadata is not None:
            query["metadata"] = json.dumps(metadata)
        path = "/runs/%s/artifacts/%s" % (_quote(self.id), _quote(name))
        body = self.transport.put(path, bytes(data), mime, query)
        return body.get("artifact", body)

    def register_model(self, artifact_name, format="ONNX"):
        """Registers an uploaded artifact as the run's model (``ONNX`` or ``TFJS``); returns
        ``{format, artifactName, artifactUrl}``."""
        data = self.transport.graphql(_REGISTER_MODEL, {"runId": self.id, "input": {
            "format": format, "artifactName": artifact_name}})
        return data["registerModel"]["model"]

    def finish(self, status="COMPLETED", error=None):
        """Marks the run COMPLETED or FAILED (with ``error``) and stops its heartbeat. A second
        call does nothing."""
        if self.finished:
            return
        try:
            self.transport.graphql(_FINISH, {"id": self.id, "status": status, "error": error})
            self.finished = True
        finally:
            self._stop.set()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc is None:
            self.finish("COMPLETED")
        else:
            message = "%s: %s" % (exc_type.__name__, exc) if str(exc) else exc_type.__name__
            try:
                self.finish("FAILED", error=message[:2000])
            except ConvscopeError:
                pass  # the training error matters more than the failed report of it
        return False


def _quote(part):
    from urllib.parse import quote

    return quote(str(part), safe="")


def _heartbeat_period():
    raw = os.environ.get("RUN_HEARTBEAT_MS", "").strip()
    try:
        return float(raw) / 1000 if raw else 10.0
    except ValueError:
        return 10.0


def init(project, config=None, name=None, tags=None, api_url=None, api_key=None, notes=None,
         backend=None, model_summary=None, dataset_info=None, heartbeat_s=None, transport=None):
    """Creates a RUNNING run in ``project`` (created if missing) with ``config`` as its
    hyperparameters, and starts its heartbeat (every ``heartbeat_s`` seconds, default env
    RUN_HEARTBEAT_MS or 10 s; 0 sends none). ``api_url`` defaults to env CONVSCOPE_API_URL, else
    http://localhost:4000; the key to env CONVSCOPE_API_KEY. ``backend`` names where it trains
    (e.g. ``pytorch-cpu``); ``model_summary`` (``{layers: [{name, className, outputShape, params}],
    totalParams, trainableParams}``) and ``dataset_info`` (``{name, classNames, ...}``) are shown
    by the dashboard like a TF.js run's."""
    transport = transport or Transport(api_url=api_url, api_key=api_key)
    run_input = {"project": project, "hyperparameters": dict(config or {}),
                 "tags": list(tags or []), "status": "RUNNING",
                 "clientRequestId": str(uuid.uuid4())}
    if name is not None:
        run_input["name"] = name
    if notes is not None:
        run_input["notes"] = notes
    if backend is not None:
        run_input["backend"] = backend
    if model_summary is not None:
        run_input["modelSummary"] = model_summary
    if dataset_info is not None:
        run_input["datasetInfo"] = dataset_info
    created = transport.graphql(_CREATE_RUN, {"input": run_input})["createRun"]
    period = _heartbeat_period() if heartbeat_s is None else heartbeat_s
    return Run(transport, created["id"], created["name"], heartbeat_s=period)
