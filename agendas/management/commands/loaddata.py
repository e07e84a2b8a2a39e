"""Django's loaddata, with what follows every write done once for the whole load.

Fixture rows arrive one raw save at a time; agendas/changes.py would otherwise recompute
stored scores and bump the page cache after each rating. Inside changes.batch() it does
both once, when the load ends.
"""

from django.core.management.commands import loaddata

from agendas import changes


class Command(loaddata.Command):
    def handle(self, *fixture_labels, **options):
        with changes.batch():
            return super().handle(*fixture_labels, **options)
