"""The notice frame in DuckDB SQL: `ocds.flatten_release`, column for column, as one query over parsed releases.

DuckDB's C++ JSON reader parses each release once into the few fields the notice frame reads (`STRUCTURE`) and SQL
list functions assemble the columns, on every core. `ocds.flatten_release` stays the contract and the oracle: the
tests compare the two row for row on every real file and a synthetic sample.

Text fields are read as VARCHAR: DuckDB gives a JSON string's text, and a number, boolean, object or array as its
JSON text, where Python's `_text` gives "". A value that could be either (`true`, a bare number, text starting with
`{` or `[`) marks the row `py`, as does anything else SQL cannot answer exactly: a release without an `id` (its key
hashes the canonical JSON), an id that is not a string or integer, a lot without an id, a weight Python's `repr`
writes in exponent form, a date that is not plain ISO 8601 (pandas reads those), and whatever is not a release
(malformed JSON, no ocid, packages and records on one line). The caller hands `py` rows to `flatten_release`. So
the SQL need not be complete, only right where it answers; such rows are a handful in real files and none in
synthetic ones. Ids that are compared as values (buyer and party ids), the tag list and identifiers stay JSON.

The query has three levels: `s1` strips every text (Python's `str.strip()`), picks the buyer party and weighs each
criterion; `s2` renders criteria and collects the description's parts; the last one assembles the columns.
"""
from __future__ import annotations

from svdash.sources.ocds import NOTICE_COLUMNS, NOTICE_DOC_TYPES

# Python's str.strip() removes every character for which str.isspace() is true: the same set for DuckDB's trim.
PY_WHITESPACE = "".join(chr(c) for c in range(0x110000) if chr(c).isspace())
# The same set as an RE2 character class body (Python's `\s` in str patterns is this set; RE2's is ASCII only).
_WS_CLASS = "".join(f"\\x{{{ord(c):x}}}" for c in PY_WHITESPACE)

_T = "VARCHAR"
_DOC = {"id": _T, "documentType": _T, "url": _T, "noticeType": _T}
_CRIT = {"name": "JSON", "type": "JSON", "description": "JSON", "numbers": [{"weight": _T, "number": _T}]}
_BLOCK = {"criteria": [_CRIT], "description": _T, "weightingDescription": _T}
_PARTY = {"id": "JSON", "name": "JSON", "roles": [_T], "identifier": "JSON",
          "address": {"postalCode": "JSON", "locality": "JSON"}}
# Every field `flatten_release` reads, nothing more. `records` only tells a record package from a release. Ids,
# the tag, identifiers, party fields and criteria are JSON (exact whatever their type; criteria descriptions are
# often bare numbers, "30"); the other texts VARCHAR (cheaper), a value that may not have been a string → Python.
STRUCTURE = {
    "ocid": "JSON", "id": "JSON", "date": _T, "tag": "JSON", "title": _T, "description": _T, "records": "JSON",
    "buyer": {"id": "JSON", "name": _T, "identifier": "JSON"}, "parties": [_PARTY],
    "planning": {"title": _T, "documents": [_DOC]},
    "tender": {
        "title": _T, "description": _T, "value": {"amount": _T, "currency": _T},
        "lots": [{"id": _T, "title": _T, "description": _T, "awardCriteria": _BLOCK,
                  "selectionCriteria": {"description": _T}}],
        "awardCriteria": _BLOCK, "lotDetails": {"awardCriteria": _BLOCK, "awardCriteriaDetails": _T},
        "awardCriteriaDetails": _T, "contractTerms": {"performanceTerms": _T},
        "selectionCriteria": {"criteria": [{"description": _T}]},
        "techniques": {"frameworkAgreement": {"description": _T}}, "procurementMethodRationale": _T,
        "procedure": {"features": _T}, "documents": [_DOC], "legalBasis": {"scheme": _T, "id": _T},
    },
    "awards": [{"title": _T, "description": _T, "value": {"amount": _T, "currency": _T}, "documents": [_DOC]}],
    "contracts": [{"agreedMetrics": [{"title": _T, "description": _T}], "documents": [_DOC]}],
}


