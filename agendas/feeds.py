"""Atom feeds of published critiques: the whole site, and one per agenda.

Each entry carries the critique's body as <content type="html">: the sanitised HTML stored
when it was written (the same as the critique page shows; no request renders Markdown),
dated by when an editor published it.
Drafts and rejected critiques never appear: items come from Critique.objects.published().
"""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.xmlutils import SimplerXMLGenerator

from agendas.models import Agenda, Critique
from agendas.models.base import without_control_characters

FEED_LENGTH = 50


class HtmlTitlesXMLGenerator(SimplerXMLGenerator):
    """Writes titles and subtitles as escaped HTML (type="html") rather than Atom's default
    plain text: some feed readers render plain-text titles as HTML anyway, and names here
    are user-written, so a title like "<img onerror=...>" must arrive as inert text.

    It also drops control characters from all text and attributes: XML 1.0 cannot carry
    them (the generator refuses them, failing the whole feed), and fields refuse them only
    since migration 0019, which removed those already stored; a row written past the
    validators (raw SQL) still cannot break the feed."""

    def addQuickElement(self, name, contents=None, attrs=None):
        if name in ("title", "subtitle") and contents is not None:
            contents, attrs = escape(contents), {**(attrs or {}), "type": "html"}
        super().addQuickElement(name, contents, attrs)

    def characters(self, content):
        super().characters(without_control_characters(content))

    def startElement(self, name, attrs):
        super().startElement(
            name, {key: without_control_characters(value) for key, value in attrs.items()}
        )


class CritiqueAtomFeed(Atom1Feed):
    """Atom1Feed writes only a <summary>; we also give the whole critique as <content>."""

    def write(self, outfile, encoding):
        # Atom1Feed.write, with our generator.
        handler = HtmlTitlesXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content_html"], {"type": "html"})
        # Atom's term identifies a category, its label is for readers: a slug and a name.
        for term, label in item["labelled_categories"]:
            handler.addQuickElement("category", "", {"term": term, "label": label})


class LatestCritiquesFeed(Feed):
    feed_type = CritiqueAtomFeed
    title = "Alignment Agendas: latest critiques"
    subtitle = "Critiques of AI-alignment research agendas, as editors publish them."
    author_name = "Alignment Agendas editors"

    def link(self):
        return reverse("agendas:critique_list")

    def feed_url(self):
        return reverse("agendas:critiques_feed")

    def items(self):
        return Critique.objects.latest_published()[:FEED_LENGTH]

    def item_title(self, item):
        return f"{item.title} ({item.agenda.name})"

    def item_description(self, item):
        summary = (
            f"{item.get_severity_display()} {item.get_kind_display().lower()} critique "
            f"of {item.agenda.name}, argued by {item.author}."
        )
        return escape(summary)  # Atom type="html": plain text must not be read as markup

    def item_extra_kwargs(self, item):
        return {
            "content_html": item.body_html,
            "labelled_categories": [
                (item.kind, item.get_kind_display()),
                (item.agenda.slug, item.agenda.name),
            ],
        }

    def item_link(self, item):
        return item.get_absolute_url()

    def item_author_name(self, item):
        # Atom names are plain text with no type="html" escape hatch, and some readers
        # render them as HTML: a credited name never needs angle brackets, so drop them.
        return item.author.replace("<", "").replace(">", "")

    def item_pubdate(self, item):
        return item.reviewed_at

    def item_updateddate(self, item):
        return item.reviewed_at


class AgendaCritiquesFeed(LatestCritiquesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Agenda, slug=slug)

    def title(self, agenda):
        return f"Alignment Agendas: critiques of {agenda.name}"

    def subtitle(self, agenda):
        return f"Published critiques of {agenda.name}: {agenda.summary}"

    def link(self, agenda):
        return agenda.get_absolute_url()

    def feed_url(self, agenda):
        return reverse("agendas:agenda_critiques_feed", args=[agenda.slug])

    def items(self, agenda):
        return Critique.objects.latest_published().filter(agenda=agenda)[:FEED_LENGTH]
