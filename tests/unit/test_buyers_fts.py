"""Buyer rules for Find a Tender names and identifiers, on CONSTRUCTED (name, id, postcode) tuples.

Names follow the forms English councils and other bodies publish under on Find a Tender; every identifier
here is constructed (GB-PPON-TEST-…, GB-COH-00000…), not a real organisation's. Postcodes are public
council-office postcodes, used only to locate the buyer via the ONS Postcode Directory package.
"""
from __future__ import annotations

import pandas as pd
import pytest

from svdash.buyers import (PARISH_LEVEL_CITIES, load_register, postcode_key, resolve_buyers, resolve_one,
                           scheme_of)


def _resolve(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["buyer_name", "buyer_id", "buyer_postcode"])
    return pd.concat([frame, resolve_buyers(frame)], axis=1)


# --- trading names, departments, formal styles ----------------------------------------------------------

@pytest.mark.parametrize("name,code", [
    ("Kent County Council (t/a Procurement Services)", "E10000016"),
    ("London Borough of Camden - Procurement", "E09000007"),
    ("Royal Borough of Greenwich Procurement Services", "E09000011"),
    ("Essex County Council - Public Health", "E10000012"),          # a council's own health service
    ("Birmingham City Council Housing", "E08000025"),               # council housing is the council
    ("Epsom and Ewell Borough Council acting by its Head of Procurement", "E07000208"),
    ("The Mayor and Commonalty and Citizens of the City of London", "E09000001"),
    ("The Mayor and Burgesses of the London Borough of Lewisham", "E09000023"),
    ("The Lord Mayor and Citizens of the City of Westminster", "E09000033"),
    ("The Council of the Borough of Kirklees", "E08000034"),
    ("The Council of the City of Manchester", "E08000003"),
    ("Council of the Isles of Scilly", "E06000053"),
    ("Borough Council of King's Lynn & West Norfolk", "E07000146"),
    ("The North Yorkshire Council", "E06000065"),
    ("St Albans City and District Council", "E07000240"),
])
def test_trading_names_departments_and_formal_styles_are_the_council(name, code):
    m = resolve_one(name)
    assert (m.kind, m.code) == ("council", code), m


# --- bare place names need a second signal --------------------------------------------------------------

def test_bare_place_name_is_a_council_only_where_its_postcode_agrees():
    out = _resolve([("Tower Hamlets", "GB-PPON-TEST-0001-AAAA", "E1 1BJ"),   # the council's own address
                    ("Tower Hamlets", "", "SW1A 2AA"),                        # somewhere else
                    ("Tower Hamlets", "", ""),                                # nothing to confirm it
                    ("Kent", "", "ME14 1XQ")])                                # a county: postcode in a district
    assert list(out["buyer_gss_code"]) == ["E09000030", "", "", "E10000016"]
    assert list(out["buyer_kind"]) == ["council", "other", "other", "council"]
    assert out.at[0, "match_method"] == "postcode" and out.at[2, "match_method"] == "unmatched"


def test_place_named_in_a_list_of_bodies_is_not_that_council():
    out = _resolve([("Sutton, Achieving for Children and Kingston", "GB-FTS-999001", "SM1 1EA"),
                    ("Kent County Council and Medway Council", "", "ME14 1XQ")])
    assert list(out["buyer_kind"]) == ["other", "other"] and list(out["buyer_gss_code"]) == ["", ""]


def test_short_council_name_the_register_lacks_resolves_through_its_postcode():
    out = _resolve([("Kingston Council", "", "KT1 1EU"), ("Kingston Council", "", "")])
    assert list(out["buyer_gss_code"]) == ["E09000021", ""]


# --- parish-level city and town councils ----------------------------------------------------------------