def duckdb_type(spec) -> str:
    """A STRUCTURE entry as a DuckDB type."""
    if isinstance(spec, str):
        return spec
    if isinstance(spec, list):
        return duckdb_type(spec[0]) + "[]"
    return "STRUCT(" + ", ".join(f'"{k}" {duckdb_type(v)}' for k, v in spec.items()) + ")"


def transform_structure(spec=None):
    """STRUCTURE as json_transform's structure argument (types as strings, lists as one-element lists)."""
    spec = STRUCTURE if spec is None else spec
    if isinstance(spec, str):
        return spec
    if isinstance(spec, list):
        return [transform_structure(spec[0])]
    return {k: transform_structure(v) for k, v in spec.items()}


def read_json_columns() -> str:
    """The `columns` argument of read_json for STRUCTURE (a SQL struct literal)."""
    return "{" + ", ".join(f"{_lit(k)}: {_lit(duckdb_type(v))}" for k, v in STRUCTURE.items()) + "}"


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


_WS = _lit(PY_WHITESPACE)
_WS_LIST = ", ".join(_lit(c) for c in PY_WHITESPACE)
_INT = r"-?(?:0|[1-9][0-9]*)"
_JSON_NUMBER = r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?"
# A number string Python's float() and DuckDB's cast read alike (after Python's strip and removing commas).
_PLAIN_NUMBER = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
# Plain ISO 8601 date-times that pandas and this SQL read alike; other dates go to Python (pandas).
_PLAIN_DATE = (r"(?:19|20|21)[0-9]{2}-[01][0-9]-[0-3][0-9]"
               r"(?:T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,6})?"
               r"(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])?)?")
# ocds._BARE_WEIGHT / _WEIGHT_ONLY with Python's Unicode `\s` spelled out; their `\d` also takes other scripts'
# digits, so a description with non-ASCII characters and no letters goes to Python.
_W = f"[{_WS_CLASS}]"
_BARE_WEIGHT = rf"^{_W}*([0-9]+(?:\.[0-9]+)?){_W}*%?{_W}*$"
_WEIGHT_ONLY = rf"^{_W}*[0-9]+(?:\.[0-9]+)?{_W}*%?{_W}*(?:(?:-|\x{{2013}}|to){_W}*[0-9]+(?:\.[0-9]+)?{_W}*%?{_W}*)?$"

