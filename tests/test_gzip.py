"""gzip with cached parts compressed once: every answer still unpacks to exactly itself."""

import gzip

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from backcare.gzip import SMALLEST_PART, joined, packed

text = st.text(alphabet=st.characters(codec="utf-8"), max_size=3000)


@given(around=st.lists(text, min_size=1, max_size=4), parts=st.lists(text, max_size=3))
def test_an_answer_with_its_parts_taken_packed_unpacks_to_itself(around, parts):
    pieces = [around[0]]
    for index, part in enumerate(parts):
        pieces += [part, around[(index + 1) % len(around)]]
    content = "".join(pieces).encode()
    packed_parts = [(part, packed(part)) for part in parts]
    assert gzip.decompress(joined(content, packed_parts, 100)) == content


def test_a_part_not_in_the_answer_or_overlapping_another_is_compressed_with_the_rest():
    content = ("a" * 5000 + "b" * 5000).encode()
    parts = [("c" * 3000, packed("c" * 3000)), ("a" * 4000, packed("a" * 4000))]
    parts.append(("a" * 3000 + "b" * 10, packed("a" * 3000 + "b" * 10)))
    assert gzip.decompress(joined(content, parts, 100)) == content


def test_the_header_carries_a_name_of_random_length_as_djangos_own_does():
    content = b"x" * 5000
    answers = [joined(content, [], 100) for _ in range(20)]
    assert all(answer[3] == gzip.FNAME for answer in answers)
    assert len({len(answer) for answer in answers}) > 1  # another length each time
    assert all(gzip.decompress(answer) == content for answer in answers)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        reverse("programs:library"),
        reverse("programs:library") + "?kind=stretch",
        reverse("programs:programs"),
        reverse("programs:program", args=["desk-break"]),
    ],
)
def test_cached_pages_sent_gzipped_unpack_to_the_page(library, client, url):
    plain = client.get(url).content.decode()  # fills the cache
    response = client.get(url, headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    page = gzip.decompress(response.content).decode()
    assert page.endswith("</html>\n")
    body = page.split('<main id="main"')[1]
    assert body == plain.split('<main id="main"')[1]  # all below the per-request header
    assert len(response.content) < len(page.encode()) / 2


@pytest.mark.django_db
def test_a_large_part_is_compressed_about_as_well_as_the_whole(library, client):
    url = reverse("programs:library")
    client.get(url)
    response = client.get(url, headers={"accept-encoding": "gzip"})
    page = gzip.decompress(response.content)
    assert len(page) > 10 * SMALLEST_PART
    assert len(response.content) < len(gzip.compress(page)) * 1.05
