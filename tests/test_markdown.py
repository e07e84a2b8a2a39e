"""render_markdown: CommonMark through cmark-gfm, then nh3's allow-list."""

from agendas.markdown import render_markdown


def test_it_renders_emphasis_and_links_with_nofollow():
    text = "Some *emphasis* and a [link](https://example.org/)."
    assert render_markdown(text) == (
        "<p>Some <em>emphasis</em> and a "
        '<a href="https://example.org/" rel="nofollow noopener">link</a>.</p>\n'
    )


def test_it_removes_scripts_handlers_and_javascript_links():
    text = (
        'Fine text.<script>alert("x")</script> <img src=x onerror=alert(1)> '
        "[a](javascript:alert(1))"
    )
    html = render_markdown(text)
    # The tags go; what stood between them stays, as inert text.
    assert "<script" not in html and "javascript:" not in html
    assert "<img" not in html and "onerror" not in html
    assert "Fine text." in html


def test_different_texts_get_different_output():
    assert render_markdown("**bold**") == "<p><strong>bold</strong></p>\n"
    assert render_markdown("*slanted*") == "<p><em>slanted</em></p>\n"


def test_empty_input_renders_nothing():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""
