from django.apps import AppConfig


class AgendasConfig(AppConfig):
    name = "agendas"
    verbose_name = "Alignment agendas"

    def ready(self):
        # Every process that can change content (web workers and management commands such
        # as the importers) keeps derived data current and cached pages fresh.
        from agendas import changes

        changes.connect()
