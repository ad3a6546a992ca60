"""svdash: evidence of whether English councils apply the Public Services (Social Value) Act 2012.

All logic lives in this package; it never imports streamlit (tests/unit/test_layering.py checks).
"""
__version__ = "0.1.0"
