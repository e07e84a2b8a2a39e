"""render_markdown is memoised on its text; the cache must never skip the sanitiser."""

import pytest

from agendas.markdown import CACHE_SIZE, render_markdown


@pytest.fixture(autouse=True)
def empty_cache():
    render_markdown.cache_clear()
    yield
    render_markdown.cache_clear()


def test_a_repeated_text_is_served_from_the_cache_with_identical_output():
    text = "Some *emphasis* and a [link](https://example.org/)."
    first = render_markdown(text)
    second = render_markdown(text)
    assert second == first
    assert first == (
        "<p>Some <em>emphasis</em> and a "
        '<a href="https://example.org/" rel="nofollow noopener">link</a>.</p>'
    )
    info = render_markdown.cache_info()
    assert (info.hits, info.misses) == (1, 1)


def test_a_script_payload_is_removed_on_the_first_and_the_cached_call():
    text = (
        'Fine text.<script>alert("x")</script> <img src=x onerror=alert(1)> '
        "[a](javascript:alert(1))"
    )
    for _ in range(2):
        html = render_markdown(text)
        assert html == '<p>Fine text.  <a rel="nofollow noopener">a</a></p>'
        assert "<script" not in html and "alert" not in html and "javascript:" not in html
    assert render_markdown.cache_info().hits == 1


def test_different_texts_get_different_output():
    assert render_markdown("**bold**") == "<p><strong>bold</strong></p>"
    assert render_markdown("*slanted*") == "<p><em>slanted</em></p>"
    assert render_markdown.cache_info().misses == 2


def test_empty_input_renders_nothing():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""


def test_the_cache_is_bounded():
    assert render_markdown.cache_info().maxsize == CACHE_SIZE
    for n in range(CACHE_SIZE + 10):
        render_markdown(f"text {n}")
    assert render_markdown.cache_info().currsize == CACHE_SIZE
