"""make publish: the deploy folder is complete. It is generated offline and
served with Datasette exactly as its Dockerfile would serve it."""

from __future__ import annotations

import re
from html import unescape
import shlex
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from conftest import free_port, query_files, wait_until_serving

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def deploy(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("dist") / "deploy"
    result = subprocess.run([str(BIN / "entanglement"), "publish", "--root", str(ROOT), "--generate-dir", str(folder),
                             "--setting", "sql_time_limit_ms", "1000", "--setting", "max_returned_rows", "1000"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return folder


def test_deploy_folder_has_everything(deploy):
    for name in ("Dockerfile", "fly.toml", "entanglement.db", "metadata.json", "inspect-data.json",
                 "plugins/datasette_patches.py", "plugins/limits.py", "templates/row.html",
                 "plugins/pages_compare.py", "templates/index.html", "templates/pages/compare.html"):
        assert (deploy / name).exists(), name
    # every plugin file, and the package they share (plugins/entanglement_shared/)
    for path in (ROOT / "plugins").rglob("*.py"):
        relative = path.relative_to(ROOT)
        assert (deploy / relative).read_bytes() == path.read_bytes(), relative
    # the canned queries, where plugins/canned_queries.py looks for them (redacted: see below)
    assert sorted(p.name for p in (deploy / "schema" / "queries").iterdir()) == \
        sorted(p.name for p in (ROOT / "schema" / "queries").glob("*.sql"))
    dockerfile = (deploy / "Dockerfile").read_text()
    assert re.search(r"pip install .*datasette-vega", dockerfile)
    assert "datasette-block-robots" in dockerfile and "datasette~=0.65.0" in dockerfile
    assert " -i entanglement.db " in dockerfile  # immutable, so it can be downloaded and cached
    assert "--setting sql_time_limit_ms 1000" in dockerfile


def test_deploy_folder_carries_the_public_profile(deploy):
    import sqlite3
    conn = sqlite3.connect(deploy / "entanglement.db")
    assert conn.execute("select value from build_info where key = 'profile'").fetchone() == ("public",)
    text = (deploy / "metadata.json").read_text(encoding="utf-8").lower()
    assert "juarez" not in text and "case-subject-a" in text
    queries = " ".join(p.read_text(encoding="utf-8") for p in (deploy / "schema" / "queries").glob("*.sql")).lower()
    assert "juarez" not in queries and "case_timeline?case=case-subject-a" in queries


@pytest.fixture(scope="module")
def deployed(deploy):
    """The deploy folder served as its Dockerfile says, on a free loopback port."""
    cmd_line = next(line for line in (deploy / "Dockerfile").read_text().splitlines() if line.startswith("CMD "))
    port = free_port()
    argv = shlex.split(cmd_line[4:].replace("$PORT", str(port)).replace("0.0.0.0", "127.0.0.1"))
    assert argv[0] == "datasette"
    argv[0] = str(BIN / "datasette")
    server = subprocess.Popen(argv, cwd=deploy, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base, server)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_deploy_folder_serves_as_its_dockerfile_says(deploy, deployed):
    base = deployed
    home = httpx.get(base + "/")
    assert home.status_code == 200 and "Entanglement" in home.text
    assert "juarez" not in home.text.lower()
    database = httpx.get(f"{base}/entanglement.json").json()
    assert [q["name"] for q in database["queries"]] == list(query_files())
    timeline = httpx.get(f"{base}/entanglement/case_timeline.json?case=case-subject-a&_shape=objects").json()
    assert len(timeline["rows"]) >= 5
    robots = httpx.get(f"{base}/robots.txt").text
    assert "Disallow: /*?sql=" in robots
    download = httpx.get(f"{base}/entanglement.db")
    assert download.status_code == 200 and download.content == (deploy / "entanglement.db").read_bytes()
    assert download.headers["cache-control"].startswith("public")
    hostile = httpx.get(f"{base}/entanglement.json",
                        params={"sql": "select length(randomblob(2000000000))"}, timeout=30)
    assert hostile.status_code == 400 and "too big" in hostile.text


def page_words(html: str) -> str:
    """The words a reader sees on a page: no tags, scripts or styles; entities decoded."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", text)).split())


def test_public_pages_to_look_at_hold_no_redacted_name_and_no_protected_paragraph(deploy, deployed):
    """The home page, the data-flow map, every comparison of two sources and every person's and
    organization's page, as the public deployment serves them."""
    import sqlite3

    from test_public_profile import protected_texts, secret_strings
    conn = sqlite3.connect(deploy / "entanglement.db")
    sources = [s for (s,) in conn.execute("select id from sources order by id")]
    pages = ["/", "/entanglement/flow-map", "/entanglement/compare"]
    pages += [f"/entanglement/compare?copy={a}&against={b}" for a in sources for b in sources if a != b]
    pages += [f"/entanglement/people/{p}" for (p,) in conn.execute("select id from people")]
    pages += [f"/entanglement/organizations/{o}" for (o,) in conn.execute("select id from organizations")]
    pages += [f"/entanglement/sources/{s}" for s in sources]
    window = 51
    shingles = set()
    for text in protected_texts().values():
        words = text.split()
        shingles.update(" ".join(words[i:i + window]) for i in range(len(words) - window + 1))
    secrets = [s.lower() for s in secret_strings()]
    compared_whole = 0
    for path in pages:
        response = httpx.get(deployed + path, timeout=30)
        assert response.status_code == 200, path
        text = page_words(response.text)
        lowered = text.lower()
        for secret in secrets:
            assert secret not in lowered, (path, secret)
        words = text.split()
        for i in range(len(words) - window + 1):
            assert " ".join(words[i:i + window]) not in shingles, path
        compared_whole += "Passage by passage" in text
    # the pages were really filled: the showcase shows excerpts, and the one text that may be
    # published whole (the coalition's press release) still has no partner to be compared with whole
    showcase = page_words(httpx.get(deployed + "/entanglement/compare").text)
    assert "McDonald" in showcase and "may not be published here" in showcase
    assert compared_whole == 0
