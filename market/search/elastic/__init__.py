"""The Elasticsearch backend of ``market.search``, chosen when ELASTICSEARCH_URL is set.

``documents`` (what is stored), ``analysis`` (how text is read), ``queries`` (the bodies that
search, count, match and percolate), ``backend`` (``ElasticsearchBackend``), ``percolator``
(saved searches as stored queries), ``connection`` (the client); index lifecycle and live
indexing are in ``indices`` and ``sync``. See docs/elasticsearch.md.
"""