@pytest.mark.parametrize("name,postcode", [
    ("Salisbury City Council", "SP1 1JH"), ("Hereford City Council", "HR1 2PJ"),
    ("Lichfield City Council", "WS13 6YY"),     # inside Lichfield District, still not the district council
    ("Chichester City Council", "PO19 1LQ"), ("Ripon City Council", "HG4 1DD"), ("Wells City Council", "BA5 2RB"),
    ("Durham City Council", "DH1 5UQ"), ("Truro City Council", "TR1 2AH"), ("Ely City Council", "CB7 4LQ"),
    ("Taunton Town Council", "TA1 1HE"), ("City of Durham Parish Council", "DH1 5UQ"),
    ("Colchester City Council", "CM1 1JE"),     # a city council the register names otherwise, sitting in Chelmsford
    ("Newtown City Council", ""),               # a city council no register knows
])
def test_parish_level_city_and_town_councils_are_other(name, postcode):
    out = _resolve([(name, "", postcode)])
    assert (out.at[0, "buyer_kind"], out.at[0, "buyer_gss_code"]) == ("other", ""), out.iloc[0].to_dict()


def test_principal_city_council_missing_from_the_register_resolves_where_its_postcode_agrees():
    # Colchester became a city in 2022; the register still says "Colchester Borough Council".
    out = _resolve([("Colchester City Council", "", "CO3 3WG"), ("Colchester City Council", "", "")])
    assert list(out["buyer_gss_code"]) == ["E07000071", "E07000071"]


def test_parish_level_city_list_never_catches_a_principal_councils_register_name():
    reg = load_register()
    from svdash.buyers import _parish_city
    assert not [n for n in reg.exact if _parish_city(n)]
    # and no listed city's "X City Council" is a principal council's register name or alias
    assert not [c for c in PARISH_LEVEL_CITIES if f"{c} city council" in reg.exact]


# --- other UK councils, combined authorities, GLA, TfL, voluntary bodies -----------------------------------

@pytest.mark.parametrize("name", [
    "Cardiff Council", "Wrexham County Borough Council", "Newport City Council", "Cyngor Gwynedd",
    "Glasgow City Council", "The City of Edinburgh Council", "Aberdeenshire Council", "Belfast City Council",
    "Derry City and Strabane District Council", "Greater Manchester Combined Authority",
    "East Midlands Combined County Authority", "Greater London Authority", "Mayor of London", "GLA",
    "Transport for London", "TfL", "British Council", "BRITISH COUNCIL(THE)", "London Councils",
    "Adur & Worthing Councils", "Sefton Council for Voluntary Service", "Homes for Haringey",
    "Birmingham Children's Trust", "Clarion Housing Group", "Council of Europe",
])
def test_non_english_and_non_principal_bodies_are_other(name):
    m = resolve_one(name)
    assert (m.kind, m.code) == ("other", ""), m


def test_welsh_scottish_and_ni_postcodes_keep_an_unknown_council_name_other():
    out = _resolve([("Cardiff Borough Council", "", "CF10 4UW"), ("Edinburgh Town Hall Council", "", "EH8 8BG"),
                    ("Belfast Borough Council", "", "BT1 5GS")])
    assert set(out["buyer_kind"]) == {"other"}


# --- identifier schemes ---------------------------------------------------------------------------------

def test_scheme_is_read_from_the_scheme_prefixed_id():
    assert scheme_of("GB-PPON-PQBL-2673-MVYG") == "GB-PPON" and scheme_of("gb-coh-01234567") == "GB-COH"
    assert scheme_of("") == "" and scheme_of("12345") == ""


def test_company_and_charity_ids_mean_other_unless_the_whole_name_is_a_councils_own():
    assert resolve_one("Achieving for Children", "GB-COH-00000001").kind == "other"
    assert resolve_one("Sutton", "GB-CHC-00000002").kind == "other"
    assert resolve_one("Kent County Council Trading", "GB-COH-00000003").kind == "other"
    # a council published with a Companies House number: the official name outweighs the scheme
    m = resolve_one("Cheshire East Council", "GB-COH-00000004")
    assert (m.kind, m.code) == ("council", "E06000049")


def test_lae_identifier_is_the_register_code_but_not_for_a_named_non_council():
    assert resolve_one("DERBY CITY COUNCIL", "GB-LAE-DER").code == "E06000015"
    assert resolve_one("Derby Procurement Hub", "GB-LAE-DER").code == "E06000015"   # the id says which council
    assert resolve_one("Derby Teaching Hospitals NHS Foundation Trust", "GB-LAE-DER").kind == "other"


# --- identifier peers -----------------------------------------------------------------------------------

