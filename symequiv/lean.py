r"""Lean 4 export: the layerwise equivariance of a concrete network as Mathlib statements.

The file states, over :math:`\mathbb{Q}`:

* the data: every :math:`W_i`, :math:`b_i`, the generator maps and the latent
  actions :math:`\rho_i(g)`, each affine map also as its homogeneous
  :math:`(d+1) \times (d+1)` matrix ``H`` so that relations are matrix products;
* the finite proof obligations, each with a ``norm_num`` proof over the
  entries: the relations hold for every ``H``, and layer by layer
  ``[W_i | b_i] H(k_{i-1}(g)) = P_i(g) [W_i | b_i]`` (for a pointwise
  activation, ``P_i(g)`` moves row :math:`j` to row :math:`\pi(j)` scaled by
  :math:`c_j`) or ``= [K | mu] [[W_i, b_i], [0, 1]]`` (for an affine layer);
* the equivariance of every layer over :math:`\mathbb{R}` as a theorem whose
  hypotheses are the activation identities :math:`\sigma(c t) = \lambda \sigma(t) + \mu`
  used; its proof from the obligations is left as ``sorry``.

symequiv does not run Lean: the tactics are the expected ones, not checked
here. Numbers must be rational, or rational functions of free symbols, which
become explicit ``ℚ`` arguments of every definition.
"""

from __future__ import annotations

import os
import re

from symequiv.errors import InputError, UnsupportedError
from symequiv.models.expansion import FLATTENING, expand_report

_ENTRY_LEMMAS = "Matrix.mul_apply, Fin.sum_univ_succ, Matrix.one_apply, pow_succ"