# Temporary macros, created in this order (a macro binds the ones it calls). Arguments are column references, field
# accesses or lambda parameters, never costly expressions: a macro repeats its argument.
MACROS = {
    # ocds._text of a VARCHAR leaf: Python's strip(); trim() walks the whole string, so only when an end is blank
    "sv_t": (f"(s) AS CASE WHEN s IS NULL THEN '' WHEN s[1] IN ({_WS_LIST}) OR s[-1] IN ({_WS_LIST}) "
             f"THEN trim(s, {_WS}) ELSE s END"),
    # a VARCHAR leaf that may not have been a JSON string (Python's _text would give "")
    "sv_bad": (f"(s) AS s IS NOT NULL AND (s[1] IN ('{{', '[') OR s IN ('true', 'false', 'NaN', 'Infinity', '-Infinity') "
               f"OR regexp_full_match(s, '{_JSON_NUMBER}'))"),
    # ... and one whose str() Python may write otherwise (an integer's digits are the same; a boolean, float or
    # object are not)
    "sv_bad_str": f"(s) AS s IS NOT NULL AND (s[1] IN ('{{', '[') OR s IN ('true', 'false', 'NaN', 'Infinity', '-Infinity') "
                  f"OR (regexp_full_match(s, '{_JSON_NUMBER}') AND NOT regexp_full_match(s, '{_INT}')))",
    # ocds._text of a JSON leaf, decoding it once (the ends are checked on its JSON text: a blank, or an escape)
    "sv_tj": (f"(j) AS CASE WHEN NOT starts_with(CAST(j AS VARCHAR), '\"') OR j IS NULL THEN '' "
              f"WHEN CAST(j AS VARCHAR)[2] IN ({_WS_LIST}, '\\') OR CAST(j AS VARCHAR)[-2] IN ({_WS_LIST}) "
              "OR CAST(j AS VARCHAR)[-3] = '\\' OR CAST(j AS VARCHAR)[-6] = '\\' "
              f"THEN trim(json_extract_string(j, '$'), {_WS}) ELSE json_extract_string(j, '$') END"),
    # a JSON leaf → the string it holds, else NULL
    "sv_s": "(j) AS CASE WHEN starts_with(CAST(j AS VARCHAR), '\"') THEN json_extract_string(j, '$') END",
    # Python's str(x) of a JSON leaf holding a string, an integer or a boolean; NULL for anything else
    "sv_str": (f"(j) AS CASE WHEN starts_with(CAST(j AS VARCHAR), '\"') THEN json_extract_string(j, '$') "
               f"WHEN regexp_full_match(CAST(j AS VARCHAR), '{_INT}') THEN CAST(j AS VARCHAR) "
               "WHEN CAST(j AS VARCHAR) = 'true' THEN 'True' WHEN CAST(j AS VARCHAR) = 'false' THEN 'False' END"),
    # ... stripped: str(x).strip()
    "sv_strj": (f"(j) AS CASE WHEN starts_with(CAST(j AS VARCHAR), '\"') THEN sv_tj(j) "
                f"WHEN regexp_full_match(CAST(j AS VARCHAR), '{_INT}') THEN CAST(j AS VARCHAR) "
                "WHEN CAST(j AS VARCHAR) = 'true' THEN 'True' WHEN CAST(j AS VARCHAR) = 'false' THEN 'False' END"),
    # a JSON leaf whose str() Python writes otherwise (a float, an object, an array)
    "sv_odd_str": (f"(j) AS j IS NOT NULL AND NOT starts_with(CAST(j AS VARCHAR), '\"') AND "
                   f"NOT regexp_full_match(CAST(j AS VARCHAR), '{_INT}|true|false')"),
    "sv_finite": "(x) AS CASE WHEN isfinite(x) THEN x END",
    # ocds._number of a VARCHAR leaf (a JSON number's text or a string): the finite number or NULL
    "sv_num": (f"(s) AS CASE WHEN regexp_full_match(sv_t(replace(s, ',', '')), '{_PLAIN_NUMBER}') "
               f"THEN sv_finite(TRY_CAST(sv_t(replace(s, ',', '')) AS DOUBLE)) END"),
    # ... a string Python may read where the SQL does not ("1_000", other scripts' digits), or a number Python's
    # float() overflows on (an integer of 309 digits or more)
    "sv_odd_num": "(s) AS s IS NOT NULL AND (regexp_matches(s, '[^\\x00-\\x7f]|_') OR strlen(s) > 300)",
    # json.dumps(s, ensure_ascii=False) of a string column: DuckDB writes control characters' hex in upper case
    "sv_js": ("(s) AS CASE WHEN regexp_matches(s, '[\\x00-\\x08\\x0b\\x0e-\\x1f]') THEN "
              + "replace(" * 9 + "CAST(to_json(s) AS VARCHAR)"
              + "".join(f", '\\u00{h}', '\\u00{h.lower()}')" for h in ("0B", "0E", "0F", "1A", "1B", "1C", "1D", "1E", "1F"))
              + " ELSE CAST(to_json(s) AS VARCHAR) END"),
    # ocds.render_criterion(name, description, weight) of stripped fields
    "sv_render": ("(name, descr, w) AS CASE WHEN name = '' THEN '' ELSE "
                  f"CASE WHEN descr <> '' AND NOT regexp_matches(descr, '{_WEIGHT_ONLY}') AND descr <> name "
                  "THEN name || ' (' || descr || ')' ELSE name END "
                  "|| CASE WHEN w IS NOT NULL THEN ' ' || printf('%g', w) || '%' ELSE '' END END"),
    # a criteria block: each criterion's stripped fields, its weight (ocds.criterion_weight_pct: the numbers first,
    # then a bare-number description), its text as rendered into the description, and whether Python may read it
    # otherwise; NULL when the release has no such block
    "sv_block": ("(b) AS CASE WHEN b.criteria IS NULL AND b.description IS NULL AND b.weightingDescription IS NULL "
                 "THEN NULL ELSE {'criteria': list_transform(list_transform(list_transform(coalesce(b.criteria, []), "
                 "lambda c: {'name': sv_tj(c.name), 'type': sv_tj(c.type), 'descr': sv_tj(c.description), "
                 "'numbers': list_transform(coalesce(c.numbers, []), lambda n: {'weight': n.weight, "
                 "'v': sv_num(n.number), 'odd': sv_odd_num(n.number)})}), lambda c: {"
                 "'name': c.name, 'type': c.type, 'descr': c.descr, 'n': len(c.numbers), "
                 "'w': coalesce(list_filter(list_transform(c.numbers, lambda n: CASE "
                 "WHEN n.weight = 'percentageExact' AND n.v BETWEEN 0 AND 100 THEN n.v "
                 "WHEN n.weight = 'decimalExact' AND n.v BETWEEN 0 AND 1 THEN n.v * 100.0 END), "
                 "lambda w: w IS NOT NULL)[1], "
                 f"TRY_CAST(regexp_extract(c.descr, '{_BARE_WEIGHT}', 1) AS DOUBLE)), "
                 "'bad': coalesce(list_bool_or(list_transform(c.numbers, lambda n: n.odd)), false) "
                 "OR (regexp_matches(c.descr, '[^\\x00-\\x7f]') AND regexp_full_match(c.descr, '[^A-Za-z]*(?:to[^A-Za-z]*)?'))}), "
                 "lambda c: {'name': c.name, 'type': c.type, 'descr': c.descr, "
                 "'w': CASE WHEN c.w BETWEEN 0 AND 100 THEN c.w END, "
                 "'text': sv_render(coalesce(nullif(c.name, ''), c.type), c.descr, "
                 "CASE WHEN c.n > 0 AND c.w BETWEEN 0 AND 100 THEN c.w END), "
                 # Python writes a weight below 1e-4 in exponent form (repr); DuckDB does not
                 "'bad': c.bad OR (abs(c.w) < 1e-4 AND c.w <> 0)}), "
                 "'descr': sv_t(b.description), 'wdescr': sv_t(b.weightingDescription), "
                 "'bad': sv_bad(b.description) OR sv_bad(b.weightingDescription)} END"),
    # ocds._criteria_line of a block
    "sv_crit_line": ("(lot_id, b) AS coalesce('Award criteria (lot ' || lot_id || '): ' || nullif(array_to_string("
                     "list_filter(list_transform(b.criteria, lambda c: c.text), lambda t: t <> ''), '; '), ''), '')"),
    # ocds.award_criteria items of a block, each as json.dumps writes it
    "sv_crit_items": (
        "(lot_id, b) AS list_concat(list_transform(list_filter(b.criteria, lambda c: c.text <> ''), lambda c: "
        "'{\"kind\": \"criterion\", \"lot\": ' || sv_js(lot_id) || ', \"type\": ' || sv_js(c.type) "
        "|| ', \"name\": ' || sv_js(c.name) || ', \"description\": ' || sv_js(c.descr) "
        "|| ', \"weight_pct\": ' || coalesce(CAST(to_json(c.w) AS VARCHAR), 'null') "
        "|| ', \"text\": ' || sv_js(c.text) || '}'), "
        "list_transform(list_filter([b.descr, b.wdescr], lambda t: t <> ''), lambda t: "
        "'{\"kind\": \"text\", \"lot\": ' || sv_js(lot_id) || ', \"type\": \"\", \"name\": \"\", "
        "\"description\": ' || sv_js(t) || ', \"weight_pct\": null, \"text\": ' || sv_js(t) || '}'))"),
    "sv_block_bad": ("(b) AS coalesce(b.bad, false) OR coalesce(list_bool_or(list_transform(b.criteria, "
                     "lambda c: c.bad)), false)"),
    # a document, stripped
    "sv_doc": ("(d) AS {'id': d.id, 'type': d.documentType, 'url': sv_t(d.url), 'notice_type': sv_t(d.noticeType), "
               "'bad': sv_bad(d.noticeType) OR sv_bad_str(d.id)}"),
}


