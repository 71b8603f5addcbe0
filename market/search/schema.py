"""The database search index: created by migrations, kept in step by the database itself.

PostgreSQL: a generated ``tsvector`` column over the folded copies (weights title A, summary B,
keywords C, description D) with a GIN index, and a trigram index on the folded title.
SQLite: an FTS5 table over the same columns (``remove_diacritics 2``; đ is folded by the
application) with triggers. A migration that rebuilds ``market_listing`` on SQLite drops the
triggers: call ``install(schema_editor)`` again at its end (a test checks they exist).
"""

from __future__ import annotations

COLUMNS = ("search_title", "search_summary", "search_keywords", "search_body")
_COLS = ", ".join(COLUMNS)
_NEW = ", ".join(f"new.{column}" for column in COLUMNS)
_OLD = ", ".join(f"old.{column}" for column in COLUMNS)

SQLITE_INSTALL = [
    "DROP TABLE IF EXISTS market_listing_fts",
    f"CREATE VIRTUAL TABLE market_listing_fts USING fts5({_COLS}, content='market_listing', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "DROP TRIGGER IF EXISTS market_listing_fts_insert",
    "DROP TRIGGER IF EXISTS market_listing_fts_delete",
    "DROP TRIGGER IF EXISTS market_listing_fts_update",
    f"CREATE TRIGGER market_listing_fts_insert AFTER INSERT ON market_listing BEGIN "  # noqa: S608
    f"INSERT INTO market_listing_fts(rowid, {_COLS}) VALUES (new.id, {_NEW}); END",
    f"CREATE TRIGGER market_listing_fts_delete AFTER DELETE ON market_listing BEGIN "  # noqa: S608
    f"INSERT INTO market_listing_fts(market_listing_fts, rowid, {_COLS}) "
    f"VALUES ('delete', old.id, {_OLD}); END",
    f"CREATE TRIGGER market_listing_fts_update AFTER UPDATE ON market_listing BEGIN "  # noqa: S608
    f"INSERT INTO market_listing_fts(market_listing_fts, rowid, {_COLS}) "
    f"VALUES ('delete', old.id, {_OLD}); "
    f"INSERT INTO market_listing_fts(rowid, {_COLS}) VALUES (new.id, {_NEW}); END",
    "INSERT INTO market_listing_fts(market_listing_fts) VALUES ('rebuild')",
]
SQLITE_UNINSTALL = [
    "DROP TRIGGER IF EXISTS market_listing_fts_insert",
    "DROP TRIGGER IF EXISTS market_listing_fts_delete",
    "DROP TRIGGER IF EXISTS market_listing_fts_update",
    "DROP TABLE IF EXISTS market_listing_fts",
]

POSTGRES_INSTALL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE market_listing ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple', search_title), 'A') || "
    "setweight(to_tsvector('simple', search_summary), 'B') || "
    "setweight(to_tsvector('simple', search_keywords), 'C') || "
    "setweight(to_tsvector('simple', search_body), 'D')) STORED",
    # Ranking reads this smaller vector (no description): most rows stay out of TOAST.
    "ALTER TABLE market_listing ADD COLUMN IF NOT EXISTS search_head tsvector "
    "GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple', search_title), 'A') || "
    "setweight(to_tsvector('simple', search_summary), 'B') || "
    "setweight(to_tsvector('simple', search_keywords), 'C')) STORED",
    "CREATE INDEX IF NOT EXISTS listing_search_vector ON market_listing USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS listing_search_title_trgm ON market_listing "
    "USING gin (search_title gin_trgm_ops)",
]
POSTGRES_UNINSTALL = [
    "DROP INDEX IF EXISTS listing_search_title_trgm",
    "DROP INDEX IF EXISTS listing_search_vector",
    "ALTER TABLE market_listing DROP COLUMN IF EXISTS search_head",
    "ALTER TABLE market_listing DROP COLUMN IF EXISTS search_vector",
]


def _run(schema_editor, statements: dict[str, list[str]]) -> None:
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


def install(schema_editor) -> None:
    """Create (or re-create) the index for the database in use."""
    _run(schema_editor, {"sqlite": SQLITE_INSTALL, "postgresql": POSTGRES_INSTALL})


def uninstall(schema_editor) -> None:
    _run(schema_editor, {"sqlite": SQLITE_UNINSTALL, "postgresql": POSTGRES_UNINSTALL})
