"""The database search index: created by migrations, kept in step by the database itself.

PostgreSQL: a narrow table ``market_listing_search`` of the published listings, kept in step
by triggers, with a ``tsvector`` over the folded copies (weights title A, summary B, keywords C,
description D) and its GIN index, a smaller ranking vector, the facet values and a trigram index
on the folded title.
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

# PostgreSQL: a narrow table of the published listings, one row each, kept in step by
# triggers. A search that matches thousands of listings reads their facet values from here,
# many listings to a page, instead of visiting the wide listing rows.
#
# The word vector must not widen the rows: the GIN index answers the match without reading it,
# so it belongs out of line, in the table's TOAST storage. PostgreSQL only moves values out of
# line from rows longer than about 2 kB, whatever ``toast_tuple_target`` says, so every row
# carries ``toast_trigger``: 2,100 spaces that compress to a few bytes and make every row long
# enough. The toaster then compresses them and moves ``vector`` (EXTERNAL) out until the row is
# under 128 bytes or only PLAIN values remain. At 100,000 listings the table shrinks from
# 130 MB to 43 MB and a search matching a quarter of the floor runs twice as fast.
SEARCH_COLUMNS = (
    "listing_id",
    "organisation_id",
    "staff_only",
    "kind",
    "language",
    "ip_status",
    "province",
    "trl",
    "transfer_modes",
    "price_min",
    "price_max",
    "featured",
    "published_at",
    "deadline",
    "sectors",
    "top_sectors",
    "title",
    "head",
    "vector",
)
_SECTOR_CODES = (
    "SELECT sector.code FROM market_listing_sectors link"
    " JOIN accounts_sector sector ON sector.id = link.sector_id WHERE link.listing_id = l.id"
)
_PARENT_CODES = (
    "SELECT parent.code FROM market_listing_sectors link"
    " JOIN accounts_sector sector ON sector.id = link.sector_id"
    " JOIN accounts_sector parent ON parent.id = sector.parent_id WHERE link.listing_id = l.id"
)
_TOP_CODES = (
    "SELECT DISTINCT COALESCE(parent.code, sector.code) FROM market_listing_sectors link"
    " JOIN accounts_sector sector ON sector.id = link.sector_id"
    " LEFT JOIN accounts_sector parent ON parent.id = sector.parent_id"
    " WHERE link.listing_id = l.id"
)
# Ranking reads title and keywords with their positions; matching reads every word without
# positions (``strip``): both small enough to keep the rows narrow.
_HEAD = (
    "setweight(to_tsvector('simple', l.search_title), 'A') || "
    "setweight(to_tsvector('simple', l.search_keywords), 'C')"
)
_VECTOR = (
    "strip(to_tsvector('simple', concat_ws(' ', l.search_title, l.search_summary,"
    " l.search_keywords, l.search_body)))"
)
_VALUES = (
    "l.id, l.organisation_id, l.visibility = 'staff', l.kind, l.language, l.ip_status,"
    " l.province, l.trl, l.transfer_modes, l.price_min, l.price_max, l.featured,"
    f" l.published_at, l.deadline, ARRAY({_SECTOR_CODES} UNION {_PARENT_CODES}),"
    f" ARRAY({_TOP_CODES}), l.search_title, {_HEAD}, {_VECTOR}"
)
_UPDATE = ", ".join(f"{column} = EXCLUDED.{column}" for column in SEARCH_COLUMNS[1:])

POSTGRES_INSTALL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # The first design: generated vectors on the listing rows themselves (too wide to scan).
    "DROP INDEX IF EXISTS listing_search_title_trgm",
    "DROP INDEX IF EXISTS listing_search_vector",
    "ALTER TABLE market_listing DROP COLUMN IF EXISTS search_head",
    "ALTER TABLE market_listing DROP COLUMN IF EXISTS search_vector",
    "CREATE TABLE IF NOT EXISTS market_listing_search ("
    # No foreign key: Django's flush truncates market_listing alone, which a key would forbid;
    # the triggers below follow deletes and truncates instead.
    " listing_id bigint PRIMARY KEY,"
    " organisation_id bigint NOT NULL, staff_only boolean NOT NULL,"
    " kind text NOT NULL, language text NOT NULL, ip_status text NOT NULL,"
    " province text NOT NULL, trl smallint, transfer_modes integer NOT NULL,"
    " price_min bigint, price_max bigint, featured boolean NOT NULL,"
    " published_at timestamptz, deadline date, sectors text[] NOT NULL,"
    " top_sectors text[] NOT NULL, title text NOT NULL,"
    " head tsvector NOT NULL, vector tsvector NOT NULL,"
    " toast_trigger text NOT NULL DEFAULT repeat(' ', 2100))"
    " WITH (toast_tuple_target = 128)",
    "ALTER TABLE market_listing_search ALTER COLUMN vector SET STORAGE EXTERNAL",
    *(
        f"ALTER TABLE market_listing_search ALTER COLUMN {column} SET STORAGE PLAIN"
        for column in ("head", "title", "sectors", "top_sectors")
    ),
    # The filters live in the same index (btree_gin), so "cà phê" among offers reads only
    # the offers' rows instead of every listing that mentions coffee.
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    "DROP INDEX IF EXISTS market_listing_search_words",
    "CREATE INDEX market_listing_search_words ON market_listing_search"
    " USING gin (vector, kind, province, language, ip_status, trl)",
    "CREATE INDEX IF NOT EXISTS market_listing_search_title ON market_listing_search"
    " USING gin (title gin_trgm_ops)",
    "CREATE OR REPLACE FUNCTION market_listing_search_refresh(target bigint) RETURNS void"  # noqa: S608
    " LANGUAGE plpgsql AS $$ BEGIN"
    f" INSERT INTO market_listing_search ({', '.join(SEARCH_COLUMNS)})"
    f" SELECT {_VALUES} FROM market_listing l WHERE l.id = target AND l.status = 'published'"
    f" ON CONFLICT (listing_id) DO UPDATE SET {_UPDATE};"
    " IF NOT FOUND THEN DELETE FROM market_listing_search WHERE listing_id = target; END IF;"
    " END $$",
    "ALTER TABLE market_listing_search"
    " DROP CONSTRAINT IF EXISTS market_listing_search_listing_id_fkey",
    "CREATE OR REPLACE FUNCTION market_listing_search_listing_changed() RETURNS trigger"
    " LANGUAGE plpgsql AS $$ BEGIN"
    " IF TG_OP = 'DELETE' THEN PERFORM market_listing_search_refresh(OLD.id);"
    " ELSE PERFORM market_listing_search_refresh(NEW.id); END IF;"
    " RETURN NULL; END $$",
    "CREATE OR REPLACE FUNCTION market_listing_search_truncated() RETURNS trigger"
    " LANGUAGE plpgsql AS $$ BEGIN TRUNCATE market_listing_search; RETURN NULL; END $$",
    "CREATE OR REPLACE FUNCTION market_listing_search_sectors_changed() RETURNS trigger"
    " LANGUAGE plpgsql AS $$ BEGIN"
    " IF TG_OP = 'DELETE' THEN PERFORM market_listing_search_refresh(OLD.listing_id);"
    " ELSE PERFORM market_listing_search_refresh(NEW.listing_id); END IF;"
    " RETURN NULL; END $$",
    "DROP TRIGGER IF EXISTS market_listing_search_listing ON market_listing",
    "CREATE TRIGGER market_listing_search_listing"
    " AFTER INSERT OR UPDATE OR DELETE ON market_listing"
    " FOR EACH ROW EXECUTE FUNCTION market_listing_search_listing_changed()",
    "DROP TRIGGER IF EXISTS market_listing_search_truncate ON market_listing",
    "CREATE TRIGGER market_listing_search_truncate AFTER TRUNCATE ON market_listing"
    " FOR EACH STATEMENT EXECUTE FUNCTION market_listing_search_truncated()",
    "DROP TRIGGER IF EXISTS market_listing_search_sectors ON market_listing_sectors",
    "CREATE TRIGGER market_listing_search_sectors AFTER INSERT OR UPDATE OR DELETE"
    " ON market_listing_sectors"
    " FOR EACH ROW EXECUTE FUNCTION market_listing_search_sectors_changed()",
    "SELECT market_listing_search_refresh(id) FROM market_listing WHERE status = 'published'",
]
POSTGRES_UNINSTALL = [
    "DROP TRIGGER IF EXISTS market_listing_search_sectors ON market_listing_sectors",
    "DROP TRIGGER IF EXISTS market_listing_search_listing ON market_listing",
    "DROP TRIGGER IF EXISTS market_listing_search_truncate ON market_listing",
    "DROP FUNCTION IF EXISTS market_listing_search_truncated()",
    "DROP FUNCTION IF EXISTS market_listing_search_sectors_changed()",
    "DROP FUNCTION IF EXISTS market_listing_search_listing_changed()",
    "DROP FUNCTION IF EXISTS market_listing_search_refresh(bigint)",
    "DROP TABLE IF EXISTS market_listing_search",
]


def _run(schema_editor, statements: dict[str, list[str]]) -> None:
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


def install(schema_editor) -> None:
    """Create (or re-create) the index for the database in use."""
    _run(schema_editor, {"sqlite": SQLITE_INSTALL, "postgresql": POSTGRES_INSTALL})


def uninstall(schema_editor) -> None:
    _run(schema_editor, {"sqlite": SQLITE_UNINSTALL, "postgresql": POSTGRES_UNINSTALL})