def install_macros(con) -> None:
    """Create the temporary macros the flatten SQL uses (per connection; idempotent)."""
    for name, body in MACROS.items():
        con.execute(f"CREATE OR REPLACE TEMP MACRO {name}{body}")


def _docs(expr: str) -> str:
    return f"CASE WHEN {expr} IS NULL THEN NULL ELSE list_transform({expr}, lambda d: sv_doc(d)) END"


def _nested_docs(items: str, var: str) -> str:
    return (f"CASE WHEN {items} IS NULL THEN NULL ELSE flatten(list_transform({items}, lambda {var}: "
            f"list_transform({var}.documents, lambda d: sv_doc(d)))) END")


# Text leaves that feed the description or title as they are (stripped), and whether each may not be a string.
_TEXTS = {
    "rtitle": "title", "bname": "buyer.name", "ptitle": "planning.title", "ttitle": "tender.title",
    "rdesc": "description", "tdesc": "tender.description", "tcurrency": "tender.value.currency",
    "ld_details": "tender.lotDetails.awardCriteriaDetails", "t_details": "tender.awardCriteriaDetails",
    "perf": "tender.contractTerms.performanceTerms",
    "framework": "tender.techniques.frameworkAgreement.description",
    "rationale": "tender.procurementMethodRationale", "features": "tender.procedure.features",
    "lb_scheme": "tender.legalBasis.scheme", "date": "date",
}
# Description parts besides the tender description that are single texts (when all are empty and no list adds
# parts, the description is the tender description alone: the common case, without lists)
_OTHER_TEXTS = ("rdesc", "ld_details", "t_details", "perf", "framework", "rationale", "features")


