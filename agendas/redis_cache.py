"""Django's Redis cache backend, reusing one client per connection pool.

Django's RedisCacheClient.get_client() builds a new redis.Redis object for every cache call
(it wraps the shared connection pool, so no connection is opened, but the constructor fills
a table of some 170 response callbacks each time). A page-cache hit makes one or two cache
calls, and that construction was about a third of the hit's cost, which is what decides
whether a cached page keeps up with a static file (docs/performance.md). A redis.Redis
client is safe to share between threads: it takes a connection from the pool per command.
"""

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
