"""Import of a trainer's document (.docx, .pdf, .txt, .md) into the fields of a draft item."""

import io
import logging
import re
from pathlib import Path

from bot.errors import LecturerError

log = logging.getLogger(__name__)

KINDS = (".docx", ".pdf", ".txt", ".md")
MAX_BYTES = 10_000_000
TITLE_CHARS = 40


def extract(name: str, data: bytes) -> str:
    """The document's text, paragraphs separated by blank lines."""
    suffix = Path(name).suffix.lower()
    if suffix not in KINDS:
        raise LecturerError(f"不支持「{suffix or name}」文件，请上传 Word（.docx）、PDF、.txt 或 .md 文件。", f"suffix {suffix}")
    if len(data) > MAX_BYTES:
        raise LecturerError(f"文件太大（{len(data) // 1_000_000} MB），请上传 10 MB 以内的文件。", f"{len(data)} bytes")
    try:
        if suffix == ".docx":
            import docx

            paragraphs = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
        elif suffix == ".pdf":
            from pypdf import PdfReader

            pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]
            paragraphs = rejoin("\n".join(pages))
        else:
            paragraphs = decode(data).splitlines()
    except LecturerError:
        raise
    except Exception as exc:  # a damaged or encrypted file: python-docx and pypdf raise many kinds
        raise LecturerError(f"读不出「{name}」的内容：文件可能已损坏或加密，请另存后再上传。", repr(exc)) from exc
    text = "\n\n".join(p.strip() for p in paragraphs if p.strip())
    if not text:
        raise LecturerError(f"「{name}」里没有读到文字（扫描件图片需要先转成文字）。", "no text")
    return text


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise LecturerError("文本文件的编码无法识别，请另存为 UTF-8 后再上传。", "undecodable text")


def rejoin(text: str) -> list[str]:
    """PDF lines back into paragraphs: a full-width line that does not end a sentence runs on into the
    next; a line that ends a sentence, or stops well short of the width (a title), ends its paragraph."""
    lines = [line.strip() for line in text.splitlines()]
    width = max((len(line) for line in lines), default=0)
    paragraphs, current = [], ""
    for line in lines:
        if not line:
            if current:
                paragraphs.append(current)
                current = ""
            continue
        current += line
        if re.search(r"[。！？!?；…”」]$", line) or len(line) < 0.6 * width:
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return paragraphs


def draft_fields(name: str, text: str, kind: str = "story") -> dict:
    """A draft's fields from an imported text: a short first line becomes the title, the rest the body;
    Markdown front matter, if any, is dropped (the form holds the fields)."""
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    paragraphs = [p.strip().lstrip("#").strip() for p in text.split("\n\n") if p.strip()]
    title = Path(name).stem
    if paragraphs and len(paragraphs[0]) <= TITLE_CHARS and not re.search(r"[。！？]$", paragraphs[0]):
        title, paragraphs = paragraphs[0], paragraphs[1:]
    summary = next((s for s in re.findall(r"[^。！？]*[。！？]", paragraphs[0] if paragraphs else "")), "")
    return {
        "id": "", "kind": kind, "title": title[:TITLE_CHARS], "person": "", "honours": "", "employer": "", "industry": "",
        "region": "重庆", "year": "", "themes": [], "summary": summary.strip(), "lesson": "", "questions": "",
        "source": f"培训师导入：{Path(name).name}", "body": "\n\n".join(paragraphs),
    }
