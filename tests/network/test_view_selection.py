"""Views: the whole graph when it fits, an ego network, or the national aggregate."""

from __future__ import annotations

from collections import Counter

import networkx as nx
import pytest

from graph_builder.ingest.synthetic import synthetic_graph
from graph_builder.network.entities import entity_network
from graph_builder.network.view_selection import (
    MORE,
    PHYSICS_LIMIT,
    FocusError,
    aggregate_view,
    choose_view,
    ego_view,
    filter_kinds,
    hospital_provinces,
    national_designations,
)
from graph_builder.rdf.vocabulary import load_ontology


@pytest.fixture(scope="module")
def net(project, graph) -> nx.MultiDiGraph:
    return entity_network(graph, load_ontology(project.ontology))


@pytest.fixture(scope="module")
def national(project) -> nx.MultiDiGraph:
    """The synthetic national graph at 200 hospitals: big enough to need a summary."""
    return entity_network(synthetic_graph(200, 7, project), load_ontology(project.ontology))


def test_a_focus_outside_the_drawn_network_is_refused(net) -> None:
    with pytest.raises(FocusError, match="inst:nowhere is not in the network drawn"):
        choose_view(net, "inst:nowhere")


def test_small_graph_is_drawn_whole_with_physics(net) -> None:
    view = choose_view(net)
    assert view.mode == "full"
    assert view.graph.number_of_nodes() == net.number_of_nodes()
    assert view.positions is None  # the browser's seeded physics lays it out
    assert not view.omitted


def test_ego_view_keeps_nodes_within_depth(net) -> None:
    view = ego_view(net, "inst:jiaozuo-mch", depth=1)
    undirected = net.to_undirected(as_view=True)
    assert set(view.graph) == {"inst:jiaozuo-mch", *undirected["inst:jiaozuo-mch"]}
    assert "inst:changzhi-mch" not in view.graph
    assert view.omitted["beyond"] == net.number_of_nodes() - view.graph.number_of_nodes()


def test_ego_view_over_budget_keeps_the_nearest(national) -> None:
    hospital = next(n for n, k in national.nodes(data="kind") if k == "hospital")
    view = ego_view(national, hospital, depth=3, max_nodes=450)
    assert view.graph.number_of_nodes() == 450
    distance = nx.single_source_shortest_path_length(
        national.to_undirected(as_view=True), hospital, cutoff=3
    )
    kept = [distance[n] for n in view.graph]
    dropped = [d for n, d in distance.items() if n not in view.graph]
    assert max(kept) <= min(dropped)  # nothing kept is farther than anything dropped
    assert sum(v for k, v in view.omitted.items() if k != "beyond") == len(dropped)
    assert set(view.positions) == set(view.graph)  # laid out here, not by physics
    assert any("not shown" in en for _, en in view.notes)


def test_filter_kinds_keeps_hospitals_and_drops_isolated_nodes(net) -> None:
    shown = filter_kinds(net, {"designation"})
    assert set(Counter(k for _, k in shown.nodes(data="kind"))) == {"hospital", "designation"}
    assert all(shown.degree(n) > 0 for n in shown)


def test_aggregate_view_stays_within_budget_and_says_what_it_left_out(national) -> None:
    view = aggregate_view(national, max_nodes=120)
    graph = view.graph
    assert graph.number_of_nodes() <= 120
    kinds = Counter(k for _, k in graph.nodes(data="kind"))
    assert set(kinds) == {"place", "hospital", "designation", MORE}
    provinces = {p for p in hospital_provinces(national).values()}
    assert {n for n, k in graph.nodes(data="kind") if k == "place"} == provinces
    # every hospital is either drawn or counted in its province's summary node
    hidden = sum(d.get("hidden_hospitals", 0) for _, d in graph.nodes(data=True))
    all_hospitals = sum(1 for _, k in national.nodes(data="kind") if k == "hospital")
    assert kinds["hospital"] + hidden == all_hospitals
    # every node left out is counted, by kind
    assert sum(view.omitted.values()) == national.number_of_nodes() - (
        graph.number_of_nodes() - kinds[MORE]
    )
    # only national conferrals are drawn
    national_ones = national_designations(national)
    for _, target, relation in graph.edges(data="relation"):
        assert relation == "in-province" or target in national_ones
    assert set(view.positions) == set(graph)


def test_choose_view_aggregates_a_graph_over_budget(national) -> None:
    assert choose_view(national, max_nodes=100).mode == "aggregate"
    whole = choose_view(national, max_nodes=10_000)
    assert whole.mode == "full"
    assert whole.graph.number_of_nodes() > PHYSICS_LIMIT
    # too many nodes for the browser's physics: laid out here, every node placed once
    assert set(whole.positions) == set(national)
    assert len(set(whole.positions.values())) == len(whole.positions)


def test_layouts_are_deterministic(national) -> None:
    a = aggregate_view(national, max_nodes=120)
    b = aggregate_view(national, max_nodes=120)
    assert a.positions == b.positions
    assert len(set(a.positions.values())) == len(a.positions)  # no two nodes on one spot
