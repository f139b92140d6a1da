"""How the checks are handed to pytest-xdist workers: by check module, longest first.

A check module is one unit of work: its checks go to one worker, so what the module
computes once for all its checks (``functools.lru_cache``: the double-descent sweep,
sympy derivations shared by several checks) is computed once, not once per worker. Any
other test (the harness's self-tests) is a unit of its own. Units are handed out longest
first, by the durations the result cache recorded in earlier runs (unknown ones count
``UNKNOWN_S``), so that no long unit starts last on one worker while the other idles - a
greedy longest-processing-time schedule; each worker sorts its collection the same way
(:func:`order_items`) and the scheduler keeps that order.

Used for ``-n N`` with xdist's default ``--dist load`` (any other ``--dist`` is left
alone); the scheduler is xdist's own ``LoadScopeScheduling`` with this grouping.
"""
from __future__ import annotations

UNKNOWN_S = 0.1


def unit_of(nodeid: str, modules: frozenset[str]) -> str:
    module = nodeid.split("::", 1)[0]
    return module if module in modules else nodeid


def order_items(items, durations: dict, modules: frozenset[str]) -> None:
    """Sort ``items`` in place: units by their recorded total duration, longest first;
    within a unit, the collection order."""
    total: dict[str, float] = {}
    first: dict[str, int] = {}
    for i, it in enumerate(items):
        u = unit_of(it.nodeid, modules)
        total[u] = total.get(u, 0.0) + float(durations.get(it.nodeid, UNKNOWN_S))
        first.setdefault(u, i)
    pos = {id(it): i for i, it in enumerate(items)}
    items.sort(key=lambda it: (-total[unit_of(it.nodeid, modules)],
                               first[unit_of(it.nodeid, modules)], pos[id(it)]))


def make_scheduler(config, log, modules: frozenset[str]):
    from xdist.scheduler import LoadScopeScheduling

    class ModuleScheduling(LoadScopeScheduling):
        """xdist's scope scheduling with check modules as scopes and every other test a
        scope of its own, in the workers' collection order (already longest first)."""

        def _split_scope(self, nodeid: str) -> str:
            return unit_of(nodeid, modules)

    config.option.loadscopereorder = False  # keep the longest-first order
    return ModuleScheduling(config, log)
