"""The convscope client against a stub API: requests sent, retries, idempotency keys, errors,
sample images in the TS tracker's format and the context manager's final status."""
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import convscope  # noqa: E402
from convscope._http import Transport, parse_retry_after  # noqa: E402
from tests.stub_api import StubApi  # noqa: E402


class Fixture(unittest.TestCase):
    def setUp(self):
        self.api = StubApi()
        self.sleeps = []
        self.now = [0.0]

        def sleep(s):
            self.sleeps.append(s)
            self.now[0] += s

        self.transport = Transport(api_url=self.api.url, api_key="cs_test", budget_s=60,
                                   connect_budget_s=5, sleep=sleep, clock=lambda: self.now[0],
                                   rand=lambda: 0.5)

    def tearDown(self):
        self.api.close()

    def start(self, **kwargs):
        return convscope.init(project="p", config={"lr": 0.001}, heartbeat_s=0,
                              transport=self.transport, **kwargs)

    def variables(self, op):
        return [r["json"]["variables"] for r in self.api.requests
                if r["path"] == "/graphql" and r["json"]["query"].split()[1].startswith(op)]


class InitAndLog(Fixture):
    def test_creates_a_running_run_with_config_tags_and_key(self):
        run = self.start(name="n1", tags=["torch"])
        self.assertEqual((run.id, run.name), ("run1", "stub-run"))
        (v,) = self.variables("CreateRun")
        self.assertEqual(v["input"]["project"], "p")
        self.assertEqual(v["input"]["hyperparameters"], {"lr": 0.001})
        self.assertEqual(v["input"]["tags"], ["torch"])
        self.assertEqual(v["input"]["name"], "n1")
        self.assertEqual(v["input"]["status"], "RUNNING")
        self.assertEqual(len(v["input"]["clientRequestId"]), 36)
        self.assertEqual(self.api.requests[0]["headers"]["authorization"], "Bearer cs_test")

    def test_log_sends_points_and_counts_steps(self):
        run = self.start()
        run.log({"loss": 0.5, "accuracy": 0.75})
        run.log({"loss": 0.25})
        run.log({"loss": 0.125}, step=10)
        points = [p for v in self.variables("Log") for p in v["points"]]
        self.assertEqual(points, [
            {"name": "loss", "step": 0, "value": 0.5},
            {"name": "accuracy", "step": 0, "value": 0.75},
            {"name": "loss", "step": 1, "value": 0.25},
            {"name": "loss", "step": 10, "value": 0.125},
        ])

    def test_non_finite_values_raise_before_sending(self):
        run = self.start()
        with self.assertRaises(convscope.ConvscopeError) as ctx:
            run.log({"loss": float("nan")}, step=3)
        self.assertEqual(ctx.exception.code, "INVALID_METRIC_VALUE")
        self.assertIn("loss at step 3", ctx.exception.message)
        self.assertEqual(self.variables("Log"), [])


class Retries(Fixture):
    def test_retries_5xx_with_the_same_client_request_id(self):
        self.api.fail_next = [(503, {}, {"message": "down"}), (502, {}, b"bad gateway")]
        run = self.start()
        self.assertEqual(run.id, "run1")
        ids = {v["input"]["clientRequestId"] for v in self.variables("CreateRun")}
        self.assertEqual(len(self.variables("CreateRun")), 3)
        self.assertEqual(len(ids), 1)  # one idempotency key across the attempts
        # Full jitter at rand 0.5: half of 0.5 s, then half of 1 s.
        self.assertEqual(self.sleeps, [0.25, 0.5])

    def test_retried_predictions_carry_one_client_request_id(self):
        run = self.start()
        self.api.fail_next = [(503, {}, {"message": "down"})]
        run.log_predictions([0, 1], [[0.9, 0.1], [0.2, 0.8]], ["a", "b"])
        sent = self.variables("LogPredictions")
        self.assertEqual(len(sent), 2)
        ids = {v["input"]["clientRequestId"] for v in sent}
        self.assertEqual(len(ids), 1)  # the API returns the first attempt's evaluation
        self.assertEqual(len(ids.pop()), 36)

    def test_honours_retry_after_of_429(self):
        run = self.start()
        self.api.fail_next = [(429, {"Retry-After": "2"}, {"message": "slow down"})]
        run.log({"loss": 1.0}, step=0)
        self.assertEqual(self.sleeps, [2.0])
        self.assertEqual(len(self.variables("Log")), 2)

    def test_a_resent_point_counts_as_duplicate(self):
        run = self.start()
        run.log({"loss": 1.0}, step=0)
        run.log({"loss": 1.0}, step=0)
        self.assertEqual(self.api.metric_points, {("loss", 0): 1.0})

    def test_gives_up_when_the_budget_is_spent(self):
        self.api.fail_next = [(503, {}, {"message": "down"})] * 100
        with self.assertRaises(convscope.ConvscopeError) as ctx:
            self.start()
        self.assertEqual(ctx.exception.code, "UNREACHABLE")
        self.assertLessEqual(sum(self.sleeps), 5.0 + 1e-9)  # the connect budget

    def test_unreachable_api_fails_fast(self):
        self.api.close()
        with self.assertRaises(convscope.ConvscopeError) as ctx:
            self.start()
        self.assertEqual(ctx.exception.code, "UNREACHABLE")
        self.assertIn(self.api.url, ctx.exception.message)
        self.api = StubApi()  # for tearDown

    def test_parse_retry_after(self):
        self.assertEqual(parse_retry_after("3"), 3.0)
        self.assertIsNone(parse_retry_after("soon"))
        self.assertAlmostEqual(parse_retry_after("Thu, 01 Jan 1970 00:01:40 GMT", now=40.0), 60.0)


