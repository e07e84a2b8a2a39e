"""Whole-page cache for anonymous visitors, right by construction.

A cached page is served only to a request that would render the same bytes:
- its key (key.py) is a digest of the absolute URI (scheme, host, path and canonical query;
  the site has one language and one time zone) under the build id, a digest of the code,
  templates, static files and installed packages, so a deploy never serves pages rendered
  by the old code;
- it is stored with the content generation it was rendered in (generation.py), one
  site-wide number that every content change bumps, and served only while that is still
  the current generation. A hit reads both in one round trip (middleware.py).

Why coarse: a page shows rows from many tables, so working out which pages one edit touches
is error-prone. Instead every content change bumps the generation, and the next request
after any change renders afresh. Every write path bumps it through agendas/changes.py; as a
safety net any successful unsafe request by a signed-in user bumps it too (middleware.py).

The query string is made canonical before the view sees it: each view declares the query
parameters it reads with @reads_query (key.py); the others are dropped, blank ones too, the
rest sorted by name. A request whose query cannot be made canonical without changing what
the page would read (free text, a number written "007", a single-valued parameter given
twice) bypasses the cache: it is rendered, never stored. So is a host that is not literally
one of ALLOWED_HOSTS. Junk in the address can therefore not grow the cache.

The generation lives in Django's default cache, so it is shared by every process only when
that cache is shared (Redis, REDIS_URL). With the per-process local-memory cache a change
made in one process is invisible to the others, so page caching is off (CACHE_SECONDS=0)
when REDIS_URL is unset.

This package imports only Django and agendas.middleware: views import it, never the reverse.
"""
