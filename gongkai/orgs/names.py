"""Normalisation of organisation names, so that a name matches however it was typed or pasted.

``normalise_name`` is the key every name, short name and alias is stored and looked up under:
full-width forms become half-width (NFKC), every kind of bracket becomes ``()``, whitespace and
invisible format characters go, and list punctuation or a trailing "等" around the name is
dropped ("市教委等" → "市教委"). Stripping "等相关部门" and splitting lists is the caller's job.
"""

import unicodedata

_BRACKETS = str.maketrans(dict.fromkeys("[【〔〖", "(") | dict.fromkeys("]】〕〗", ")"))
_PUNCT = "、,;:。."  # after NFKC, "，；：" are already ",;:"


def normalise_name(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).translate(_BRACKETS)
    kept = "".join(
        ch for ch in folded if not ch.isspace() and unicodedata.category(ch) not in {"Cc", "Cf"}
    )
    # Removing characters can bring a base letter and a combining mark together: recompose.
    return unicodedata.normalize("NFKC", kept).lstrip(_PUNCT).rstrip(_PUNCT + "等")
