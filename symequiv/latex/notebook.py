r"""Rich output for Jupyter: Markdown and MathJax-ready LaTeX of theories, reports and derivations.

Jupyter calls ``_repr_markdown_`` and ``_repr_latex_`` on the last value of a
cell; :class:`~symequiv.theory.Theory`, :class:`~symequiv.verification.Report`
and :class:`~symequiv.derivation.engine.Derivation` delegate to the functions
here. MathJax renders math only, so the LaTeX forms are single display-math
blocks (``$$ ... $$``) and the Markdown forms put the math inside ``$``.
"""

from __future__ import annotations

import sympy

from symequiv.latex.typeset import Typesetter, parameter_slices, word
from symequiv.models.dense import DenseLayer

# Matrices in notebooks are elided earlier than in documents, to keep cells short.
NOTEBOOK_DIMENSION = 8


def _plain(text):
    """Make text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def _math_text(text):
    return r"\text{" + str(text).replace("\\", "").replace("{", "(").replace("}", ")") + "}"


def report_markdown(report):
    """Render a verification report as a Markdown table with the reasons and witnesses."""
    title = f"**{report.name}**" + (f" (`{report.source}`)" if report.source else "")
    lines = [title, "", "| property | claim | verdict | method |", "| --- | --- | --- | --- |"]
    for result in report.results:
        verdict = result.verdict
        claim = "—" if result.expected is None else str(result.expected).lower()
        mark = {None: "", True: " ✓", False: " ✗"}[result.holds]
        lines.append(f"| `{result.property}` | {claim}{mark} | {verdict.status.value} | "
                     f"{_plain(verdict.method)} |")
    lines.append("")
    for result in report.results:
        verdict = result.verdict
        lines.append(f"* `{result.property}`: {_plain(verdict.reason)}")
        if verdict.witness is not None:
            lines.append(f"  witness: {_plain(verdict.witness.describe())}")
    claims = report.claims
    if claims:
        held = sum(1 for result in claims if result.holds)
        lines.extend(["", f"{held} of {len(claims)} claims hold."])
    return "\n".join(lines)


def report_latex(report):
    """Render a verification report as one MathJax array."""
    rows = [r"\text{property} & \text{claim} & \text{verdict} & \text{method}"]
    for result in report.results:
        verdict = result.verdict
        claim = "-" if result.expected is None else str(result.expected).lower()
        mark = {None: "", True: r"\ \checkmark", False: r"\ \times"}[result.holds]
        rows.append(" & ".join((_math_text(result.property.replace("_", " ")),
                                _math_text(claim) + mark, _math_text(verdict.status.value),
                                _math_text(verdict.method))))
    return "$$\\begin{array}{llll}" + r" \\ ".join(rows) + r"\end{array}$$"


def _latent_lines(derivation):
    lines = []
    for index, (layer, actions) in enumerate(zip(derivation.network.hidden_layers,
                                                 derivation.latent_actions), start=1):
        for generator, element in actions.items():
            lines.append((index, layer, generator, element))
    return lines


def derivation_markdown(derivation):
    """Render a derivation: its status, and every latent action with its cycle notation."""
    typeset = Typesetter(derivation.network.field, NOTEBOOK_DIMENSION, line_breaks=False)
    uniqueness = {True: "every $k_i(g)$ is unique", False: "some $k_i(g)$ are not unique",
                  None: "uniqueness of the $k_i(g)$ not established"}[derivation.unique]
    lines = [f"**Derivation: {derivation.status.value}.** {_plain(derivation.reason)}"]
    if not derivation.derived:
        return "\n".join(lines)
    lines[0] += f" ({uniqueness})"
    lines.append("")
    current = None
    for index, layer, generator, element in _latent_lines(derivation):
        if index != current:
            current = index
            lines.append(f"* layer {index} ({layer.label}), $K_{{{index}}}$ = "
                         f"{_plain(layer.latent_group().name)}")
        lines.append(f"  * $\\rho_{{{index}}}({generator}) = {typeset.map(element.map)}$, "
                     f"{typeset.map_description(element.map)}")
    for index, check in enumerate(derivation.homomorphism_checks, start=1):
        symbol = rf"\rho_{{{index}}}"
        relations = ", ".join(f"${word(relation.word, symbol)} = I$"
                              for relation in check.relations)
        lines.append(f"* layer {index} homomorphism: {relations or _plain(check.reason)}")
    return "\n".join(lines)


def derivation_latex(derivation):
    """Render the latent actions of a derivation as one aligned MathJax block."""
    if not derivation.derived:
        return "$$" + _math_text(f"{derivation.status.value}: {derivation.reason}") + "$$"
    typeset = Typesetter(derivation.network.field, NOTEBOOK_DIMENSION, line_breaks=False)
    rows = [rf"\rho_{{{index}}}({generator}) &= {typeset.map(element.map)}"
            for index, _, generator, element in _latent_lines(derivation)]
    return "$$\\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}$$"


def _layer_formulas(network):
    formulas = []
    for index, layer in enumerate(network.layers, start=1):
        if not isinstance(layer, DenseLayer):
            description = _math_text(f"{layer.kind} layer, {layer.label}")
            formulas.append(rf"f_{{{index}}} &: {description}")
            continue
        affine = rf"W_{{{index}}} x" + (rf" + b_{{{index}}}" if layer.has_bias else "")
        if layer.activation is not None and not layer.activation.is_identity:
            formula = sympy.latex(layer.activation.formula)
            formulas.append(rf"f_{{{index}}}(x) &= \sigma_{{{index}}}({affine}), \quad "
                            rf"\sigma_{{{index}}}(t) = {formula}")
        else:
            formulas.append(rf"f_{{{index}}}(x) &= {affine}")
    return formulas


def _parameter_entries(network, typeset):
    entries = []
    for index, layer in enumerate(network.layers, start=1):
        if isinstance(layer, DenseLayer):
            entry = rf"W_{{{index}}} = {typeset.matrix(layer.weights, layer.input_dimension)}"
            if layer.has_bias:
                entry += rf",\quad b_{{{index}}} = {typeset.row_vector(layer.bias)}"
            entries.append(entry)
            continue
        for name, value in layer.parameters().items():
            slices, omitted = parameter_slices(value)
            for position, rows in slices:
                label = "".join(f"[{entry + 1}]" for entry in position)
                entries.append(rf"\mathrm{{{name}}}_{{{index}}}{label} = "
                               f"{typeset.matrix(rows, len(rows[0]) if rows else 0)}")
            if omitted:
                entries.append(_math_text(f"and {omitted} more slices of {name}"))
    return entries


def theory_markdown(theory):
    """Render a theory's setting: layers, parameters, and the group with its actions."""
    network, action = theory.network, theory.action
    typeset = Typesetter(network.field, NOTEBOOK_DIMENSION, line_breaks=False)
    lines = [f"**{theory.name}**" + (f": {_plain(theory.description)}"
                                     if theory.description else ""), ""]
    lines.append("$$\\begin{aligned}" + r" \\ ".join(_layer_formulas(network))
                 + r"\end{aligned}$$")
    parameters = _parameter_entries(network, typeset)
    gathered = "$$\\begin{gathered}" + r" \\ ".join(parameters) + r"\end{gathered}$$"
    lines.extend(["", gathered, ""])
    relations = ", ".join(f"${word(relation)}$" for relation in action.relations) or "none"
    lines.extend([f"$G$ has generators {', '.join(action.generators)} and relations "
                  f"{relations}:", ""])
    for name in action.generators:
        for label, maps in (("in", action.input), ("out", action.output)):
            affine_map = maps[name]
            lines.append(f"* $\\rho_{{\\mathrm{{{label}}}}}({name}) = {typeset.map(affine_map)}$, "
                         f"{typeset.map_description(affine_map)}")
    return "\n".join(lines)


def theory_latex(theory):
    """Render a theory's layers and group action as one aligned MathJax block."""
    network, action = theory.network, theory.action
    typeset = Typesetter(network.field, NOTEBOOK_DIMENSION, line_breaks=False)
    rows = _layer_formulas(network)
    for name in action.generators:
        for label, maps in (("in", action.input), ("out", action.output)):
            rows.append(rf"\rho_{{\mathrm{{{label}}}}}({name}) &= {typeset.map(maps[name])}")
    return "$$\\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}$$"
