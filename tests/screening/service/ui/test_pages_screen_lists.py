"""The screen page (a name, a payment message) and the lists page (status, diff), over HTTP."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from screening.service.app import create_app
from screening.store import ListStore
from screening.workflow.users import Users
from tests.screening.service.server import serving
from tests.screening.service.ui.pages_support import (
    ANALYST,
    PASSWORD,
    SCRIPT_NAME,
    Page,
    Site,
    WebClient,
    signed_in,
)

# An MT103 whose beneficiary (:59:) is the listed "PETROV, Ivan" (ofac_sdn 90002).
MT103 = (
    "{1:F01BANKBEBBAXXX0000000000}{2:I103BANKDEFFXXXXN}{4:\r\n"
    ":20:REF1\r\n:23B:CRED\r\n:32A:240131EUR1000,50\r\n:50K:/12345\r\nERIKA MUSTERMANN\r\n"
    "BERLIN\r\n:59:/DE89370400440532013000\r\nIVAN PETROV\r\nMOSCOW\r\n:71A:SHA\r\n-}"
)


@pytest.fixture(scope="module")
def client(pages_site: Site) -> WebClient:
    return signed_in(pages_site.base, ANALYST)


def _screen(client: WebClient, **fields: str) -> Page:
    csrf = client.get("/ui/screen").csrf()
    return client.post("/ui/screen", {"csrf_token": csrf, "schema": "any", **fields})


def _hit_rows(page: Page) -> list[tuple[str, str, str]]:
    return re.findall(
        r'<th scope="row"><a href="#hit-\d+">(.*?)</a></th>\s*<td>(.*?)</td>\s*<td>(.*?)</td>',
        page.text,
    )


def test_screening_a_name_shows_explained_hits(client: WebClient) -> None:
    page = _screen(client, name="Ivan Petrov", birth_date="1960", schema="person")
    assert page.status == 200
    assert "MATCH: “Ivan Petrov”, 1 hit" in page.text
    assert _hit_rows(page) == [("Ivan PETROV", "ofac_sdn", "90002")]
    assert re.search(r"<td>ivan</td>\s*<td>ivan</td>\s*<td>the same word</td>", page.text)
    assert "<li>Birth date added 0.02: birth year 1960 as listed.</li>" in page.text
    # The coalition timeline: only OFAC (US) lists the party; the fixture loads no other member.
    assert '<p class="timeline">Coalition: listed by US (date not given).</p>' in page.text
    nothing = _screen(client, name="Maria Gonzalez Lopez")
    assert "CLEAR: “Maria Gonzalez Lopez”, 0 hits" in nothing.text
    assert 'id="hits"' not in nothing.text


def test_screened_and_listed_script_names_render_as_text(client: WebClient) -> None:
    screened = _screen(client, name="<script>alert(1)</script>")
    assert screened.status == 200
    assert "<script>alert" not in screened.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in screened.text
    listed = _screen(client, name="script alert 2 trading")
    assert _hit_rows(listed) == [
        ("&lt;script&gt;alert(2)&lt;/script&gt; TRADING LLC", "ofac_sdn", "90001")
    ]
    assert "<script>alert" not in listed.text and SCRIPT_NAME not in listed.text


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "Ivan Petrov", "schema": "robot"}, "unknown type &#39;robot&#39;"),
        ({"name": "Ivan Petrov", "birth_date": "yesterday"}, "yesterday"),
        ({"name": "   "}, "name"),
    ],
)
def test_a_query_the_matcher_cannot_read_comes_back_with_the_reason(
    client: WebClient, fields: dict[str, str], message: str
) -> None:
    page = _screen(client, **fields)
    assert page.status == 400
    assert 'class="message" role="alert"' in page.text and message in page.text
    assert 'id="screen-form"' in page.text and 'id="hits"' not in page.text


def test_screening_a_payment_message(client: WebClient) -> None:
    csrf = client.get("/ui/screen").csrf()
    page = client.post("/ui/screen/payment", {"csrf_token": csrf, "message": MT103})
    assert page.status == 200
    assert "Payment screening: 1 transaction" in page.text
    assert "Transaction 1 (REF1): REVIEW, risk 30" in page.text
    row = re.search(r"<td>PARTY_SANCTIONS_HIT</td>.*?</tr>", page.text, re.DOTALL)
    assert row is not None
    assert "<td>:59: line 2</td>" in row.group(0)  # the message field it was found in
    assert "ofac_sdn:90002 Ivan PETROV" in row.group(0)
    garbage = client.post("/ui/screen/payment", {"csrf_token": csrf, "message": "<b>hello</b>"})
    assert garbage.status == 200
    assert "message: not an ISO 20022 or SWIFT MT message" in garbage.text
    assert "<b>hello" not in garbage.text


def test_screening_before_any_list_is_loaded_says_so(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'empty.db'}"
    Users(ListStore(db_url).engine).create(ANALYST, "analyst", PASSWORD)
    with serving(create_app(db_url, index_dir=tmp_path / "index")) as api:
        page = _screen(signed_in(api.base, ANALYST), name="Ivan Petrov")
    assert page.status == 503
    assert "no lists are loaded" in page.text


def test_the_lists_page_shows_versions_and_their_age(pages_site: Site, client: WebClient) -> None:
    page = client.get("/ui/lists")
    assert page.status == 200
    row = re.search(r'<th scope="row">ofac_sdn</th>.*?</tr>', page.text, re.DOTALL)
    assert row is not None
    cells = re.findall(r"<td>(.*?)</td>", row.group(0))
    assert cells[:3] == ["ofac", str(pages_site.versions[1]), "2026-02-01"]
    assert cells[-1] == "3"  # SECOND_ROWS: three entries
    assert 'id="diff-form"' in page.text and 'id="diff"' not in page.text


@pytest.mark.parametrize(
    "query", ["dataset=ofac_sdn", "dataset=ofac_sdn&from_version=1&to_version=2"]
)
def test_the_diff_between_two_versions(client: WebClient, query: str) -> None:
    page = client.get(f"/ui/lists/diff?{query}")
    assert page.status == 200
    diff = re.search(r'<section id="diff".*?</section>', page.text, re.DOTALL)
    assert diff is not None
    assert "Added 1, removed 1, changed 1." in diff.group(0)
    assert "<li>90004 Taras KOVALENKO</li>" in diff.group(0)
    assert "<li>90003 Olga SMIRNOVA</li>" in diff.group(0)
    assert "<summary>90002 Ivan PETROV</summary>" in diff.group(0)
    assert "programs: removed UKRAINE-EO13660" in diff.group(0)
    assert "programs: added RUSSIA-EO14024" in diff.group(0)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("dataset=", "Dataset: choose a list."),
        ("dataset=ofac_sdn&to_version=abc", "To version: &#39;abc&#39; is not a version number."),
        ("dataset=ofac_sdn&from_version=99&to_version=2", "no version 99 is stored"),
        ("dataset=nonsense", "nonsense"),
    ],
)
def test_a_diff_that_cannot_be_made_says_why(client: WebClient, query: str, message: str) -> None:
    page = client.get(f"/ui/lists/diff?{query}")
    assert page.status == 400
    assert message in page.text and 'id="diff-form"' in page.text
