from django.apps import AppConfig


class AgendasConfig(AppConfig):
    name = "agendas"
    verbose_name = "Alignment agendas"

    def ready(self):
        # Every process that can change content (web workers and management commands such
        # as the importers) must make cached pages stale when it does.
        from agendas import caching

        caching.connect_signals()
