"""The twinning network's drawing: districts on a circle, lines as wide as their count."""

from __future__ import annotations

from web.dashboards.network import CENTRE, RADIUS, THIN, WIDE, draw_network


def test_districts_sit_on_the_circle_from_the_top_clockwise():
    network = draw_network(["da", "db", "dc", "dd"], [])
    top, right = network.nodes[0], network.nodes[1]
    assert (top.x, top.y) == (CENTRE, CENTRE - RADIUS) and top.anchor == "middle"
    assert (right.x, right.y) == (CENTRE + RADIUS, CENTRE) and right.anchor == "start"
    assert network.empty


def test_the_busiest_pair_gets_the_widest_line_and_a_pair_within_a_district_a_ring():
    network = draw_network(["da", "db", "dc"], [("da", "db", 5), ("db", "dc", 1), ("da", "da", 3)])
    assert [edge.width for edge in network.edges] == [WIDE, THIN]
    assert network.edges[0].title == "da – db: 5"
    [ring] = network.loops
    assert ring.title == "da – da: 3" and THIN < ring.width < WIDE
    assert ring.y < network.nodes[0].y, "the ring sits outside the circle, beside its district"
