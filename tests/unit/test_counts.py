"""One vocabulary of counts (svdash/counts.py) on the real embedded snapshot: every figure reconciles with the
measures and `svdash stats`, the README's generated blocks are fresh, and the default export lists the councils
the headline counts. Expected figures are read from the store, never typed in."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from svdash import cmd_figures, counts, figures, views
from svdash.cli import main
from svdash.export import iso_dates
from svdash.paths import REPO_ROOT


@pytest.fixture(scope="module")
def embedded(tmp_path_factory) -> Path:
    from svdash import pipeline

    path = tmp_path_factory.mktemp("embedded") / "svdash.duckdb"
    pipeline.ensure_store(path)
    return path


def england(db: Path, measure: str) -> dict:
    values = views.read_store(db, facts=False)["measure_values"]
    return views.one_value(values, measure, "england", "England")


def test_categories_add_up_and_reconcile_with_the_headline_measure(embedded):
    c = counts.read(embedded)["counts"]
    split = counts.category_split(c)
    assert sum(n for _, n in split) == c["councils"].n == c["councils_lower"].n + c["councils_county"].n == 317
    head = england(embedded, "adoption_evidence")
    assert c["councils_with_evidence"].n == int(head["numerator"]) and c["councils"].n == int(head["denominator"])
    assert c["councils_with_evidence"].n == c["councils_adopted_or_practice"].n + c["councils_developing"].n
    # 'in development' is said next to the number
    assert f"{c['councils_developing'].n} a policy in development (counted as evidence" in \
        counts.headline_sentence(c)


def test_practice_figures_equal_the_measures_and_name_their_denominators(embedded):
    c = counts.read(embedded)["counts"]
    visible, every = england(embedded, "sv_applied_share"), england(embedded, "sv_applied_share_all")
    assert (c["procurements_applied_visible"].n, c["procurements_applied_visible"].of) == \
        (int(visible["numerator"]), int(visible["denominator"]))
    assert (c["procurements_applied"].n, c["procurements_applied"].of) == \
        (int(every["numerator"]), int(every["denominator"]))
    text = figures.notice_figures(c)
    assert c["procurements_applied_visible"].text().endswith("council procurements with visible evaluation criteria")
    assert c["procurements_applied"].text().endswith("council procurements")
    assert c["notices_applied"].text().endswith("notices, all buyers")
    assert all(c[k].text() in text for k in ("procurements_applied_visible", "procurements_applied",
                                                "notices_applied"))


def test_stats_keeps_its_contract_and_adds_the_page_counts(embedded, capsys):
    assert main(["stats", "--db", str(embedded)]) == 0
    out = json.loads(capsys.readouterr().out)
    c = counts.read(embedded)["counts"]
    contract = ["releases", "ocids", "rejects", "council_buyers", "other_buyers", "unmatched_buyers", "classified",
                "applied", "dismissed", "latest_date"]
    assert list(out)[:len(contract)] == contract
    assert out["applied"] == c["notices_applied"].n and out["releases"] == c["notices"].n
    assert out["procurements_applied_visible"] == c["procurements_applied_visible"].n
    assert out["councils_with_evidence"] == c["councils_with_evidence"].n


def test_readme_figure_blocks_are_fresh(embedded):
    """A stale README fails here: run `python -m svdash readme-figures` after the data or the counts change."""
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    blocks = cmd_figures.blocks(embedded)
    assert set(blocks) == {"coverage", "stats"}
    assert figures.replace_blocks(readme, blocks) == readme, "README figures are stale: python -m svdash readme-figures"


def test_readme_figures_check_and_write(embedded, tmp_path):
    stale = tmp_path / "README.md"
    stale.write_text("intro\n<!-- figures:coverage:start -->\nold 145\n<!-- figures:coverage:end -->\n"
                     "<!-- figures:stats:start -->\n<!-- figures:stats:end -->\n", encoding="utf-8")
    assert main(["readme-figures", "--readme", str(stale), "--db", str(embedded), "--check"]) == 1
    assert main(["readme-figures", "--readme", str(stale), "--db", str(embedded)]) == 0
    assert "old 145" not in stale.read_text(encoding="utf-8")
    assert main(["readme-figures", "--readme", str(stale), "--db", str(embedded), "--check"]) == 0
    stale.write_text("no markers", encoding="utf-8")
    assert main(["readme-figures", "--readme", str(stale), "--db", str(embedded)]) == 2


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_default_export_lists_the_councils_the_headline_counts(embedded, tmp_path):
    out = tmp_path / "headline.csv"
    assert main(["export", "--db", str(embedded), "--out", str(out)]) == 0
    rows = read_csv(out)
    assert len(rows) == int(england(embedded, "adoption_evidence")["denominator"]) == 317
    assert sum(r["Tier"] == "county council" for r in rows) == 21
    values = views.read_store(embedded, facts=False)["measure_values"]
    east = views.one_value(values, "adoption_evidence", "region", "East of England")
    out_east = tmp_path / "east.csv"
    assert main(["export", "--db", str(embedded), "--out", str(out_east), "--region", "East of England"]) == 0
    assert len(read_csv(out_east)) == int(east["denominator"]) == 50  # as Findings counts the region


def test_export_dates_are_iso_with_their_precision_and_shares_carry_their_denominator(embedded, tmp_path):
    out = tmp_path / "headline.csv"
    main(["export", "--db", str(embedded), "--out", str(out)])
    rows = pd.read_csv(out, dtype=str, keep_default_na=False)
    date_col = next(c for c in rows.columns if c.startswith("Record date ("))
    dated = rows[rows[date_col].ne("")]
    assert len(dated) and dated[date_col].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    assert set(dated["Record date precision"]) <= {"day", "month", "year"}
    share = tmp_path / "share.csv"
    main(["export", "--db", str(embedded), "--out", str(share), "--measure", "sv_applied_share"])
    cols = list(pd.read_csv(share, nrows=0).columns)
    assert cols.index("Numerator") == cols.index("Value (%)") + 1 and cols.index("Denominator") == cols.index("Numerator") + 1


@pytest.mark.parametrize("written,iso,precision", [("2021", "2021-12-31", "year"), ("2018-06", "2018-06-30", "month"),
                                                   ("2019-09-17", "2019-09-17", "day"), ("", "", ""),
                                                   ("not a date", "", "")])
def test_iso_dates_with_precision(written, iso, precision):
    got_iso, got_precision = iso_dates(pd.Series([written]))
    assert (got_iso.iloc[0], got_precision.iloc[0]) == (iso, precision)


@pytest.mark.parametrize("url,ocid,release_id,want", [
    ("", "ocds-h6vhtk-06e0d3", "076021-2026", "https://www.find-tender.service.gov.uk/Notice/076021-2026"),
    ("https://example.org/n/1", "ocds-h6vhtk-06e0d3", "076021-2026", "https://example.org/n/1"),
    ("", "ocds-b5fd17-b3313bd2", "fc69005c-e7ad-497c-ac5b-30ad2c8f4228-583151", ""),  # Contracts Finder: not derivable
    ("", "ocds-h6vhtk-06e0d3", "076021", ""),  # not a notice id
    ("javascript:alert(1)", "ocds-b5fd17-x", "1", ""),
])
def test_notice_link_is_published_or_built_only_from_a_find_a_tender_notice_id(url, ocid, release_id, want):
    assert views.notice_link(url, ocid, release_id) == want


def test_every_embedded_find_a_tender_url_is_the_notice_id_rule(embedded):
    """The rule `notice_link` builds from is checked on the data: every published Find a Tender URL equals it."""
    import duckdb

    con = duckdb.connect(str(embedded), read_only=True)
    rows = con.execute("SELECT notice_url, ocid, release_id FROM notice_facts WHERE starts_with(ocid, ?) "
                       "AND notice_url <> ''", [views.FTS_OCID_PREFIX]).fetchall()
    con.close()
    assert rows and all(views.notice_link("", o, r) == u for u, o, r in rows)
