"""Map: the headline "evidence of adoption" by council (or any measure) by lower tier, upper tier, hex or pooled
regions / comparison groups; period, region, council type and group filters."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from svdash import export, views
from svdash.charts import PLOTLY_CONFIG, binary_as_category, binary_categories, category_map, hex_map, measure_map
from svdash.filters import measure_def
from svdash import brief
from ui import brief_button, cache, maps, page, widgets

d, flt = page.start("Map: social value council by council")
if not d.ok:
    st.stop()
flt = page.with_default(d, flt)


def cards_category(table: pd.DataFrame, mdef: dict, counties: pd.DataFrame | None, geography: str) -> None:
    cats = views.category_counts(table, mdef["categories"])
    n = dict(zip(cats["category"], cats["n"]))
    found = len(table) - n.get("unknown", 0)
    cols = st.columns(5)
    cols[0].metric("Councils on the map", f"{len(table):,}")
    cols[1].metric("With evidence", f"{found:,}",
                   help="Any category but 'no evidence found': a policy record (adopted or in development) or a "
                        "notice applying social value.")
    cols[2].metric("Policy record", f"{n.get('policy_only', 0) + n.get('both', 0):,}",
                   help="A cited record of an adopted policy, charter or strategy (with or without practice).")
    cols[3].metric("Practice in notices", f"{n.get('practice_only', 0) + n.get('both', 0):,}",
                   help="At least one procurement whose published notice applies social value.")
    cols[4].metric("No evidence found", f"{n.get('unknown', 0):,}",
                   help="Unknown, not 'not adopted': records are evidence found, not a census, and most notices "
                        "publish no award criteria.")
    if geography == "upper":
        st.caption("Upper tier: a county shows the county council's own evidence (its record, its notices), not "
                   "its districts'; unitaries, metropolitan districts and London boroughs are both tiers. The "
                   "districts are on the lower-tier map.")
    if counties is not None and len(counties):
        c_found = int(counties["category"].ne("unknown").sum())
        how = "drawn as thick outlines in their category's colour" if geography == "lower" else "listed below the map"
        st.caption(f"Plus **{len(counties)} county councils** (the upper tier in two-tier areas; "
                   f"{c_found} with evidence), {how}: a county council's policy or notices are its own, not its "
                   f"districts'. All councils together: {len(table) + len(counties):,} (Overview counts them all). "
                   "'No evidence found' means unknown, not 'not adopted'.")


def cards_binary(table: pd.DataFrame, mdef: dict) -> None:
    labels = mdef.get("binary_labels") or {}
    v = table["value"]
    cols = st.columns(4 if v.isna().any() else 3)
    cols[0].metric("Councils shown", f"{len(table):,}")
    cols[1].metric(labels.get("with", "Yes"), f"{int(v.eq(1).sum()):,}")
    cols[2].metric(labels.get("without", "No"), f"{int(v.eq(0).sum()):,}")
    if v.isna().any():
        cols[3].metric("No value (not applicable)", f"{int(v.isna().sum()):,}")


def cards_value(table: pd.DataFrame, mdef: dict, kind: str, units_label: str, pooled: bool) -> None:
    solid = table["value"].notna() & ~table["low_n"]
    what = "Regions shown" if flt.geography == "region" else "Groups shown" if pooled else "Councils shown"
    cols = st.columns(4)
    cols[0].metric(what, f"{len(table):,}")
    k = export.scale(mdef)
    if kind == "quarter":
        from svdash.measures import quarter_label

        cols[1].metric("With a first quarter", f"{int(table['value'].notna().sum()):,}")
        cols[2].metric("Earliest", quarter_label(table["value"].min()) or "–")
        cols[3].metric("Latest", quarter_label(table["value"].max()) or "–")
        return
    noun = "a median" if kind == "median" else "a value"
    cols[1].metric(f"With {noun} (n ≥ {mdef.get('min_n', '?')})", f"{int(solid.sum()):,}")
    if pooled:
        best = table.loc[solid].sort_values("value", ascending=False)
        cols[2].metric(f"Highest ({units_label})", "–" if best.empty else f"{best['value'].iloc[0] * k:.1f}",
                       help=None if best.empty else str(best["name"].iloc[0]))
        cols[3].metric(f"Lowest ({units_label})", "–" if best.empty else f"{best['value'].iloc[-1] * k:.1f}",
                       help=None if best.empty else str(best["name"].iloc[-1]))
        return
    median = table.loc[solid, "value"].median() * k
    label = "Median of council medians" if kind == "median" else "Median of those"
    cols[2].metric(f"{label} ({units_label})", "–" if pd.isna(median) else f"{median:.1f}")
    cols[3].metric("Grey: low n or no data", f"{int((~solid).sum()):,}")


@st.fragment
def map_view(d, flt) -> None:
    """Filters, map, summary and table: a filter change or a click on the map reruns only this part (the
    sidebar, banners and title do not depend on the filters), so less is recomputed and re-sent."""
    flt = widgets.filter_panel(flt, d.measure_periods(), "map")

    mdef = measure_def(flt.measure)
    kind = views.measure_kind(mdef, flt.level)
    units_label = export.unit_label(mdef)
    table = d.view_table(flt)
    if mdef.get("basis") in ("records", "combined") and flt.period_type != "all":
        st.info("This measure comes from adoption records and is computed for all years together only; "
                "choose Period → All years together.")
    widgets.pooled_offer(flt, d.data_summary(), "map")

    # The map is sent before the summary above it (filled in below, same place on the page): the browser
    # loads plotly.js only when the first chart arrives, so the earlier it comes the sooner the map is drawn.
    summary = st.container()
    title = f"{mdef['title']} — {flt.describe()}" + ("" if kind in ("category", "binary") else f" ({units_label})")
    counties = None
    drawn = table
    if flt.geography == "group":
        drawn = views.pooled_on_councils(table, "group", cache.map_units("lower"))
    if kind == "category":
        cats = mdef["categories"]
        fig, counties = maps.category_figure(d, flt, table, mdef, title)
        alt = (f"Map of {len(table)} councils ({widgets.GEOGRAPHY_LABELS[flt.geography].lower()}) coloured by "
               f"category of evidence of adoption: " + ", ".join(c["label"].lower() for c in cats) + ".")
    elif kind == "binary":
        cats = binary_categories(mdef.get("binary_labels") or {})
        if table["value"].notna().all():  # every council has a 1 or a 0: no "not applicable" entry
            cats = cats[:2]
        gj = cache.hex_geojson() if flt.geography == "hex" else (
            cache.utla_geojson() if flt.geography == "upper" else cache.lad_geojson())
        fig = category_map(binary_as_category(drawn), gj, categories=cats, title=title)
        alt = (f"Map of {len(table)} councils coloured by {mdef['title'].lower()}: "
               + ", ".join(c["label"].lower() for c in cats) + ".")
    else:
        solid = table["value"].notna() & ~table["low_n"]
        noun = {"region": "regions", "group": "comparison groups (each council in its group's colour)"}.get(
            flt.geography, "councils")
        alt = (f"Map of {len(table)} {noun} "
               f"({widgets.GEOGRAPHY_LABELS[flt.geography].lower()}) coloured by {mdef['title'].lower()} on a "
               f"viridis scale; {int((~solid).sum())} with too few procurements or no data are grey.")
        unit = mdef.get("unit", "share")
        unit = "share" if unit == "category" else unit  # a category measure pooled is a share with evidence
        if flt.geography == "hex":
            fig = hex_map(drawn, cache.hex_geojson(), unit=unit, title=title, colour_title=units_label)
        else:
            gj = {"upper": cache.utla_geojson, "region": cache.region_geojson}.get(flt.geography, cache.lad_geojson)()
            fig = measure_map(drawn, gj, unit=unit, title=title, colour_title=units_label)
    event = st.plotly_chart(fig, config=PLOTLY_CONFIG, width="stretch", key="map_chart", on_select="rerun",
                            selection_mode="points", alt=alt)
    page.chart_caption(alt + " Hover a council for what its colour rests on; click it to pick it below.")

    with summary:
        if kind == "category":
            cards_category(table, mdef, counties, flt.geography)
        elif kind == "binary":
            cards_binary(table, mdef)
        else:
            cards_value(table, mdef, kind, units_label, flt.pooled)

    if counties is not None and flt.geography == "hex" and len(counties):
        labels = {c["id"]: c["label"] for c in mdef["categories"]}
        with st.expander(f"County councils ({len(counties)}): not hexes, listed here", expanded=False):
            st.dataframe(pd.DataFrame({"County council": counties["name"],
                                       "Evidence of adoption": counties["category"].map(labels)}),
                         hide_index=True, width="stretch")

    # A click on the map selects a council; its profile is one link away.
    if not flt.pooled:
        clicked = ""
        try:
            for pt in (event.selection.points if event else []):
                clicked = pt.get("location") or (pt.get("customdata") or [None, ""])[1] or ""
        except AttributeError:
            clicked = ""
        names = dict(zip(table["gss_code"], table["name"]))
        if counties is not None:
            names.update(zip(counties["gss_code"], counties["name"]))
        options = [""] + sorted(names, key=names.get)
        current = clicked if clicked in names else (flt.council if flt.council in names else "")
        pick = st.selectbox("Council profile", options, index=options.index(current), key=f"map_council_{current}",
                            format_func=lambda c: f"{names[c]} ({c})" if c else "Choose a council (or click the map)…")
        if pick:
            st.page_link(page.COUNCIL_PAGE, label=f"Open the profile of {names[pick]} →",
                         icon=":material/account_balance:", query_params={**flt.to_params(), "council": pick})

    screen = export.screen_table(table, mdef, flt.geography)
    widgets.table_twin(screen, title, "map_table")
    if flt.region or flt.group:  # the briefing pack of the area the filter names (the headline measure)
        scope = brief.resolve("region", flt.region) if flt.region else brief.resolve("group", flt.group)
        brief_button.offer(d, scope, "map_brief")
    else:
        st.caption("Choose a region or a comparison group above for its briefing pack (PDF).")
    with st.expander("About this measure"):
        st.markdown(f"**Numerator:** {mdef.get('numerator')}  \n**Denominator:** {mdef.get('denominator')}")
        if kind == "category":
            st.markdown("\n".join(f"- **{c['label']}** — {c['meaning']}" for c in mdef["categories"]))
        elif kind != "binary":
            st.markdown(f"**Low n:** fewer than {mdef.get('min_n')} in the denominator (grey on the map, listed "
                        "in the table).")
        for c in mdef.get("caveat_texts", []):
            st.markdown(f"- {c}")


map_view(d, flt)
