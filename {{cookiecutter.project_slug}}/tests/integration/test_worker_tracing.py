"""One trace from a request to the task it enqueued, run by a real worker.

The test process traces into memory; the worker exports over OTLP/HTTP, as in production,
to a collector this test runs on the loopback.
"""

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.trace.v1.trace_pb2 import Span
from opentelemetry.trace import SpanKind
from rest_framework.test import APIClient

from tests.core.test_tracing import exporter, spans, trace_id  # noqa: F401 - fixtures
from tests.integration.conftest import QUEUE, Worker, WorkerFactory, wait_until
from tests.integration.tasks import record_visit

pytestmark = [
    pytest.mark.integration,
    pytest.mark.usefixtures("transactional_db", "live_tasks"),
    pytest.mark.urls("tests.integration.urls"),
]

TRACED_QUEUE = f"{QUEUE}-traced"


class Collector(ThreadingHTTPServer):
    """An OTLP/HTTP trace receiver: keeps every span it is sent."""

    received: list[Span]


class ExportHandler(BaseHTTPRequestHandler):
    server: Collector

    def do_POST(self) -> None:
        export = ExportTraceServiceRequest()
        export.ParseFromString(self.rfile.read(int(self.headers["Content-Length"])))
        for resource in export.resource_spans:
            for scope in resource.scope_spans:
                self.server.received.extend(scope.spans)
        body = ExportTraceServiceResponse().SerializeToString()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def collector() -> Iterator[Collector]:
    server = Collector(("127.0.0.1", 0), ExportHandler)
    server.received = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


@pytest.fixture(scope="module")
def traced_worker(worker_factory: WorkerFactory, collector: Collector) -> Worker:
    return worker_factory(
        queue=TRACED_QUEUE,
        env={
            "DJANGO_SETTINGS_MODULE": "tests.integration.tracing_worker_settings",
            "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{collector.server_address[1]}",
            "OTEL_SERVICE_NAME": "integration-worker",
            "OTEL_BSP_SCHEDULE_DELAY": "100",  # milliseconds between exports
        },
    )


def test_a_request_and_the_task_it_enqueued_form_one_trace(
    exporter,  # noqa: F811
    traced_worker,
    collector,
    monkeypatch,
):
    monkeypatch.setitem(record_visit.app.conf, "task_default_queue", TRACED_QUEUE)
    response = APIClient().post("/visits/", {"name": "traced"}, format="json")
    assert response.status_code == 202
    (request,) = [s for s in exporter.get_finished_spans() if s.kind is SpanKind.SERVER]
    (publish,) = [s for s in exporter.get_finished_spans() if s.kind is SpanKind.PRODUCER]

    def task_spans() -> list[Span]:
        return [s for s in collector.received if s.name == f"run/{record_visit.name}"]

    wait_until(lambda: bool(task_spans()), what="the worker to export the task's span")
    (task,) = task_spans()
    assert task.trace_id.hex() == trace_id(request)
    assert publish.context is not None
    assert task.parent_span_id.hex() == f"{publish.context.span_id:016x}"
    wait_until(
        lambda: f"trace_id={trace_id(request)}" in traced_worker.log.read_text(),
        what="the task's log lines to carry the trace id",
        worker=traced_worker,
    )
