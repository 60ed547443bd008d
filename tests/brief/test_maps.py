"""Map builders (through chart.to_dict()), the aggregation of locations, the quartier figures
and the Services Publics+ counts behind the shares."""

import dataclasses
from datetime import date

import pandas as pd
import pytest

from metrics import services_publics
from metrics.period import Period
from services.brief import (
    QuartierView,
    location_cells,
    quartier_view,
    services_publics_counts,
)
from services.settings import parse_quartier_geojson, save_minimum_group_size, save_populations
from store import repository
from tests.brief.geo import demo_geojson
from ui.maps import (
    _signed_area,
    available_figures,
    map_chart,
    map_table,
    points_map_chart,
    quartier_map_chart,
    quartier_table,
)


def layers(chart) -> list[dict]:
    return chart.to_dict()["layer"]


def with_polygons(view: QuartierView) -> QuartierView:
    return dataclasses.replace(view, quartiers=parse_quartier_geojson(demo_geojson(), "nom"))


def test_quartier_map_is_geoshapes_wound_for_d3_and_labelled(shared_demo_db, month):
    view = with_polygons(quartier_view(shared_demo_db, month))
    hidden = view.rows[-1]["group"]
    view = dataclasses.replace(view, rows=view.rows[:-1], hidden=[hidden])
    spec = quartier_map_chart(view, "received").to_dict()
    assert spec["projection"]["type"] == "mercator"
    empty, shaded, labels = spec["layer"]
    assert empty["mark"]["type"] == shaded["mark"]["type"] == "geoshape"
    # without figure: white with a dotted outline, never a shade of the scale
    assert empty["mark"]["fill"] == "#ffffff" and empty["mark"]["strokeDash"] == [4, 3]
    assert "color" not in empty.get("encoding", {})
    assert [f["properties"]["name"] for f in empty["data"]["values"]] == [hidden]
    assert shaded["encoding"]["color"]["field"] == "properties.value"
    features = empty["data"]["values"] + shaded["data"]["values"]
    assert len(features) == len(view.quartiers.features)
    for feature in features:
        exterior = feature["geometry"]["coordinates"][0]
        assert _signed_area(exterior) < 0  # clockwise, or d3 would fill the whole Earth
    by_name = {f["properties"]["name"]: f["properties"] for f in features}
    assert by_name[hidden]["status"] == "hidden" and by_name[hidden]["value"] is None
    shown = view.rows[0]
    assert by_name[shown["group"]]["value"] == shown["received"]
    assert labels["mark"]["type"] == "text"
    texts = [v["label"] for v in labels["data"]["values"]]
    assert any(t.startswith(hidden) and "masqué" in t for t in texts)


def test_points_map_aggregates_requests_in_cells(shared_demo_db, month):
    view = quartier_view(shared_demo_db, month)
    assert view.positions  # where each quartier's name is written
    spec = points_map_chart(view, district_labels=view.positions).to_dict()
    circles, names = spec["layer"]
    assert names["mark"]["type"] == "text"
    assert {v["label"] for v in names["data"]["values"]} == {r["group"] for r in view.rows}
    assert circles["mark"]["type"] == "circle"
    assert circles["encoding"]["longitude"]["field"] == "longitude"
    assert circles["encoding"]["latitude"]["field"] == "latitude"
    assert circles["encoding"]["size"]["field"] == "requests"
    cells = circles["data"]["values"]
    assert sum(c["requests"] for c in cells) == view.located
    assert len(cells) < view.located / 3  # aggregated, not one point per request
    assert spec["projection"]["type"] == "mercator"
    assert map_chart(view, "received").to_dict()["layer"][0]["mark"]["type"] == "circle"
    table = map_table(view, "received")
    assert list(table.columns) == ["Latitude du centre", "Longitude du centre", "Demandes reçues"]


def test_location_cells_leave_far_points_out():
    period = Period(date(2026, 10, 1), date(2026, 10, 31))
    created = pd.Series(pd.to_datetime(["2026-10-05T10:00Z"] * 5), dtype="datetime64[us, UTC]")
    requests = pd.DataFrame(
        {
            "created_at": created,
            "latitude": [47.39, 47.391, 47.3905, 0.69, None],  # the fourth is swapped
            "longitude": [0.69, 0.691, 0.6902, 47.39, None],
        }
    )
    cells, located, outside = location_cells(requests, period)
    assert (located, outside) == (3, 1)
    assert sum(c["requests"] for c in cells) == 3
    assert all(47 < c["latitude"] < 48 for c in cells)


def test_quartier_rows_per_1000_and_hidden_groups(demo_db, month):
    save_populations(demo_db, [("Centre-Ville", 5000), ("Les Tilleuls", 4000)])
    view = quartier_view(demo_db, month)
    assert view.has_populations
    centre = next(r for r in view.rows if r["group"] == "Centre-Ville")
    assert centre["received_per_1000"] == pytest.approx(centre["received"] / 5)
    assert centre["open_per_1000"] == pytest.approx(centre["open_at_end"] / 5)
    assert "received_per_1000" in available_figures(view)
    table = quartier_table(view)
    assert "Reçues pour 1 000 hab." in table.columns
    assert table.loc[table["Quartier"] == "Centre-Ville", "Habitants"].item() == "5\u202f000"
    save_minimum_group_size(demo_db, 50)
    view = quartier_view(demo_db, month)
    assert view.hidden and all(r["requests"] >= 50 for r in view.rows)


def test_quartier_table_without_populations_has_no_per_1000(shared_demo_db, month):
    view = quartier_view(shared_demo_db, month)
    assert not view.has_populations
    assert "received_per_1000" not in available_figures(view)
    plain = quartier_table(view, formatted=False)
    assert "Délai médian de clôture (heures)" in plain.columns
    assert not any("1 000" in c for c in plain.columns)


def test_counts_match_the_metrics_shares(shared_demo_db, month):
    requests = repository.load_requests(shared_demo_db, month.start_utc, month.end_utc)
    counts = {(c.key, c.scope): c for c in services_publics_counts(requests, month)}
    ack = services_publics.acknowledgement_within_target(requests, month)
    for scope in ("overall", "electronic", "letter"):
        assert counts[("sp_acknowledgement", scope)].share == ack[scope]
    assert counts[("sp_announced_deadline", "closed")].share == (
        services_publics.announced_deadline_share(requests, month)
    )
    assert counts[("sve", "electronic")].share == services_publics.sve_share(requests, month)
    marianne = services_publics.marianne_references(requests, month)
    for scope in ("letters_within_15_days", "emails_within_5_days"):
        assert counts[("marianne", scope)].share == marianne[scope]
    assert counts[("sp_acknowledgement", "overall")].judged > 0
