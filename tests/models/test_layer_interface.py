"""The user-defined layer of docs/layers.md runs as printed and behaves as described."""

from __future__ import annotations

import pathlib
import re

from symequiv.derivation.endtoend import decide_end_to_end
from symequiv.derivation.engine import DerivationStatus, derive
from symequiv.verdicts import Status

PAGE = pathlib.Path(__file__).resolve().parents[2] / "docs" / "layers.md"


def _blocks(language):
    return re.findall(rf"```{language}\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.S)


def _run_example(capsys):
    namespace = {}
    exec(compile(_blocks("python")[0], str(PAGE), "exec"), namespace)
    return namespace, capsys.readouterr().out


def test_docs_example_prints_the_documented_derivation(capsys):
    _, out = _run_example(capsys)

    assert out == _blocks("text")[0]


def test_docs_example_changed_shift_has_no_latent_action(capsys):
    namespace, _ = _run_example(capsys)
    field = namespace["field"]
    layer = namespace["DiagonalTanh"](field, [field.convert(1), field.convert(-1)],
                                      [field.convert(1), field.convert(-2)])
    network = namespace["network"].with_layer(1, layer)
    action = namespace["action"]

    derivation = derive(network, action)
    verdict = decide_end_to_end(network, action, derivation)

    assert derivation.status is DerivationStatus.NO_LATENT_ACTION
    assert derivation.reason.endswith("coordinate 1 differs beyond a sign")
    assert verdict.status is Status.REFUTED
    assert verdict.method == "certified witness"


def test_docs_example_layer_refuses_dense_map(capsys):
    namespace, _ = _run_example(capsys)
    field = namespace["field"]
    from symequiv.actions.maps import AffineMap, linear_map

    dense = AffineMap(linear_map(field, [[field.one, field.one], [field.zero, field.one]]))

    absorption = namespace["network"].layers[0].absorb(dense)

    assert not absorption.absorbed
    assert absorption.reason.startswith("a diagonal layer absorbs only maps")
