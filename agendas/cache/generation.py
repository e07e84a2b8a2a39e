"""The content generation: one number every content change bumps, part of every page key."""

import logging
import time

from django.core.cache import cache
from django.db import connections, transaction

logger = logging.getLogger(__name__)

GENERATION_KEY = "content-generation"


def current_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # Start from the clock, not 1: if the key is evicted while pages survive, a fresh
        # start must not land on an old generation and revive its pages.
        cache.add(GENERATION_KEY, time.time_ns() // 1000, timeout=None)
        generation = cache.get(GENERATION_KEY)
    return int(generation)


def bump_generation() -> None:
    """Make every cached page stale. Safe to call often; failures are logged, not raised."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # the key is missing: any fresh generation will do
        current_generation()
    except Exception:
        logger.exception("Could not bump the page-cache generation")


def bump_after_write(using: str | None = None) -> None:
    """Bump now and again once the transaction commits.

    The second bump matters: a request that reads while the transaction is still open sees
    the old rows and could cache them under the first bumped generation.
    """
    bump_generation()
    if connections[using or "default"].in_atomic_block:
        transaction.on_commit(bump_generation, using=using, robust=True)
