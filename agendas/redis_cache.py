"""Django's Redis cache backend, reusing one client per connection pool, with a fast read
of one integer for the page cache's generation.

Django's RedisCacheClient.get_client() builds a new redis.Redis object for every cache call
(it wraps the shared connection pool, so no connection is opened, but the constructor fills
a table of some 170 response callbacks each time). A page-cache hit makes one or two cache
calls, and that construction was about a third of the hit's cost, which is what decides
whether a cached page keeps up with a static file (docs/performance.md). A redis.Redis
client is safe to share between threads: it takes a connection from the pool per command.
"""

import os

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)
            client = self._clients[index] = self._client(connection_pool=pool)
        return client


class ReusedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self._connection, self._connection_pid = None, None

    def get_int(self, key, version=None):
        """An integer stored by set(), add() or incr(), or None when the key is missing.

        Every page-cache hit reads the content generation, and through redis-py's client
        that read cost 140 us of CPU (connection pool checks, retries, event dispatch), half
        of what a hit costs beyond serving a static file (docs/performance.md). This sends
        the one GET on a connection of its own, built by redis-py from the pool's
        own settings: 80 us. Errors are raised as from get(); the connection is then
        dropped and the next call opens a new one.
        """
        key = self.make_and_validate_key(key, version=version)
        connection = self._own_connection()
        try:
            connection.send_command("GET", key)
            value = connection.read_response()
        except BaseException:
            connection.disconnect()
            raise
        return None if value is None else int(value)  # Django stores integers as such

    def _own_connection(self):
        # Django makes one cache object per thread; the pid check keeps a forked worker
        # from sharing its parent's socket.
        if self._connection is None or self._connection_pid != os.getpid():
            pool = self._cache._get_connection_pool(write=False)
            self._connection = pool.connection_class(**pool.connection_kwargs)
            self._connection_pid = os.getpid()
        return self._connection
