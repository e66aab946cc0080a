r"""Templates: theories whose parameters contain free symbols, instantiated at rational points.

A template is a theory file whose ``[parameters]`` contain free symbols, such
as ``W1 = [["a"], ["b"]]``. Each rational value of the symbols gives one
network of the family. The group action must be constant (the theory-file
format already requires it), so one action over the rationals serves every
network of the family.
"""

from __future__ import annotations

import os
import tomllib
from functools import cached_property

from symequiv.actions.maps import AffineMap, DenseMatrix, MonomialMatrix
from symequiv.errors import TheoryError
from symequiv.exact.field import ExactField
from symequiv.groups.action import GroupAction
from symequiv.models.dense import DenseLayer
from symequiv.models.network import Network
from symequiv.search.rational_function import RationalFunction, format_value
from symequiv.search.spec import (
    DEFAULT_VALUES,
    Question,
    SearchSettings,
    SymbolDomain,
    symbols_in_order,
)
from symequiv.theory.loader import load, loads
from symequiv.theory.numeric_theory import NumericTheory


class Template:
    r"""A family of MLPs: a theory with free symbols in its parameters, and search settings.

    Parameters
    ----------
    theory : Theory
        The template read as a theory (claims about it hold for all real values).
    text : str
        The theory file's TOML text; worker processes rebuild the template from it.
    settings : SearchSettings, optional
        Defaults to the file's ``[search]`` table, or the default settings without one.

    Raises
    ------
    TheoryError
        When the parameters have no free symbols, or use ``pi`` outside cos and sin.
    """

    def __init__(self, theory, text, settings=None):
        self.theory = theory
        self.text = text
        self.source = theory.source
        if isinstance(theory, NumericTheory):
            raise TheoryError("a search ranges over free symbols in [parameters], but this "
                              "theory reads float weights from a file", source=self.source,
                              key="parameters.file")
        network = theory.network
        self.symbols = symbols_in_order(network.parameter_expressions())
        self._check_family(network)

        if settings is None:
            settings = theory.search or SearchSettings(
                domains=tuple(SymbolDomain.of(name, DEFAULT_VALUES) for name in self.symbols))
        if settings.question is Question.EXPECT and not theory.expectations:
            raise TheoryError('the question "expect" looks for values that refute a claim of '
                              "[expect], but the file has no [expect] claims",
                              source=self.source, key="search.question")
        self.settings = settings

        self.rational = ExactField.rational()
        field = network.field
        self._layers = tuple(
            (tuple(tuple(self._compile(field, entry) for entry in row) for row in layer.weights),
             tuple(self._compile(field, entry) for entry in layer.bias),
             layer.activation, layer.has_bias)
            for layer in network.layers)

    def _check_family(self, network):
        if not self.symbols:
            raise TheoryError("the parameters have no free symbols, so there is nothing to "
                              "search; write a symbol such as \"a\" in place of a number in "
                              "[parameters]", source=self.source, key="parameters")
        extra = [str(generator) for generator in getattr(network.field.domain, "symbols", ())
                 if str(generator) not in self.symbols]
        if extra:
            raise TheoryError(f"{extra[0]} appears outside cos and sin, which a search cannot "
                              "substitute; templates take rational functions of the free "
                              "symbols", source=self.source, key="parameters")
        if not all(isinstance(layer, DenseLayer) for layer in network.layers):
            raise TheoryError("the search handles MLPs only", source=self.source, key="model")

    @classmethod
    def from_text(cls, text, source="<string>"):
        """Read a template from TOML text; ``source`` names it in messages."""
        return cls(loads(text, source=source), text)

    @classmethod
    def from_file(cls, path):
        """Read a template file (a theory file with free symbols)."""
        path = os.fspath(path)
        theory = load(path)
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError) as error:
            raise TheoryError(f"cannot read the file: {error}", source=path) from None
        return cls(theory, text)

    def with_settings(self, settings):
        """Return the same template with other search settings."""
        return Template(self.theory, self.text, settings)

    def _compile(self, field, entry):
        return RationalFunction.from_expression(field.to_expr(entry), self.symbols)

    @property
    def name(self):
        return self.theory.name

    @cached_property
    def tables(self):
        """The template's TOML document, parsed; counterexample files copy its tables."""
        return tomllib.loads(self.text)

    @cached_property
    def action(self):
        """The group action over the rationals, shared by every network of the family."""
        action = self.theory.action
        return GroupAction(
            action.generators,
            {name: self._rational_map(action.input[name]) for name in action.generators},
            {name: self._rational_map(action.output[name]) for name in action.generators},
            action.relations, action.max_order, action.descriptions)

    def _rational_map(self, affine_map):
        source = affine_map.field
        rational = self.rational

        def convert(entry):
            return rational.convert(source.to_expr(entry))

        linear = affine_map.linear
        if isinstance(linear, MonomialMatrix):
            converted = MonomialMatrix(rational, linear.images,
                                       [convert(scale) for scale in linear.scales])
        else:
            converted = DenseMatrix(rational, [[convert(entry) for entry in row]
                                               for row in linear.rows()])
        translation = None if affine_map.translation is None else [
            convert(entry) for entry in affine_map.translation]
        return AffineMap(converted, translation)

    # -- instances ---------------------------------------------------------------

    def parameter_values(self, values):
        """Return ``{"W1": rows, "b1": entries, ...}`` of Fractions at ``values``.

        Raises
        ------
        ZeroDivisionError
            When a parameter's denominator vanishes at ``values``.
        """
        result = {}
        for index, (weights, bias, _, has_bias) in enumerate(self._layers, start=1):
            result[f"W{index}"] = [[entry.evaluate(values) for entry in row] for row in weights]
            if has_bias:
                result[f"b{index}"] = [entry.evaluate(values) for entry in bias]
        return result

    def instantiate(self, values):
        """Return the network at ``values`` (Fractions, one per symbol), over the rationals.

        Raises
        ------
        ZeroDivisionError
            When a parameter's denominator vanishes at ``values``.
        """
        domain = self.rational.domain
        weights = []
        biases = []
        activations = []
        for layer_weights, layer_bias, activation, _ in self._layers:
            weights.append([[_element(domain, entry.evaluate(values)) for entry in row]
                            for row in layer_weights])
            biases.append([_element(domain, entry.evaluate(values)) for entry in layer_bias])
            if activation is not None:
                activations.append(activation)
        has_bias = self._layers[0][3]
        return Network.mlp(self.rational, weights, biases, activations, has_bias=has_bias)

    def describe_values(self, values):
        """Write values as ``a = 1, b = -1/2``."""
        return ", ".join(f"{name} = {format_value(value)}"
                         for name, value in zip(self.symbols, values))


def _element(domain, value):
    return domain(value.numerator, value.denominator)