def _level1(carry: str) -> str:
    """Every text stripped (Python's str.strip()), the buyer party chosen, each criterion weighed; lists are NULL
    when absent, so the later levels skip them."""
    same_id = "(buyer.id IS NOT NULL AND CAST(p.id AS VARCHAR) = CAST(buyer.id AS VARCHAR))"
    texts = ",\n        ".join(f"sv_t({path}) AS {name}" for name, path in _TEXTS.items())
    bad = " OR ".join(f"sv_bad({path})" for name, path in _TEXTS.items() if name != "date")
    return f"""
    SELECT {carry}, CASE WHEN starts_with(CAST(ocid AS VARCHAR), '"') THEN sv_tj(ocid) END AS ocid, id AS id_json,
        sv_strj(id) AS rid, tag,
        records IS NOT NULL AS has_records, buyer.id AS bid, buyer.identifier AS bident,
        {texts},
        -- ocds._buyer_party: a buyer-role party with the buyer's id, else the first buyer-role party, else a party
        -- with the buyer's id (ids compare as JSON text: equal for equal strings or integers; others go to Python)
        CASE WHEN parties IS NULL THEN NULL ELSE
            coalesce(list_filter(parties, lambda p: list_contains(p.roles, 'buyer') AND {same_id})[1],
                     list_filter(parties, lambda p: list_contains(p.roles, 'buyer'))[1],
                     list_filter(parties, lambda p: {same_id})[1]) END AS bp,
        CASE WHEN parties IS NULL THEN false
             ELSE coalesce(list_bool_or(list_transform(parties, lambda p: sv_odd_str(p.id))), false) END AS parties_bad,
        sv_num(tender.value.amount) AS tamount, sv_odd_num(tender.value.amount) AS tamount_bad,
        tender.legalBasis.id AS lb_id,
        CASE WHEN tender.lots IS NULL THEN NULL ELSE list_transform(tender.lots, lambda lot: {{'id': lot.id,
            'title': sv_t(lot.title), 'descr': sv_t(lot.description), 'sel': sv_t(lot.selectionCriteria.description),
            'ac': sv_block(lot.awardCriteria),
            'bad': lot.id IS NULL OR sv_bad_str(lot.id) OR sv_bad(lot.title) OR sv_bad(lot.description)
                OR sv_bad(lot.selectionCriteria.description)}}) END AS lots,
        sv_block(tender.awardCriteria) AS tac, sv_block(tender.lotDetails.awardCriteria) AS ldac,
        CASE WHEN tender.selectionCriteria.criteria IS NULL THEN NULL
             ELSE list_transform(tender.selectionCriteria.criteria, lambda c: sv_t(c.description)) END AS selcrit,
        CASE WHEN tender.selectionCriteria.criteria IS NULL THEN false
             ELSE coalesce(list_bool_or(list_transform(tender.selectionCriteria.criteria,
                  lambda c: sv_bad(c.description))), false) END AS selcrit_bad,
        {_docs('planning.documents')} AS pdocs, {_docs('tender.documents')} AS tdocs,
        {_nested_docs('awards', 'a')} AS award_docs, {_nested_docs('contracts', 'k')} AS contract_docs,
        CASE WHEN awards IS NULL THEN NULL ELSE list_transform(awards, lambda a: {{'title': sv_t(a.title),
            'descr': sv_t(a.description),
            'amount': CASE WHEN upper(sv_t(a.value.currency)) IN ('GBP', '') THEN sv_num(a.value.amount) END,
            'bad': sv_bad(a.title) OR sv_bad(a.description) OR sv_bad(a.value.currency)
                OR sv_odd_num(a.value.amount)}}) END AS awards,
        CASE WHEN awards IS NULL THEN false
             ELSE coalesce(list_bool_or(list_transform(awards, lambda a: a.description IS NOT NULL)), false) END
            AS award_text,
        CASE WHEN contracts IS NULL THEN NULL ELSE flatten(list_transform(contracts, lambda k:
            list_transform(k.agreedMetrics, lambda m: CASE WHEN sv_t(m.title) <> '' AND sv_t(m.description) <> ''
                THEN sv_t(m.title) || ': ' || sv_t(m.description) ELSE sv_t(m.title) || sv_t(m.description) END))) END
            AS metrics,
        CASE WHEN contracts IS NULL THEN false ELSE coalesce(list_bool_or(flatten(list_transform(contracts, lambda k:
            list_transform(k.agreedMetrics, lambda m: sv_bad(m.title) OR sv_bad(m.description))))), false) END
            AS metrics_bad,
        ({bad}) AS texts_bad
    FROM src"""


