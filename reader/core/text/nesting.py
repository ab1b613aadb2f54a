"""How deeply parsed JSON nests, measured without recursion (hostile files nest thousands of levels deep)."""

from __future__ import annotations


def json_depth(value: object) -> int:
    """Nesting depth of parsed JSON (a scalar is 1, ``[]`` is 1, ``[[1]]`` is 3), without recursion."""
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return deepest
