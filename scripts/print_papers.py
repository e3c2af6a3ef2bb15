#!/usr/bin/env python3
"""Print every paper rsguide makes to PDF with headless Chromium and count the pages.

    .venv/bin/python scripts/print_papers.py [--out DIR] [--date 2026-12-01] [--items 1,4,19] [--fit-sizes]

Prints, from the packaged knowledge base (or --data DIR):

- the one-time notice (一次性告知单) of every item with default options — expected: 1 page each;
- the 容缺 notice of every item on the 容缺办理事项清单 (``--missing`` the listed material) — 1 page each;
- every kind of written notice ``rsguide check --document`` writes, on real items: 受理通知书,
  容缺受理通知书 + 容缺受理承诺书, 补正材料通知书, 不予受理通知书 — one page per copy (申请人留存 and
  窗口存档), so 2 pages, and 4 with the 承诺书.

Prints one line per paper (file, pages, expected) and a summary; ``--fit-sizes`` also reads the
font size the page's fit-to-page script settled on (a second Chromium run per paper).
Exit codes: 0 every paper has its expected page count; 1 some do not; 3 no Chromium found.
Environment: CHROMIUM (the browser; default chromium, chromium-browser, google-chrome).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
    "--no-default-browser-check",
    "--disable-extensions",
    "--no-pdf-header-footer",
    "--print-to-pdf-no-header",
)


@dataclass(frozen=True)
class Paper:
    """One page (or print job) to print."""

    name: str
    kind: str
    html: str
    expected: int


def find_chromium() -> str | None:
    """The browser: $CHROMIUM, or the first of chromium, chromium-browser, google-chrome on PATH."""
    env = os.environ.get("CHROMIUM")
    if env:
        return env
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def papers(data: str | None, day: dt.date, items: set[int] | None) -> Iterator[Paper]:
    """Every notice and document kind, rendered to HTML."""
    from rsguide.check.checker import check
    from rsguide.output.documents import build_document, render_document
    from rsguide.output.notice import build_notice, render_notice
    from rsguide.session import Session

    s = Session(data, use_cache=False)
    kb = s.kb
    for item in kb.items:
        if items and item.number not in items:
            continue
        n = build_notice(kb, s.index, str(item.number), date=day)
        yield Paper(f"notice-{item.number:02d}", "一次性告知单", render_notice(n, "html"), 1)
    for row in kb.tolerated:
        if row.item is None or (items and row.item not in items):
            continue
        n = build_notice(kb, s.index, str(row.item), missing=[row.material], date=day)
        yield Paper(f"notice-{row.item:02d}-rongque", "一次性告知单（容缺）", render_notice(n, "html"), 1)
    cases: list[tuple[str, str, dict[str, object]]] = [
        ("doc-ok-32", "32", {}),
        ("doc-ok-01", "1", {"case": "用工备案", "when": ["首次备案"]}),
        ("doc-tolerated-14", "14", {"missing": ["身份证复印件"]}),
        ("doc-tolerated-17", "17", {"missing": ["人力资源服务公司章程和管理制度"]}),
        ("doc-tolerated-training", "免费职业技能培训报名", {"missing": ["就业创业证"], "situations": ["无"]}),
        ("doc-incomplete-01", "1", {"case": "用工备案", "when": ["首次备案"], "have": ["劳动合同"]}),
        ("doc-incomplete-10", "10", {"case": "转出", "when": ["代办"], "missing": ["委托书"]}),
        ("doc-prohibited-18", "18", {"situations": ["外省市评审的职称证书"]}),
        ("doc-prohibited-19", "19", {"situations": ["提供非全日制学历"]}),
    ]
    for name, subject, options in cases:
        v = check(kb, s.index, subject, date=day, **options)  # type: ignore[arg-type]
        if v.verdict == "unconfirmed":  # a verdict that writes no paper (待确认)
            continue
        doc = build_document(kb, v)
        pages = len(doc.copies) * (2 if doc.commitment else 1)
        yield Paper(name, doc.title, render_document(doc, "html"), pages)


def print_pdf(browser: str, html_file: Path, pdf_file: Path) -> None:
    """Print one page to PDF with a fresh profile."""
    with tempfile.TemporaryDirectory(prefix="rsguide-chromium-") as profile:
        cmd = [browser, *FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={pdf_file}", html_file.as_uri()]
        subprocess.run(cmd, capture_output=True, timeout=120, check=False)
    if not pdf_file.is_file() or pdf_file.stat().st_size == 0:
        raise RuntimeError(f"Chromium 没有写出 {pdf_file}")


def fit_size(browser: str, html_file: Path) -> str:
    """The font size (pt) the page's fit script chose, from the DOM after scripts ran."""
    with tempfile.TemporaryDirectory(prefix="rsguide-chromium-") as profile:
        cmd = [browser, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", html_file.as_uri()]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False).stdout
    m = re.search(r'data-fit-pt="([0-9.]+)"', out)
    return m.group(1) if m else "?"


def count_pages(pdf_file: Path) -> int:
    """Pages of a PDF: pypdf where installed, else pdfinfo (poppler-utils)."""
    try:
        from pypdf import PdfReader
    except ImportError:
        out = subprocess.run(["pdfinfo", str(pdf_file)], capture_output=True, text=True, check=True).stdout
        m = re.search(r"^Pages:\s+(\d+)", out, flags=re.M)
        if not m:
            raise RuntimeError(f"pdfinfo 读不出 {pdf_file} 的页数") from None
        return int(m.group(1))
    return len(PdfReader(str(pdf_file)).pages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="把全部告知单和文书用 Chromium 打印成 PDF 并统计页数")
    parser.add_argument("--out", help="PDF 输出目录（默认：临时目录，结束后删除）")
    parser.add_argument("--data", help="知识库目录（默认：内置）")
    parser.add_argument("--date", default="2026-12-01", help="告知/受理日期（默认 2026-12-01）")
    parser.add_argument("--items", help="只打印这些事项的告知单，如 1,4,19（文书照常）")
    parser.add_argument("--fit-sizes", action="store_true", help="同时读出每页缩放后的字号")
    args = parser.parse_args(argv)

    browser = find_chromium()
    if browser is None:
        print("print_papers：没有安装 Chromium（apt-get install chromium），无法打印", file=sys.stderr)
        return 3
    day = dt.date.fromisoformat(args.date)
    items = {int(x) for x in args.items.split(",")} if args.items else None
    keep = args.out is not None
    out = Path(args.out) if keep else Path(tempfile.mkdtemp(prefix="rsguide-papers-"))
    out.mkdir(parents=True, exist_ok=True)
    wrong: list[str] = []
    total = 0
    try:
        for paper in papers(args.data, day, items):
            html_file = out / f"{paper.name}.html"
            pdf_file = out / f"{paper.name}.pdf"
            html_file.write_text(paper.html, encoding="utf-8")
            print_pdf(browser, html_file, pdf_file)
            pages = count_pages(pdf_file)
            total += 1
            size = f"\t字号 {fit_size(browser, html_file)}pt" if args.fit_sizes else ""
            flag = "" if pages == paper.expected else "\t← 页数不对"
            print(f"{paper.name}\t{paper.kind}\t{pages} 页（应为 {paper.expected}）{size}{flag}", flush=True)
            if pages != paper.expected:
                wrong.append(paper.name)
    finally:
        if not keep:
            shutil.rmtree(out, ignore_errors=True)
    print(f"共 {total} 份，页数不对 {len(wrong)} 份" + (f"：{'、'.join(wrong)}" if wrong else ""))
    if keep:
        print(f"PDF 在 {out}")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