def _level2() -> str:
    """Lists and small objects the columns share, built once: the documents in the two orders ocds reads them,
    the tag items, the buyer identifier's fields, the GBP award values."""
    pid = "CAST(bp.identifier AS VARCHAR)"
    ident = f"CASE WHEN starts_with({pid}, '{{') AND {pid} <> '{{}}' THEN bp.identifier ELSE bident END"
    none = "pdocs IS NULL AND tdocs IS NULL AND award_docs IS NULL AND contract_docs IS NULL"
    return f"""
    SELECT *,
        CASE WHEN {none} THEN NULL ELSE list_concat(pdocs, tdocs, award_docs, contract_docs) END AS docs_type,
        CASE WHEN {none} THEN NULL ELSE list_concat(tdocs, award_docs, pdocs) END AS docs_url,
        CASE WHEN starts_with(CAST(tag AS VARCHAR), '[') THEN CAST(json_transform(tag, '["JSON"]') AS JSON[]) END
            AS tag_items,
        CASE WHEN starts_with(CAST(({ident}) AS VARCHAR), '{{')
             THEN json_transform({ident}, '{{"scheme": "JSON", "id": "JSON"}}') END AS ident,
        CASE WHEN awards IS NULL THEN NULL
             ELSE list_filter(list_transform(awards, lambda a: a.amount), lambda v: v IS NOT NULL) END AS gbp_awards
    FROM s1"""


def _py(extra: str = "") -> str:
    """Why a row goes to Python (any of these; each is false, never NULL, when it does not apply, and the checks
    over lists are skipped where the list is absent)."""
    def over(lst: str, check: str) -> str:
        return f"(CASE WHEN {lst} IS NULL THEN false ELSE coalesce(list_bool_or(list_transform({lst}, {check})), false) END)"
    return " OR ".join([
        "coalesce(ocid, '') = ''", "has_records",       # not an object, or no ocid (a reject or a package), records
        "coalesce(rid, '') IN ('', 'None', 'True', 'False')",  # no id: keyed by the canonical JSON's sha1
        "sv_odd_str(id_json)", "texts_bad", "parties_bad", "tamount_bad", "selcrit_bad", "metrics_bad",
        "sv_odd_str(bid)", "sv_odd_str(ident.id)", "sv_bad_str(lb_id)",
        over("lots", "lambda lot: lot.bad OR sv_block_bad(lot.ac)"),
        "(CASE WHEN tac IS NULL THEN false ELSE sv_block_bad(tac) END)",
        "(CASE WHEN ldac IS NULL THEN false ELSE sv_block_bad(ldac) END)",
        over("awards", "lambda a: a.bad"), over("docs_type", "lambda d: d.bad"),
        "(tag IS NOT NULL AND NOT starts_with(CAST(tag AS VARCHAR), '[') AND NOT starts_with(CAST(tag AS VARCHAR), '\"') "
        "AND CAST(tag AS VARCHAR) NOT IN ('false', '0', '0.0', '{}'))",
        over("tag_items", "lambda x: x IS NOT NULL AND sv_odd_str(x)"),
        f"(date <> '' AND NOT regexp_full_match(date, '{_PLAIN_DATE}'))",
    ] + ([f"coalesce({extra}, false)"] if extra else []))


