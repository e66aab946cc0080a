"""format_map: how latent actions read in text reports."""

from __future__ import annotations

from symequiv.actions.maps import AffineMap, MonomialMatrix
from symequiv.exact.field import ExactField
from symequiv.report import format_map


def test_minus_identity_is_named():
    field = ExactField.rational()
    minus = AffineMap(MonomialMatrix(field, (0, 1), (-field.one, -field.one)))

    assert format_map(minus, indent="")[0] == "signed permutation (1)-(2)-, that is -I"


def test_other_signed_permutation_is_not_named():
    field = ExactField.rational()
    flip = AffineMap(MonomialMatrix(field, (0, 1), (-field.one, field.one)))

    assert format_map(flip, indent="")[0] == "signed permutation (1)-"
