"""Property tests (hypothesis, modest example counts): hostile or random input never raises.

- notice text → svdash.classify.classify: a valid status, evidence a verbatim substring of the text;
- CSV bytes → adoption validator: rows and messages, or one AdoptionFileError;
- random JSON (as a file, and inside release fields) → the OCDS importer: items or rejects, never a crash.
"""
from __future__ import annotations

import json
from datetime import date

import pandas as pd
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from svdash import adoption, store
from svdash.classify import classify
from svdash.sources.files import ImportFormatError, Item, Reject, iter_file

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                       HealthCheck.too_slow])
PHRASES = ["social value", "Social Value Act", "community benefits", "10%", "weighting", "not applicable",
           "will not be", "TOMs", "PPN 06/20", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
           "[click](javascript:alert(1))", "\u202egnp.exe", "\u200b", "\x00", "\r\n", "&amp;", ". ", "%", "—"]
text = st.lists(st.one_of(st.sampled_from(PHRASES), st.text(max_size=40)), max_size=12).map(" ".join)


@FAST
@given(st.lists(st.tuples(text, text), min_size=1, max_size=5), st.sampled_from(["[]", "", "not json", "{}",
       '[{"type": "quality", "name": "Social value", "weight_pct": 150}]', '[{"name": null}]']))
def test_classify_never_raises_and_returns_valid_rows(rows, criteria):
    frame = pd.DataFrame({"title": [t for t, _ in rows], "description": [d for _, d in rows],
                          "award_criteria_json": criteria})
    out = classify(frame)
    assert list(out.index) == list(frame.index)
    assert out["sv_status"].isin(["applied", "dismissed", "none"]).all()
    for (title, desc), ev, status in zip(rows, out["evidence"], out["sv_status"]):
        assert isinstance(ev, str)
        if status == "none":
            assert ev == ""
    w = out["weighting_pct"].dropna()
    assert ((w >= 0) & (w <= 100)).all()


HEADER = "gss_code,council_name,status,source_url\n".encode()


@FAST
@given(st.one_of(st.binary(max_size=400), st.binary(max_size=300).map(lambda b: HEADER + b),
                 st.lists(st.lists(st.text(max_size=15), max_size=6).map(",".join), max_size=8)
                 .map(lambda rows: HEADER + "\n".join(rows).encode("utf-8"))))
@example(b"\x81")  # found by this test: a lone non-UTF-8 byte crashed the per-line decoder (IndexError)
@example(HEADER + b"E07000177,Caf\xe9,policy_adopted,https://x\n")
def test_adoption_validator_never_raises_unexpectedly(data):
    try:
        clean, messages = adoption.validate_file("fuzz.csv", data=data, today=date(2026, 11, 27))
    except adoption.AdoptionFileError as exc:
        assert str(exc).startswith("fuzz.csv")
        return
    assert list(clean.columns) == adoption.COLUMNS
    assert all(m.file == "fuzz.csv" and m.severity in ("error", "warning") for m in messages)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=25)
FIELDS = ["tender", "buyer", "parties", "awards", "date", "tag", "id", "description", "planning", "value"]


@FAST
@given(json_values)
def test_random_json_files_are_items_or_rejects(tmp_path_factory, value):
    path = tmp_path_factory.mktemp("fz") / "random.json"
    path.write_text(json.dumps(value), encoding="utf-8")
    try:
        entries = list(iter_file(path))
    except ImportFormatError as exc:  # a bare scalar / non-OCDS text: one clear refusal naming the file
        assert str(path) in str(exc)
        return
    for e in entries:
        assert isinstance(e, (Item, Reject))
        if isinstance(e, Item):
            store.release_row(e.release, str(path))


@FAST
@given(st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=5))
def test_random_release_fields_flatten_without_error(fields):
    release = {"ocid": "ocds-constructed-fuzz", **fields}
    row = store.release_row(release, "fuzz")
    assert row["ocid"] == "ocds-constructed-fuzz" and row["release_key"].startswith("ocds-constructed-fuzz/")
    store._rows_frame([row])