def _level3(extra_py: str = "") -> str:
    """Whether the row goes to Python; the description's parts (NULL when the tender description is the only
    possible part); the award criteria items (NULL when there are none)."""
    lot_parts = (
        "flatten(list_transform(lots, lambda lot: ["
        "CASE WHEN lot.title <> '' THEN 'Lot ' || lot.id || ': ' || lot.title "
        "|| CASE WHEN lot.descr <> '' THEN '. ' || lot.descr ELSE '' END ELSE lot.descr END, "
        "sv_crit_line(lot.id, lot.ac), coalesce(lot.ac.descr, ''), coalesce(lot.ac.wdescr, ''), lot.sel]))")
    blocks = ", ".join(f"replace(sv_crit_line('all', {b}), '(lot all)', '(all lots)'), "
                       f"coalesce({b}.descr, ''), coalesce({b}.wdescr, '')"
                       for b in ("tac", "ldac"))
    parts = (f"list_concat([tdesc, {', '.join(_OTHER_TEXTS[:1])}], list_transform(awards, lambda a: a.descr), "
             f"CASE WHEN lots IS NOT NULL THEN {lot_parts} END, "
             f"CASE WHEN tac IS NOT NULL OR ldac IS NOT NULL THEN [{blocks}] END, [ld_details, t_details, perf], "
             "selcrit, [framework, rationale, features], metrics)")
    only_tender = ("lots IS NULL AND tac IS NULL AND ldac IS NULL AND selcrit IS NULL AND metrics IS NULL "
                   "AND NOT award_text AND " + " AND ".join(f"{t} = ''" for t in _OTHER_TEXTS))
    items = ("CASE WHEN lots IS NULL AND tac IS NULL AND ldac IS NULL THEN NULL ELSE list_concat("
             "flatten(list_transform(lots, lambda lot: sv_crit_items(lot.id, lot.ac))), "
             "sv_crit_items('', tac), sv_crit_items('', ldac)) END")
    return f"""
    SELECT *, ({_py(extra_py)}) AS py,
        CASE WHEN {only_tender} THEN NULL ELSE list_filter({parts}, lambda p: p <> '') END AS parts,
        {items} AS items
    FROM s2"""


def _date() -> str:
    """pandas' ISO 8601 reading (`ocds.parse_dates`) of a plain date: the offset applied, then naive UTC."""
    local = "TRY_CAST(replace(regexp_extract(date, '^(.*?)(?:Z|[+-][0-9]{2}:[0-9]{2})?$', 1), 'T', ' ') AS TIMESTAMP)"
    offset = ("CASE WHEN regexp_matches(date, '[+-][0-9]{2}:[0-9]{2}$') THEN "
              "(CASE WHEN substr(date, -6, 1) = '-' THEN -1 ELSE 1 END) * "
              "(TRY_CAST(substr(date, -5, 2) AS INTEGER) * 60 + TRY_CAST(substr(date, -2, 2) AS INTEGER)) ELSE 0 END")
    return f"CASE WHEN date = '' THEN NULL ELSE {local} - to_minutes({offset}) END"