class Errors(Fixture):
    def test_graphql_errors_carry_their_code_and_are_not_retried(self):
        run = self.start()
        self.api.graphql_errors["Log"] = ("loss at step 0 was 1, got 2", "STEP_CONFLICT")
        with self.assertRaises(convscope.ConvscopeError) as ctx:
            run.log({"loss": 2.0}, step=0)
        self.assertEqual(ctx.exception.code, "STEP_CONFLICT")
        self.assertEqual(len(self.variables("Log")), 1)
        self.assertEqual(self.sleeps, [])

    def test_401_names_the_key_source(self):
        self.api.fail_next = [(401, {}, {"errors": [{"message": "invalid key"}]})]
        with self.assertRaises(convscope.ConvscopeError) as ctx:
            self.start()
        self.assertEqual(ctx.exception.code, "UNAUTHENTICATED")
        self.assertIn("CONVSCOPE_API_KEY", ctx.exception.message)
        self.assertIn("invalid key", ctx.exception.message)

    def test_upload_errors_carry_the_route_code(self):
        run = self.start()
        self.api.fail_next = [(409, {}, {"error": {"code": "INVALID_STATE", "message": "immutable"}})]
        with tempfile.NamedTemporaryFile(suffix=".onnx") as f:
            with self.assertRaises(convscope.ConvscopeError) as ctx:
                run.log_artifact(f.name)
        self.assertEqual((ctx.exception.code, ctx.exception.status), ("INVALID_STATE", 409))


class PredictionsAndArtifacts(Fixture):
    def test_log_predictions_sends_rows_and_uploads_samples(self):
        run = self.start()
        labels = [0, 1, 1]
        probabilities = [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]]
        # Two 2x3 gray images given as [n, h, w]: stored as [n, h, w, 1].
        images = [[[0, 1, 2], [3, 4, 5]], [[250, 251, 252], [253, 254, 255]], [[7] * 3] * 2]
        ev = run.log_predictions(labels, probabilities, ["cat", "dog"], images=images)
        self.assertEqual(ev, {"id": "e1", "accuracy": 2 / 3, "numSamples": 3})
        (v,) = self.variables("LogPredictions")
        sent = dict(v["input"])
        self.assertEqual(len(sent.pop("clientRequestId")), 36)
        self.assertEqual(sent, {"split": "test", "classNames": ["cat", "dog"],
                                "labels": labels, "probabilities": probabilities})
        put = self.api.requests[-1]
        self.assertEqual((put["method"], put["path"]), ("PUT", "/runs/run1/artifacts/test-samples.bin"))
        self.assertEqual(put["query"]["kind"], "samples")
        self.assertEqual(put["headers"]["content-type"], "application/octet-stream")
        self.assertEqual(json.loads(put["query"]["metadata"]), {
            "format": "uint8-nhwc", "split": "test", "count": 3, "total": 3,
            "height": 2, "width": 3, "channels": 1})
        self.assertEqual(put["body"], bytes([0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]
                                            + [7] * 6))

    def test_samples_are_bounded_by_bytes(self):
        run = self.start()
        images = [[[[i, i, i]]] for i in range(10)]  # ten 1x1 RGB images
        run.log_samples(images, split="val", max_bytes=7)
        put = self.api.requests[-1]
        self.assertEqual(put["path"], "/runs/run1/artifacts/val-samples.bin")
        meta = json.loads(put["query"]["metadata"])
        self.assertEqual((meta["count"], meta["total"], meta["channels"]), (2, 10, 3))
        self.assertEqual(put["body"], bytes([0, 0, 0, 1, 1, 1]))

    def test_bad_images_are_refused(self):
        run = self.start()
        with self.assertRaises(ValueError):
            run.log_samples([[[300]]])
        with self.assertRaises(ValueError):
            run.log_samples([[[1, 2], [3]]])
        self.assertEqual([r for r in self.api.requests if r["method"] == "PUT"], [])

    def test_log_artifact_uploads_the_file(self):
        run = self.start()
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "model.onnx")
            with open(path, "wb") as f:
                f.write(b"\x08\x07rest")
            art = run.log_artifact(path, kind="model")
        self.assertEqual(art["name"], "model.onnx")
        put = self.api.requests[-1]
        self.assertEqual(put["body"], b"\x08\x07rest")
        self.assertEqual(put["query"], {"kind": "model"})
        model = run.register_model("model.onnx", format="ONNX")
        self.assertEqual(model["format"], "ONNX")
        (v,) = self.variables("RegisterModel")
        self.assertEqual(v, {"runId": "run1", "input": {"format": "ONNX",
                                                        "artifactName": "model.onnx"}})


class Finishing(Fixture):
    def test_context_manager_completes(self):
        with self.start() as run:
            run.log({"loss": 1.0})
        (v,) = self.variables("Finish")
        self.assertEqual((v["status"], v["error"]), ("COMPLETED", None))
        run.finish()  # a second finish sends nothing
        self.assertEqual(len(self.variables("Finish")), 1)

    def test_context_manager_fails_with_the_exception_and_reraises(self):
        with self.assertRaises(RuntimeError):
            with self.start():
                raise RuntimeError("out of memory")
        (v,) = self.variables("Finish")
        self.assertEqual((v["status"], v["error"]), ("FAILED", "RuntimeError: out of memory"))

    def test_heartbeat_thread_beats_until_finished(self):
        run = convscope.init(project="p", heartbeat_s=0.02, transport=self.transport)
        import time

        deadline = time.time() + 5
        while not self.variables("Beat") and time.time() < deadline:
            time.sleep(0.01)
        run.finish()
        self.assertGreaterEqual(len(self.variables("Beat")), 1)
        run._beats.join(2)
        self.assertFalse(run._beats.is_alive())


if __name__ == "__main__":
    unittest.main()