def test_a_confident_council_lends_its_code_to_the_same_ppon_ids_unknown_names():
    out = _resolve([("Wigan Council", "GB-PPON-TEST-0002-BBBB", "WN1 1YN"),
                    ("Corporate Contracts Team", "GB-PPON-TEST-0002-BBBB", "WN1 1YN"),     # odd name, same id
                    ("Tower Hamlets", "GB-PPON-TEST-0003-CCCC", ""),                       # bare, no postcode
                    ("London Borough of Tower Hamlets", "GB-PPON-TEST-0003-CCCC", "E14 2BG"),
                    ("Cumbria County Council", "GB-FTS-999002", ""),                       # split county
                    ("Cumberland Council", "GB-FTS-999002", "CA1 1RD")])
    assert list(out["buyer_gss_code"]) == ["E08000010", "E08000010", "E09000030", "E09000030",
                                           "E06000063", "E06000063"]
    assert list(out["match_method"]) == ["alias", "identifier_peer", "identifier_peer", "name",
                                         "identifier_peer", "name"]


def test_a_peer_never_turns_a_non_council_into_a_council():
    out = _resolve([
        # one name under the id is a company: the id does not speak for the council alone
        ("Kent County Council", "GB-PPON-TEST-0004-DDDD", "ME14 1XQ"),
        ("Commercial Services Group Ltd", "GB-PPON-TEST-0004-DDDD", "ME19 4YT"),
        ("Contracts Hub", "GB-PPON-TEST-0004-DDDD", "ME19 4YT"),
        # the borrower's postcode is in another council
        ("Wigan Council", "GB-PPON-TEST-0005-EEEE", "WN1 1YN"),
        ("Contracts Hub", "GB-PPON-TEST-0005-EEEE", "B1 1BB"),
        # the peers disagree
        ("Wigan Council", "GB-PPON-TEST-0006-FFFF", "WN1 1YN"),
        ("Bolton Council", "GB-PPON-TEST-0006-FFFF", "BL1 1RU"),
        ("Contracts Hub", "GB-PPON-TEST-0006-FFFF", "WN1 1YN"),
        # a bare place whose peer is another council
        ("Sutton", "GB-PPON-TEST-0007-GGGG", ""),
        ("London Borough of Merton", "GB-PPON-TEST-0007-GGGG", ""),
        # a parish council under a council's id stays a parish council
        ("Wigan Council", "GB-PPON-TEST-0008-HHHH", "WN1 1YN"),
        ("Aspull Parish Council", "GB-PPON-TEST-0008-HHHH", "WN1 1YN"),
        # Contracts Finder ids are not shared organisation ids
        ("Wigan Council", "GB-CFS-999003", "WN1 1YN"),
        ("Contracts Hub", "GB-CFS-999003", "WN1 1YN"),
    ])
    borrowers = out[out["buyer_name"].isin(["Commercial Services Group Ltd", "Contracts Hub", "Sutton",
                                            "Aspull Parish Council"])]
    assert len(borrowers) == 7
    assert set(borrowers["buyer_kind"]) == {"other"} and set(borrowers["buyer_gss_code"]) == {""}
    assert "identifier_peer" not in set(out["match_method"])
    assert out.loc[out["buyer_name"].eq("Kent County Council"), "buyer_gss_code"].tolist() == ["E10000016"]


def test_peer_resolution_does_not_depend_on_row_order():
    rows = [("Wigan Council", "GB-PPON-TEST-0002-BBBB", "WN1 1YN"),
            ("Corporate Contracts Team", "GB-PPON-TEST-0002-BBBB", "WN1 1YN"),
            ("Tower Hamlets", "GB-PPON-TEST-0003-CCCC", ""),
            ("London Borough of Tower Hamlets", "GB-PPON-TEST-0003-CCCC", "E14 2BG")]
    a = _resolve(rows).set_index("buyer_name")
    b = _resolve(rows[::-1]).set_index("buyer_name")
    pd.testing.assert_frame_equal(a.sort_index(), b.sort_index())


def test_postcode_key_is_the_directory_form():
    assert postcode_key("e1 1bj") == "E1  1BJ" and postcode_key("WN11YN") == "WN1 1YN"
    assert postcode_key("EC2P 2EJ") == "EC2P2EJ" and postcode_key("NE63 X") == "" and postcode_key("") == ""
    assert postcode_key("not a postcode") == ""
