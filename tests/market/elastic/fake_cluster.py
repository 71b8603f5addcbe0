"""Elasticsearch without Elasticsearch: a local HTTP server that keeps indices, aliases and
documents in memory and answers the index-lifecycle calls the way Elasticsearch 8 does, and
records every request so tests can assert the exact bodies sent.

It answers: create/delete/exists index, get/exists alias, ``POST /_aliases`` (add, remove,
remove_index, all or nothing), index settings and refresh, ``POST /_bulk`` (index and delete,
``require_alias``), and scroll searches that return every document. It is no search engine:
``market.search.elastic`` queries are asserted on their bodies elsewhere.
"""

from __future__ import annotations

import fnmatch
from urllib.parse import unquote

from tests.market.elastic.fake_server import FakeServer, Recorded, error_response


class FakeCluster(FakeServer):
    def __init__(self) -> None:
        super().__init__()
        self.indices: dict[
            str, dict
        ] = {}  # name → {"body": …, "docs": {id: source}, "settings": …}
        self.aliases: dict[str, set[str]] = {}  # alias → index names
        # (status, error type) answered to the next requests whose path contains the key.
        self.failures: dict[str, list[tuple[int, str]]] = {}
        # As some clusters with security enabled: an index pattern that matches nothing is a
        # 404 to ``GET {pattern}/_alias``, not ``{}``.
        self.no_match_is_404 = False

    # What tests read.
    def docs(self, name: str) -> dict[str, dict]:
        """The documents of an index or of the index behind an alias."""
        return self.indices[self._resolve(name)[0]]["docs"]

    def alias_targets(self, alias: str) -> list[str]:
        return sorted(self.aliases.get(alias, ()))

    def calls(self, method: str, path_contains: str = "") -> list[Recorded]:
        return [
            request
            for request in self.requests
            if request.method == method and path_contains in request.path
        ]

    def fail(self, path_contains: str, *, status: int = 503, times: int = 1) -> None:
        self.failures.setdefault(path_contains, []).extend(
            [(status, "unavailable_shards_exception")] * times
        )

    # The cluster.
    def _resolve(self, name: str) -> list[str]:
        if name in self.aliases:
            return sorted(self.aliases[name])
        return [index for index in self.indices if fnmatch.fnmatchcase(index, name)]

    def _error(self, status: int, kind: str, reason: str) -> tuple[int, dict]:
        return status, error_response(kind, reason, status=status)

    def respond(self, request: Recorded) -> tuple[int, dict | None]:
        for key, queued in self.failures.items():
            if key in request.path and queued:
                status, kind = queued.pop(0)
                return self._error(status, kind, "injected failure")
        parts = [unquote(part) for part in request.path.strip("/").split("/") if part]
        method = request.method
        if method == "HEAD" and len(parts) == 2 and parts[0] == "_alias":
            return (200 if parts[1] in self.aliases else 404), None
        if method == "HEAD" and len(parts) == 1:
            return (200 if parts[0] in self.indices else 404), None
        if method == "POST" and parts == ["_aliases"]:
            return self._update_aliases(request.body["actions"])
        if method in ("POST", "PUT") and parts == ["_bulk"]:
            return self._bulk(request.body, require_alias=request.params.get("require_alias"))
        if parts[:2] == ["_search", "scroll"]:
            if method == "DELETE":
                return 200, {"succeeded": True, "num_freed": 1}
            return 200, self._hits([], scroll=True)
        if method == "GET" and len(parts) == 2 and parts[1] == "_alias":
            found = {}
            for pattern in parts[0].split(","):
                for index in self._resolve(pattern):
                    found[index] = {
                        "aliases": {
                            alias: {} for alias, targets in self.aliases.items() if index in targets
                        }
                    }
            if not found and self.no_match_is_404:
                return self._error(404, "index_not_found_exception", parts[0])
            return 200, found
        if method == "PUT" and len(parts) == 1:
            name = parts[0]
            if name in self.indices or name in self.aliases:
                return self._error(400, "resource_already_exists_exception", name)
            self.indices[name] = {"body": request.body, "docs": {}, "settings": []}
            return 200, {"acknowledged": True, "shards_acknowledged": True, "index": name}
        if method == "DELETE" and len(parts) == 1:
            names = parts[0].split(",")
            missing = [name for name in names if name not in self.indices]
            if missing:
                return self._error(404, "index_not_found_exception", missing[0])
            for name in names:
                del self.indices[name]
                for targets in self.aliases.values():
                    targets.discard(name)
            self.aliases = {alias: targets for alias, targets in self.aliases.items() if targets}
            return 200, {"acknowledged": True}
        if len(parts) == 2 and parts[1] == "_settings" and method == "PUT":
            for index in self._resolve(parts[0]):
                self.indices[index]["settings"].append(request.body)
            return 200, {"acknowledged": True}
        if len(parts) == 2 and parts[1] == "_refresh":
            return 200, {"_shards": {"total": 1, "successful": 1, "failed": 0}}
        if len(parts) == 2 and parts[1] == "_search":
            targets = self._resolve(parts[0])
            if not targets:
                return self._error(404, "index_not_found_exception", parts[0])
            hits = []
            for index in targets:
                for doc_id, source in self.indices[index]["docs"].items():
                    wanted = (request.body or {}).get("_source")
                    shown = {k: v for k, v in source.items() if k in wanted} if wanted else source
                    hits.append({"_index": index, "_id": doc_id, "_source": shown})
            return 200, self._hits(hits, scroll="scroll" in request.params)
        return self._error(400, "unknown_request", f"{method} {request.path}")

    def _hits(self, hits: list[dict], *, scroll: bool) -> dict:
        answer = {
            "took": 1,
            "timed_out": False,
            "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
            "hits": {"total": {"value": len(hits), "relation": "eq"}, "hits": hits},
        }
        if scroll:
            answer["_scroll_id"] = "scroll-1"
        return answer

    def _update_aliases(self, actions: list[dict]) -> tuple[int, dict]:
        aliases = {alias: set(targets) for alias, targets in self.aliases.items()}
        removed_indices = []
        for action in actions:
            (verb, spec), *_rest = action.items()
            if verb == "remove_index":
                removed_indices.append(spec["index"])
                continue
            if spec["index"] not in self.indices:
                return self._error(404, "index_not_found_exception", spec["index"])
            if verb == "add":
                if spec["alias"] in self.indices and spec["alias"] not in removed_indices:
                    return self._error(400, "invalid_alias_name_exception", spec["alias"])
                aliases.setdefault(spec["alias"], set()).add(spec["index"])
            elif verb == "remove":
                if spec["index"] not in aliases.get(spec["alias"], set()):
                    return self._error(404, "aliases_not_found_exception", spec["alias"])
                aliases[spec["alias"]].discard(spec["index"])
        for name in removed_indices:
            self.indices.pop(name, None)
        self.aliases = {alias: targets for alias, targets in aliases.items() if targets}
        return 200, {"acknowledged": True}

    def _bulk(self, lines: list[dict], *, require_alias: str | None) -> tuple[int, dict]:
        items = []
        position = 0
        while position < len(lines):
            (operation, meta), *_rest = lines[position].items()
            position += 1
            source = None
            if operation == "index":
                source = lines[position]
                position += 1
            name = meta["_index"]
            doc_id = str(meta["_id"])
            result = {"_index": name, "_id": doc_id}
            if require_alias == "true" and name not in self.aliases:
                result.update(
                    status=404,
                    error={
                        "type": "index_not_found_exception",
                        "reason": f"no such index [{name}]",
                    },
                )
                items.append({operation: result})
                continue
            targets = self._resolve(name) if name in self.aliases else [name]
            if len(targets) != 1:
                result.update(status=400, error={"type": "illegal_argument_exception"})
                items.append({operation: result})
                continue
            index = self.indices.setdefault(targets[0], {"body": None, "docs": {}, "settings": []})
            result["_index"] = targets[0]
            if operation == "index":
                created = doc_id not in index["docs"]
                index["docs"][doc_id] = source
                result.update(
                    status=201 if created else 200, result="created" if created else "updated"
                )
            elif doc_id in index["docs"]:
                del index["docs"][doc_id]
                result.update(status=200, result="deleted")
            else:
                result.update(status=404, result="not_found")
            items.append({operation: result})
        errors = any("error" in item[next(iter(item))] for item in items)
        return 200, {"took": 1, "errors": errors, "items": items}
