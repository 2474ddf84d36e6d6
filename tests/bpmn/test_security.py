"""Hostile BPMN files are refused or harmless: entity bombs, external entities, huge files."""

from __future__ import annotations

import http.server
import threading

import pytest

from flowmap.errors import LoadError
from flowmap.loaders.bpmn import load_bpmn

from .helpers import bpmn

TASK = '<bpmn:process id="p"><bpmn:task id="t" name="&x;"/></bpmn:process>'


def _with_doctype(doctype: str, body: str = TASK) -> str:
    text = bpmn(body)
    head, rest = text.split("\n", 1)
    return f"{head}\n{doctype}\n{rest}"


def _refused(tmp_path, text: str, code: str = "entity-declaration") -> LoadError:
    path = tmp_path / "hostile.bpmn"
    path.write_text(text, encoding="utf-8")
    # Refused on sight of the declaration, before anything is expanded or fetched (no timing
    # here: a wall-clock limit inside a parallel test run measures the machine's load).
    with pytest.raises(LoadError) as caught:
        load_bpmn(path)
    assert caught.value.problems[0].code == code
    return caught.value


def test_billion_laughs(tmp_path):
    entities = ['<!ENTITY x0 "lol">'] + [
        f'<!ENTITY x{i} "{f"&x{i - 1};" * 10}">' for i in range(1, 10)
    ]
    entities.append('<!ENTITY x "&x9;">')
    error = _refused(tmp_path, _with_doctype(f"<!DOCTYPE definitions [{''.join(entities)}]>"))
    assert "entities" in error.problems[0].message and error.problems[0].location.line == 2


def test_quadratic_blowup(tmp_path):
    big = "A" * 100_000
    body = '<bpmn:process id="p"><bpmn:task id="t" name="' + "&x;" * 5_000 + '"/></bpmn:process>'
    _refused(tmp_path, _with_doctype(f'<!DOCTYPE definitions [<!ENTITY x "{big}">]>', body))


def test_external_file_entity(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    error = _refused(
        tmp_path, _with_doctype(f'<!DOCTYPE definitions [<!ENTITY x SYSTEM "file://{secret}">]>')
    )
    assert "TOP-SECRET" not in str(error)


@pytest.fixture
def http_server():
    """A local HTTP server that records every request it gets."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'<!ENTITY x "PWNED">')

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()


def test_external_http_entity_is_never_fetched(tmp_path, http_server):
    url, hits = http_server
    _refused(tmp_path, _with_doctype(f'<!DOCTYPE definitions [<!ENTITY x SYSTEM "{url}/entity">]>'))
    assert hits == []


def test_external_dtd_is_refused_and_never_fetched(tmp_path, http_server):
    url, hits = http_server
    body = '<bpmn:process id="p"><bpmn:task id="t" name="T"/></bpmn:process>'
    for doctype in (
        f'<!DOCTYPE definitions SYSTEM "{url}/x.dtd">',
        f'<!DOCTYPE definitions PUBLIC "-//X//Y" "{url}/y.dtd">',
        f'<!DOCTYPE definitions SYSTEM "file://{tmp_path}/z.dtd">',
    ):
        _refused(tmp_path, _with_doctype(doctype, body), code="external-dtd")
    assert hits == []


def test_bare_doctype_is_harmless(tmp_path):
    path = tmp_path / "bare.bpmn"
    body = '<bpmn:process id="p"><bpmn:task id="t" name="T"/></bpmn:process>'
    path.write_text(_with_doctype("<!DOCTYPE definitions>", body))
    assert load_bpmn(path).step("t").name == "T"


def test_parameter_entity_to_the_network(tmp_path, http_server):
    url, hits = http_server
    _refused(
        tmp_path,
        _with_doctype(f'<!DOCTYPE definitions [<!ENTITY % remote SYSTEM "{url}/p.dtd"> %remote;]>'),
    )
    assert hits == []


def test_entity_declarations_in_utf16_are_refused(tmp_path):
    path = tmp_path / "utf16.bpmn"
    text = _with_doctype('<!DOCTYPE definitions [<!ENTITY x "boom">]>')
    path.write_bytes(text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"))
    with pytest.raises(LoadError) as caught:
        load_bpmn(path)
    assert caught.value.problems[0].code == "entity-declaration"


def test_huge_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.bpmn"
    body = "".join(f'<bpmn:task id="t{i}" name="Task {i}"/>' for i in range(20_000))
    path.write_text(bpmn(f'<bpmn:process id="p">{body}</bpmn:process>'))
    size = path.stat().st_size
    with pytest.raises(LoadError) as caught:
        load_bpmn(path, max_bytes=size // 2)
    assert caught.value.problems[0].code == "too-large"
    assert "MiB" in caught.value.problems[0].message
    assert len(load_bpmn(path, max_bytes=size).steps) == 20_000


def test_deep_nesting_is_refused(tmp_path):
    # libxml2's default depth limit (huge_tree off) stops pathological nesting
    depth = 20_000
    body = (
        '<bpmn:process id="p">'
        + "<bpmn:extensionElements>" * depth
        + "</bpmn:extensionElements>" * depth
        + "</bpmn:process>"
    )
    path = tmp_path / "deep.bpmn"
    path.write_text(bpmn(body))
    with pytest.raises(LoadError) as caught:
        load_bpmn(path)
    assert caught.value.problems[0].code == "xml-syntax"
