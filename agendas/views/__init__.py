"""Views, one module per group of pages: pages (browse, agenda, compare, ...)."""
