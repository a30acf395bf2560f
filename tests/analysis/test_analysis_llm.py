"""Model-assisted Quick Read against a fake OpenAI-compatible server over real loopback HTTP."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest
from analysis_helpers import make_article, make_story

from newsprism.analysis import AnalysisSettings, analyse_story
from newsprism.analysis.grounding import check_bullet
from newsprism.model import AnnotatedArticle, Story

GROUNDED = "Talks between the government and the union are on pause."
INVENTED = "The union demanded a 40 percent raise and threatened a general strike."


class FakeOpenAI(BaseHTTPRequestHandler):
    requests: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeOpenAI.requests.append(
            {"path": self.path, "body": body, "auth": self.headers.get("Authorization")}
        )
        reply = {"bullets": [{"text": GROUNDED, "fact_ids": ["f1"]}, {"text": INVENTED, "fact_ids": ["f2"]}]}
        payload = json.dumps({"choices": [{"message": {"role": "assistant", "content": json.dumps(reply)}}]})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(payload.encode())

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture()
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeOpenAI)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    httpd.shutdown()
    httpd.server_close()


def _story() -> tuple[Story, list[AnnotatedArticle]]:
    return make_story(
        [
            make_article(
                "a",
                [
                    "Negotiations between the government and the union were on hold, "
                    "the minister said on Monday.",
                    "Workers walked out at three car plants in the north.",
                ],
                "Outlet A",
            ),
            make_article(
                "b",
                [
                    "Talks between the government and the union are on pause, officials said Monday.",
                    "Strikes hit three car plants in the north on Monday.",
                ],
                "Outlet B",
            ),
        ]
    )


def test_model_bullets_are_grounded_or_replaced(server: str) -> None:
    story, annotated = _story()
    settings = AnalysisSettings(base_url=server, api_key="k", model="fake-model", timeout=5)
    qr = analyse_story(story, annotated, settings=settings).quick_read
    assert qr.method == "model-assisted (fake-model)"
    texts = [b.text for b in qr.bullets]
    assert GROUNDED in texts and INVENTED not in texts
    assert all(check_bullet(b.text, b.citations) == [] and b.citations for b in qr.bullets)
    request = FakeOpenAI.requests[-1]
    assert request["path"] == "/v1/chat/completions" and request["auth"] == "Bearer k"
    assert request["body"]["model"] == "fake-model"


def test_unreachable_endpoint_falls_back_to_extractive() -> None:
    story, annotated = _story()
    settings = AnalysisSettings(base_url="http://127.0.0.1:9/v1", model="m", timeout=0.5)
    qr = analyse_story(story, annotated, settings=settings).quick_read
    assert qr.method == "extractive" and qr.bullets