def _columns(source: str) -> dict[str, str]:
    ident_scheme = "sv_tj(ident.scheme)"
    buyer_id = (f"coalesce(CASE WHEN {ident_scheme} <> '' AND CAST(ident.id AS VARCHAR) <> '\"\"' "
                f"THEN {ident_scheme} || '-' || sv_strj(ident.id) END, "
                "CASE WHEN CAST(bid AS VARCHAR) <> '\"\"' THEN sv_strj(bid) END, "
                "CASE WHEN CAST(bp.id AS VARCHAR) <> '\"\"' THEN sv_strj(bp.id) END, '')")
    url = ("CASE WHEN docs_url IS NULL THEN '' ELSE coalesce(" + ", ".join(
        f"list_filter(docs_url, lambda d: d.type = {_lit(kind)} AND "
        "(starts_with(d.url, 'http://') OR starts_with(d.url, 'https://')))[1].url" for kind in NOTICE_DOC_TYPES)
        + ", '') END")
    kinds = "list_filter(list_transform(docs_type, lambda d: d.notice_type), lambda k: k <> '')"
    own = f"list_filter(docs_type, lambda d: d.notice_type <> '' AND trim(d.id, {_WS}) = rid)[1].notice_type"
    notice_type = (f"CASE WHEN docs_type IS NULL THEN '' ELSE coalesce({own}, "
                   f"CASE WHEN len(list_distinct({kinds})) = 1 THEN {kinds}[1] END, '') END")
    legal_id = f"CASE WHEN lb_id <> '' THEN trim(lb_id, {_WS}) END"
    return {
        "release_key": "ocid || '/' || rid",
        "ocid": "ocid",
        "release_id": "rid",
        "date": _date(),
        "tags": ("CASE WHEN tag_items IS NOT NULL THEN array_to_string(list_transform(tag_items, "
                 "lambda x: coalesce(sv_str(x), 'None')), '|') "
                 "WHEN starts_with(CAST(tag AS VARCHAR), '\"') THEN sv_s(tag) ELSE '' END"),
        "buyer_name": "CASE WHEN bname <> '' THEN bname ELSE sv_tj(bp.name) END",
        "buyer_id": buyer_id,
        "buyer_postcode": "sv_tj(bp.address.postalCode)",
        "buyer_locality": "sv_tj(bp.address.locality)",
        "title": ("CASE WHEN ttitle <> '' THEN ttitle ELSE coalesce(list_filter(list_transform(awards, "
                  "lambda a: a.title), lambda t: t <> '')[1], nullif(ptitle, ''), rtitle) END"),
        # parts repeat rarely: only then the (quadratic) first-occurrence filter
        "description": ("CASE WHEN parts IS NULL THEN tdesc ELSE array_to_string(CASE WHEN len(parts) < 2 "
                        "OR len(list_distinct(parts)) = len(parts) THEN parts "
                        "ELSE list_filter(parts, lambda p, i: list_position(parts, p) = i) END, chr(10) || chr(10)) END"),
        "award_criteria_json": "CASE WHEN items IS NULL THEN '[]' ELSE '[' || array_to_string(items, ', ') || ']' END",
        # Python's float(sum(...)) adds left to right from int 0 (so -0.0 sums to 0.0)
        "value_gbp": ("coalesce(CASE WHEN upper(tcurrency) IN ('GBP', '') THEN tamount END, "
                      "CASE WHEN len(gbp_awards) > 0 THEN list_reduce(gbp_awards, lambda a, b: a + b) + 0.0 END)"),
        "notice_url": url,
        "source": source,
        "notice_type": notice_type,
        "legal_basis": (f"CASE WHEN lb_scheme <> '' AND coalesce({legal_id}, '') <> '' "
                        f"THEN lb_scheme || ':' || {legal_id} ELSE lb_scheme END"),
    }


def flatten_sql(relation: str, source: str = "?", carry: str = "ord", extra_py: str = "") -> str:
    """A query over `relation` — the top-level keys of STRUCTURE with their types (read_json with
    `read_json_columns()`, json_transform, or the items of a package's `releases`) and the columns in `carry` —
    giving those `carry` columns, `py` (the row must be flattened by Python: its other columns are then
    meaningless; `extra_py` adds a SQL condition over the carried columns) and the notice-frame columns in order.
    `source` is a SQL expression (a bound parameter by default)."""
    cols = _columns(source)
    assert list(cols) == NOTICE_COLUMNS
    body = ",\n    ".join(f"{expr} AS {name}" for name, expr in cols.items())
    return f"""
WITH src AS (SELECT * FROM {relation}),
s1 AS ({_level1(carry)}),
s2 AS ({_level2()}),
s3 AS ({_level3(extra_py)})
SELECT {carry}, py,
    {body}
FROM s3"""
