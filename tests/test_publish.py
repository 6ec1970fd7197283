"""make publish: the deploy folder is complete. It is generated offline and
served with Datasette exactly as its Dockerfile would serve it."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from conftest import free_port, wait_until_serving

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
                 "plugins/entanglement_publication.py", "plugins/limits.py", "templates/row.html"):
        assert (deploy / name).exists(), name
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


def test_deploy_folder_serves_as_its_dockerfile_says(deploy):
    cmd_line = next(line for line in (deploy / "Dockerfile").read_text().splitlines() if line.startswith("CMD "))
    port = free_port()
    argv = shlex.split(cmd_line[4:].replace("$PORT", str(port)).replace("0.0.0.0", "127.0.0.1"))
    assert argv[0] == "datasette"
    argv[0] = str(BIN / "datasette")
    server = subprocess.Popen(argv, cwd=deploy, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base, server)
        home = httpx.get(base + "/")
        assert home.status_code == 200 and "Entanglement" in home.text
        assert "juarez" not in home.text.lower()
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
    finally:
        server.terminate()
        server.wait(timeout=10)
