"""The ``[model]`` table: architecture, widths, activations and bias; building the network."""

from __future__ import annotations

from symequiv.activations.catalogue import parse_activation_spec
from symequiv.errors import InputError
from symequiv.models.network import Network
from symequiv.theory.parameters_section import convert_number

MAX_WIDTH = 1 << 16
MAX_DEPTH = 64


def read_model(context, table):
    context.allow(table, {"architecture", "widths", "activation", "bias"}, "model")
    architecture = table.get("architecture", "mlp")
    if architecture != "mlp":
        raise context.error("model.architecture", f"unknown architecture {architecture!r}; "
                            "expected \"mlp\"", architecture)
    widths = table.get("widths")
    if (not isinstance(widths, list) or len(widths) < 2
            or not all(isinstance(width, int) and not isinstance(width, bool) for width in widths)):
        raise context.error("model.widths", "expected a list of at least two integers "
                            "[d_0, ..., d_L]", widths)
    if any(width < 1 or width > MAX_WIDTH for width in widths):
        raise context.error("model.widths", f"every width must be between 1 and {MAX_WIDTH}",
                            widths)
    if len(widths) - 1 > MAX_DEPTH:
        raise context.error("model.widths", f"at most {MAX_DEPTH} layers are supported", widths)
    bias = table.get("bias", True)
    if not isinstance(bias, bool):
        raise context.error("model.bias", "expected true or false", bias)
    hidden = len(widths) - 2
    raw = table.get("activation")
    if hidden == 0:
        activations = []
        if raw is not None:
            raise context.error("model.activation", "a network without hidden layers takes no "
                                "activation", raw)
    else:
        if raw is None:
            raise context.error("model.activation", "missing; expected an activation or a list "
                                f"of {hidden}")
        specs = raw if isinstance(raw, list) else [raw] * hidden
        if len(specs) != hidden:
            raise context.error("model.activation", f"expected {hidden} activations (one per "
                                f"hidden layer), got {len(specs)}", raw)
        activations = []
        for index, spec in enumerate(specs):
            key = "model.activation" if not isinstance(raw, list) else f"model.activation[{index}]"
            try:
                activations.append(parse_activation_spec(spec))
            except InputError as error:
                raise context.wrap(error, key) from None
    return {"widths": widths, "activations": activations, "bias": bias}


def build_network(context, field, model, parameters):
    layers = len(model["widths"]) - 1
    weights = []
    biases = []
    for index in range(1, layers + 1):
        weights.append([[convert_number(field, entry) for entry in row]
                        for row in parameters[f"W{index}"]])
        if model["bias"]:
            biases.append([convert_number(field, entry) for entry in parameters[f"b{index}"]])
        else:
            biases.append([field.zero] * model["widths"][index])
    return Network.mlp(field, weights, biases, model["activations"], has_bias=model["bias"])
