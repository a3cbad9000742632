"""The twinning network drawn on the server: districts on a circle, a line between two
districts as wide as the number of partnerships between them allows, a ring beside a
district for partnerships between its own sections.

The drawing is `aria-hidden`; the table of pairs beside it holds every number. Nothing
here queries: callers pass the districts and the pairs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

SIZE = 420
CENTRE = SIZE / 2
RADIUS = 140
# The thinnest and the widest line, for one partnership and for the pair with the most.
THIN, WIDE = 1.5, 9.0
LOOP_RADIUS = 11


@dataclass(frozen=True)
class Node:
    code: str
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str  # text-anchor, so labels on the left read towards the circle


@dataclass(frozen=True)
class Edge:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float
    title: str


@dataclass(frozen=True)
class Loop:
    x: float
    y: float
    r: float
    width: float
    title: str


@dataclass(frozen=True)
class Network:
    size: int
    nodes: list[Node]
    edges: list[Edge]
    loops: list[Loop]

    @property
    def empty(self) -> bool:
        return not self.edges and not self.loops


def _width(count: int, most: int) -> float:
    return round(THIN + (WIDE - THIN) * (count - 1) / max(most - 1, 1), 1)


def _point(angle: float, radius: float) -> tuple[float, float]:
    return round(CENTRE + radius * math.cos(angle), 1), round(CENTRE + radius * math.sin(angle), 1)


def draw_network(codes: list[str], pairs: list[tuple[str, str, int]]) -> Network:
    """`codes`: the districts in drawing order, clockwise from the top; `pairs`: (code,
    code, partnerships) with both codes among `codes`."""
    angles = {code: -math.pi / 2 + 2 * math.pi * index / max(len(codes), 1) for index, code in enumerate(codes)}
    nodes = []
    for code, angle in angles.items():
        x, y = _point(angle, RADIUS)
        label_x, label_y = _point(angle, RADIUS + 2.6 * LOOP_RADIUS + 14)
        cosine = math.cos(angle)
        anchor = "middle" if abs(cosine) < 0.3 else ("start" if cosine > 0 else "end")
        nodes.append(Node(code=code, x=x, y=y, label_x=label_x, label_y=label_y, anchor=anchor))
    most = max((count for _first, _second, count in pairs), default=1)
    edges, loops = [], []
    for first, second, count in pairs:
        title = f"{first} – {second}: {count}"
        if first == second:
            x, y = _point(angles[first], RADIUS + LOOP_RADIUS + 4)
            loops.append(Loop(x=x, y=y, r=LOOP_RADIUS, width=_width(count, most), title=title))
        else:
            x1, y1 = _point(angles[first], RADIUS)
            x2, y2 = _point(angles[second], RADIUS)
            edges.append(Edge(x1=x1, y1=y1, x2=x2, y2=y2, width=_width(count, most), title=title))
    return Network(size=SIZE, nodes=nodes, edges=edges, loops=loops)