class _Lean:
    def __init__(self, theory, report):
        self.theory = theory
        kinds = [layer.kind for layer in theory.network.layers]
        # Layers without a dense expansion (attention): only the group's relations are stated.
        self.not_stated = sorted({kind for kind in kinds if kind not in FLATTENING})
        self.expanded = not self.not_stated and any(kind != "dense" for kind in kinds)
        self.report = expand_report(report) if self.expanded else report
        field = theory.network.field
        if not (field.is_rational or field.symbols):
            raise UnsupportedError(f"Lean export needs rational numbers or free symbols; the "
                                   f"numbers of {theory.name} lie in {field}")
        self.field = field
        self.symbols = [str(symbol) for symbol in field.domain.symbols] if field.symbols else []
        self.arguments = " ".join(self.symbols)
        self.binder = f" ({self.arguments} : ℚ)" if self.symbols else ""
        self.lines = []
        self.defined = set()

    def number(self, element):
        text = str(self.field.to_expr(element)).replace("**", "^")
        return f"({text})" if any(character in text for character in "+-*/ ") else text

    def matrix(self, rows, columns):
        rows = [list(row) for row in rows]
        if not rows or not columns:
            return "0"
        return "!![" + "; ".join(", ".join(self.number(entry) for entry in row)
                                 for row in rows) + "]"

    def define(self, name, rows, columns, comment):
        kind = f"Matrix (Fin {len(rows)}) (Fin {columns}) ℚ"
        self.defined.add(name)
        self.lines += [f"/-- {comment} -/", f"def {name}{self.binder} : {kind} :=",
                       f"  {self.matrix(rows, columns)}", ""]

    def use(self, name):
        return f"({name} {self.arguments})" if self.symbols else name

    def homogeneous(self, name, affine_map, comment):
        """Define the homogeneous matrix [[A, t], [0, 1]] of an affine map."""
        zero, one = self.field.zero, self.field.one
        shift = affine_map.translation_or_zero()
        rows = [list(row) + [offset] for row, offset in zip(affine_map.linear.rows(), shift)]
        rows.append([zero] * affine_map.dimension + [one])
        self.define(name, rows, affine_map.dimension + 1, comment)

    def theorem(self, name, statement, comment):
        """State a matrix identity, proved entry by entry after unfolding the definitions used."""
        used = [word for word in dict.fromkeys(re.findall(r"[A-Za-z_]\w*", statement))
                if word in self.defined]
        lemmas = ", ".join(used + [_ENTRY_LEMMAS])
        tactic = (f"by ext i j; fin_cases i <;> fin_cases j <;> norm_num [{lemmas}]"
                  + (" <;> ring" if self.symbols else ""))
        self.lines += [f"/-- {comment} -/", f"theorem {name}{self.binder} :",
                       f"    {statement} := {tactic}", ""]

    # -- one derivation -------------------------------------------------------------------------

    def derivation(self, derivation, suffix):
        network, action = derivation.network, self.theory.action
        depth = network.depth
        for index, layer in enumerate(network.layers, start=1):
            augmented = [list(row) + [bias] for row, bias in zip(layer.weights, layer.bias)]
            self.define(f"Aug{index}{suffix}", augmented, layer.input_dimension + 1,
                        f"[W_{index} | b_{index}]{suffix and ' at theta*'}")
        for index, actions in enumerate(derivation.latent_actions, start=1):
            for generator, element in actions.items():
                self.homogeneous(f"H{index}_{generator}{suffix}", element.map,
                                 f"rho_{index}({generator}) as a homogeneous matrix")
        identity = self.field.one
        for generator in action.generators:
            previous = f"Hin_{generator}"
            for index, layer in enumerate(network.layers, start=1):
                left = f"{self.use(f'Aug{index}{suffix}')} * {self.use(previous)}"
                where = f"layer f_{index}, generator {generator}"
                pointwise = index < depth and not layer.activation.is_identity
                if pointwise:
                    element = derivation.latent_actions[index - 1][generator]
                    rows = self._transport(element, layer.output_dimension)
                    name = f"P{index}_{generator}{suffix}"
                    self.define(name, rows, layer.output_dimension,
                                f"pre-activation transport of {where}: row pi(j) is c_j row j")
                    right = f"{self.use(name)} * {self.use(f'Aug{index}{suffix}')}"
                else:
                    target = (f"H{index}_{generator}{suffix}" if index < depth
                              else f"Hout_{generator}")
                    extended = [list(row) + [bias] for row, bias in zip(layer.weights,
                                                                        layer.bias)]
                    extended.append([self.field.zero] * layer.input_dimension + [identity])
                    self.define(f"Ext{index}_{generator}{suffix}", extended,
                                layer.input_dimension + 1, f"[[W_{index}, b_{index}], [0, 1]]")
                    name = f"Top{index}_{generator}{suffix}"
                    self.defined.add(name)
                    self.lines += [f"/-- the first rows of {target}: [K | mu] -/",
                                   f"def {name}{self.binder} : Matrix (Fin "
                                   f"{layer.output_dimension}) (Fin {layer.output_dimension + 1}"
                                   f") ℚ :=", f"  Matrix.of fun i j => {self.use(target)} "
                                   f"(Fin.castSucc i) j", ""]
                    right = f"{self.use(name)} * {self.use(f'Ext{index}_{generator}{suffix}')}"
                self.theorem(f"obligation{index}_{generator}{suffix}", f"{left} = {right}",
                             f"{where}: the affine relation of the parameters")
                previous = f"H{index}_{generator}{suffix}"
        for index in range(1, depth):
            self.relations(f"H{index}", suffix)
        self.equivariance(derivation, suffix)

    def _transport(self, element, width):
        zero = self.field.zero
        rows = [[zero] * width for _ in range(width)]
        for source, scale in enumerate(element.preactivation_scales):
            # A constant neuron has zero rows, so any scale transports it; 1 is used.
            rows[element.map.linear.images[source]][source] = (self.field.one if scale is None
                                                               else scale)
        return rows

    def relations(self, prefix, suffix):
        for number, relation in enumerate(self.theory.action.relations, start=1):
            factors = []
            for name, exponent in relation.letters:
                base = self.use(f"{prefix}_{name}{suffix}" + ("_inv" if exponent < 0 else ""))
                factors.append(base if abs(exponent) == 1 else f"{base} ^ {abs(exponent)}")
            product = " * ".join(factors) or "1"
            self.theorem(f"relation{number}_{prefix}{suffix}", f"{product} = 1",
                         f"the relation {relation} on {prefix}{suffix}")

    def equivariance(self, derivation, suffix):
        network = derivation.network
        for generator in self.theory.action.generators:
            previous = f"Hin_{generator}"
            for index, layer in enumerate(network.layers, start=1):
                last = index == network.depth
                target = f"Hout_{generator}" if last else f"H{index}_{generator}{suffix}"
                activation = (None if last or layer.activation.is_identity
                              else layer.activation)
                hypotheses = self._hypotheses(derivation, index, generator) if activation else []
                sigma = "σ" if activation else "id"
                binders = " (σ : ℝ → ℝ)" if activation else ""
                assumptions = "".join(f"\n    (h{number} : ∀ t : ℝ, {text})"
                                      for number, text in enumerate(hypotheses, start=1))
                aug = self.use(f"Aug{index}{suffix}")
                statement = (f"∀ x, layerMap {sigma} {aug} (affineMap {self.use(previous)} x) "
                             f"= affineMap {self.use(target)} (layerMap {sigma} {aug} x)")
                name = f"layer{index}_equivariant_{generator}{suffix}"
                activation_name = activation.name if activation else "affine"
                # NOTE: the step from the obligation to the layer map is not written out.
                self.lines += [f"/-- f_{index} ({activation_name}) is equivariant for "
                               f"{generator}; follows from obligation{index}_{generator}{suffix}"
                               " and the identities h. -/",
                               f"theorem {name}{self.binder}{binders}{assumptions} :",
                               f"    {statement} := by", "  sorry", ""]
                previous = target

    def _hypotheses(self, derivation, index, generator):
        element = derivation.latent_actions[index - 1][generator]
        linear = element.map.linear
        shifts = element.map.translation_or_zero()
        found = []
        for source, scale in enumerate(element.preactivation_scales):
            if scale is None:
                continue
            image = linear.images[source]
            text = (f"σ ({self.number(scale)} * t) = {self.number(linear.scales[source])} * σ t"
                    f" + {self.number(shifts[image])}")
            if text not in found:
                found.append(text)
        return found

    # -- the file -------------------------------------------------------------------------------

    def text(self):
        theory, action = self.theory, self.theory.action
        source = os.path.basename(theory.source) if theory.source else "a theory string"
        namespace = "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", theory.name)
                            if part) or "Theory"
        self.lines += [f"/-\n  Layerwise equivariance of {theory.name} ({source}), exported by "
                       "symequiv.\n  The obligations are finite identities over ℚ with norm_num "
                       "proofs; the layer theorems\n  are stated with `sorry` (see symequiv's "
                       "docs/lean.md for what this file proves).\n-/", "import Mathlib", "",
                       f"namespace Symequiv.{namespace}", "", "open Matrix", "",
                       "/-- x ↦ σ(W x + b) coordinatewise, for the augmented matrix [W | b]. -/",
                       "def layerMap {m n : ℕ} (σ : ℝ → ℝ) (Aug : Matrix (Fin m) (Fin (n + 1)) ℚ)"
                       " (x : Fin n → ℝ) :", "    Fin m → ℝ :=",
                       "  fun i => σ (∑ j : Fin n, (Aug i (Fin.castSucc j) : ℝ) * x j + "
                       "(Aug i (Fin.last n) : ℝ))", "",
                       "/-- x ↦ A x + t for the homogeneous matrix [[A, t], [0, 1]]. -/",
                       "def affineMap {n : ℕ} (H : Matrix (Fin (n + 1)) (Fin (n + 1)) ℚ) "
                       "(x : Fin n → ℝ) : Fin n → ℝ :=", "  layerMap id (Matrix.of fun i j => H "
                       "(Fin.castSucc i) j) x", ""]

        derivation = self.report.derivation
        reduced = self.report.reduced_derivation
        if self.not_stated:
            self._unstated(action, namespace)
            return "\n".join(self.lines)

        if self.expanded:
            kinds = ", ".join(layer.kind for layer in self.theory.network.layers)
            self.lines += [f"-- The layers ({kinds}) are stated as their dense expansions on the "
                           "flattened spaces:", "-- every weight-shared layer is a dense layer "
                           "x ↦ σ(W x + b) with the shared weights repeated.", ""]
        if not derivation.derived and (reduced is None or not reduced.derived):
            self.lines += [f"-- No latent action was derived: {derivation.reason}.",
                           "-- Nothing about layerwise equivariance is stated.", "",
                           f"end Symequiv.{namespace}", ""]
            return "\n".join(self.lines)

        self._group(action)
        if derivation.derived:
            self.derivation(derivation, "")
        if reduced is not None and reduced.derived and not derivation.derived:
            self.lines.append("-- At theta the derivation failed; the statements below are at "
                              "the reparameterization theta* (same function).")
            self.derivation(reduced, "Star")
        self.lines += [f"end Symequiv.{namespace}", ""]
        return "\n".join(self.lines)

    def _group(self, action):
        """State the input and output maps of every generator and the relations they satisfy."""
        for name in action.generators:
            self.homogeneous(f"Hin_{name}", action.input[name], f"rho_in({name})")
            self.homogeneous(f"Hout_{name}", action.output[name], f"rho_out({name})")
        self._inverses(action)
        self.relations("Hin", "")
        self.relations("Hout", "")

    def _unstated(self, action, namespace):
        """State only the group's relations on the input and output, for attention networks."""
        kinds = " and ".join(self.not_stated)
        self._group(action)
        derivation = self.report.derivation
        self.lines += [f"-- This network has {kinds} layers, which are not a linear map followed "
                       "by a pointwise", "-- activation, so no layer and no latent action is "
                       "stated; only the relations of G on the", "-- input and output above. "
                       f"The derivation's outcome ({derivation.status.value}): "
                       f"{derivation.reason}.", "", f"end Symequiv.{namespace}", ""]

    def _inverses(self, action):
        inverted = {name for relation in action.relations
                    for name, exponent in relation.letters if exponent < 0}
        for name in sorted(inverted):
            for prefix, maps in (("Hin", action.input), ("Hout", action.output)):
                self.homogeneous(f"{prefix}_{name}_inv", maps[name].inverse(),
                                 f"the inverse of {prefix}_{name}")
        for derivation, suffix in ((self.report.derivation, ""),
                                   (self.report.reduced_derivation, "Star")):
            if derivation is None or not derivation.derived or self.not_stated:
                continue
            for index, actions in enumerate(derivation.latent_actions, start=1):
                for name in sorted(inverted):
                    self.homogeneous(f"H{index}_{name}{suffix}_inv", actions[name].map.inverse(),
                                     f"the inverse of rho_{index}({name})")


def lean_statements(theory, report=None):
    """Return the Lean 4 file for ``theory`` as text; ``report`` is ``theory.verify()``.

    Raises
    ------
    UnsupportedError
        When the numbers are irrational or a layer is not dense.
    """
    report = report if report is not None else theory.verify()
    return _Lean(theory, report).text()


def write_lean(path, theory, report=None):
    """Write the Lean 4 file for ``theory`` to ``path``.

    Raises
    ------
    InputError
        When the file cannot be written.
    """
    text = lean_statements(theory, report)
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as error:
        raise InputError(f"cannot write the Lean file: {error.strerror}",
                         source=str(path)) from None

