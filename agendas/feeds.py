from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from agendas.models import Critique


class LatestCritiquesFeed(Feed):
    feed_type = Atom1Feed
    title = "Alignment Agendas: latest critiques"
    subtitle = "Published critiques of AI-alignment research agendas."

    def link(self):
        return reverse("agendas:home")

    def items(self):
        return Critique.objects.latest_published()[:50]

    def item_title(self, item):
        return f"{item.title} ({item.agenda.name})"

    def item_description(self, item):
        return item.body

    def item_link(self, item):
        return item.agenda.get_absolute_url() + f"#critique-{item.slug}"
