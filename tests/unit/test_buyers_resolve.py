"""Buyer names → English council codes (names as published on Contracts Finder / the passages), or `other`."""
from __future__ import annotations

import pandas as pd
import pytest

from svdash.buyers import resolve_buyers, resolve_one

COUNCILS = [
    ("London Borough of Merton", "", "E09000024"),
    ("Dudley MBC", "", "E08000027"),
    ("Dudley Metropolitan Borough Council", "", "E08000027"),
    ("Royal Borough of Kingston upon Thames", "", "E09000021"),
    ("THE LONDON BOROUGH OF CAMDEN", "", "E09000007"),
    ("Nuneaton & Bedworth BC (NUN)", "", "E07000219"),
    ("Borough Council of King's Lynn & West Norfolk", "", "E07000146"),
    ("Cheshire west and Chester Borough Council", "", "E06000050"),
    ("Suffolk County Council Passenger Transport", "", "E10000029"),      # trading name → the county (E10)
    ("Walsall Council e-Tendering", "", "E08000030"),
    ("Hertfordshire County Council - Children's Services", "", "E10000015"),
    ("London Borough of Haringey - Parks and Leisure", "", "E09000014"),
    ("Warwickshire County Council (WCC)", "", "E10000031"),
    ("East Herts Council", "", "E07000242"),                              # county abbreviation
    ("Westminster City Council", "", "E09000033"),
    ("Durham County Council", "", "E06000047"),                           # a unitary despite "County"
    ("Wycombe District Council", "", "E06000060"),                        # abolished 2020 → Buckinghamshire
    ("North Yorkshire County Council", "", "E06000065"),                  # abolished county → unitary
    ("Mole Valley District Council", "", "E07000210"),                    # a district keeps its own code
    ("DERBY CITY COUNCIL", "GB-LAE-DER", "E06000015"),                    # register identifier
    ("City of London Corporation", "", "E09000001"),
]
OTHERS = [
    "ESPO", "Espo", "YPO", "Welland Procurement Unit", "Partners Procurement Service (PPS)",
    "NHS England", "Kettering General Hospital NHS Foundation Trust", "Barton Stacey Primary School",
    "Dixons Academies Charitable Trust Ltd", "University of Leeds", "Lancashire Constabulary",
    "Avon Fire & Rescue Service", "Ministry of Defence", "Department for Education", "Norse Commercial Services Limited",
    "Corserv Solutions Ltd", "West Midlands Combined Authority", "Cambridgeshire & Peterborough Combined Authority",
    "North York Moors National Park Authority", "Lancing Parish Council", "Thame Town Council",
    "Salix Homes Limited", "THE GUINNESS PARTNERSHIP LIMITED", "General Dental Council", "British Council",
    "Fife Council", "The City of Edinburgh Council", "Cardiff Council", "Rhondda Cynon Taf CBC",
    "Isle of Anglesey County Council", "Legal, Democratic and Business Intelligence, Swansea Council,",
    "Local Government Association", "In-Tend e-Tendering", "UK",
]


@pytest.mark.parametrize("name,buyer_id,code", COUNCILS)
def test_council_names_resolve_to_todays_code(name, buyer_id, code):
    m = resolve_one(name, buyer_id)
    assert (m.kind, m.code) == ("council", code), m


@pytest.mark.parametrize("name", OTHERS)
def test_non_councils_never_get_a_council_code(name):
    m = resolve_one(name)
    assert m.kind == "other" and m.code == "", m


def test_split_county_needs_the_postcode_to_pick_its_successor():
    assert resolve_one("Cumbria County Council").code == ""          # council for sure, code unknown
    assert resolve_one("Cumbria County Council").kind == "council"
    assert resolve_one("Cumbria County Council", "", "E06000063").code == "E06000063"


def test_fuzzy_fallback_catches_a_misspelling_with_its_confidence():
    m = resolve_one("Stockton on Tees Borogh Council")
    assert (m.code, m.method) == ("E06000004", "fuzzy") and 0.9 <= m.confidence < 1


def test_gor_identifier_is_central_government():
    assert resolve_one("Met Office", "GB-GOR-EA46").kind == "other"


def test_frame_contract_and_one_resolution_per_distinct_buyer():
    frame = pd.DataFrame({"buyer_name": ["Dudley MBC", "Dudley MBC", "ESPO", "Mystery Buyer Ltd", "Zzz Borough"],
                          "buyer_id": ["", "", "", "", ""], "buyer_postcode": ["DY1 1HF", "DY1 1HF", "", "", ""]},
                         index=[5, 6, 7, 8, 9])
    out = resolve_buyers(frame)
    assert list(out.index) == [5, 6, 7, 8, 9]
    assert list(out.columns) == ["buyer_gss_code", "buyer_kind", "buyer_name_canonical", "match_method",
                                 "match_confidence"]
    assert list(out["buyer_gss_code"]) == ["E08000027", "E08000027", "", "", ""]
    assert list(out["match_method"]) == ["name", "name", "non_council", "non_council", "unmatched"]
    assert out["match_confidence"].between(0, 1).all()
