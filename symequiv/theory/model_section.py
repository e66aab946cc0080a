"""The ``[model]`` table: an architecture or a list of layers; building the network.

Forms:

* ``architecture = "mlp"`` (the default) with ``widths``, ``activation``, ``bias``;
* ``architecture = "attention"``: one attention layer and a tokenwise output
  projection;
* ``architecture = "conv"``: convolutions on a grid;
* ``architecture = "deepsets"``: Deep Sets layers on a set of elements;
* ``layers = [...]``: any sequence of layer kinds (:mod:`symequiv.theory.layer_specs`).
"""

from __future__ import annotations

from symequiv.activations.catalogue import parse_activation_spec
from symequiv.errors import InputError
from symequiv.models.network import Network
from symequiv.theory.layer_specs import (
    LayerSpec,
    check_chain,
    positive_int,
    read_activation,
    read_choice,
    read_kernel,
    read_layer,
)
from symequiv.theory.parameters_section import convert_number

MAX_WIDTH = 1 << 16
MAX_DEPTH = 64
ARCHITECTURES = ("mlp", "attention", "conv", "deepsets")


def read_model(context, table):
    if "layers" in table:
        return _read_layers(context, table)
    architecture = table.get("architecture", "mlp")
    if architecture not in ARCHITECTURES:
        raise context.error("model.architecture", f"unknown architecture {architecture!r}; "
                            f"expected one of {list(ARCHITECTURES)} or a layers list",
                            architecture)
    if architecture == "attention":
        return _with_widths(_read_attention(context, table))
    if architecture == "conv":
        return _with_widths(_read_conv(context, table))
    if architecture == "deepsets":
        return _with_widths(_read_deepsets(context, table))
    context.allow(table, {"architecture", "widths", "activation", "bias"}, "model")
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


def _with_widths(specs):
    widths = [specs[0].input_dimension] + [spec.output_dimension for spec in specs]
    return {"widths": widths, "specs": specs}


def _read_layers(context, table):
    context.allow(table, {"layers"}, "model")
    entries = table["layers"]
    if not isinstance(entries, list) or not entries:
        raise context.error("model.layers", "expected a non-empty list of layer tables", entries)
    if len(entries) > MAX_DEPTH:
        raise context.error("model.layers", f"at most {MAX_DEPTH} layers are supported",
                            len(entries))
    specs = [read_layer(context, entry, f"model.layers[{index}]", index + 1,
                        index == len(entries) - 1)
             for index, entry in enumerate(entries)]
    check_chain(context, specs, "model.layers")
    return _with_widths(specs)


def _hidden_activations(context, table, hidden):
    """Read ``activation``: one value for every hidden layer or a list of ``hidden`` values."""
    raw = table.get("activation")
    if hidden == 0:
        if raw is not None:
            raise context.error("model.activation", "a network without hidden layers takes no "
                                "activation", raw)
        return []
    if raw is None:
        raise context.error("model.activation", "missing; expected an activation or a list "
                            f"of {hidden}")
    if not isinstance(raw, list):
        activation = read_activation(context, raw, "model.activation")
        return [activation] * hidden
    if len(raw) != hidden:
        raise context.error("model.activation", f"expected {hidden} activations (one per "
                            f"hidden layer), got {len(raw)}", raw)
    return [read_activation(context, value, f"model.activation[{index}]")
            for index, value in enumerate(raw)]


def _read_bias(context, table):
    bias = table.get("bias", True)
    if not isinstance(bias, bool):
        raise context.error("model.bias", "expected true or false", bias)
    return bias


def _read_sizes(context, table, key, minimum_length=2):
    sizes = table.get(key)
    if (not isinstance(sizes, list) or len(sizes) < minimum_length
            or not all(type(size) is int for size in sizes)):
        raise context.error(f"model.{key}", f"expected a list of at least {minimum_length} "
                            "integers", sizes)
    if len(sizes) - 1 > MAX_DEPTH:
        raise context.error(f"model.{key}", f"at most {MAX_DEPTH} layers are supported", sizes)
    return [positive_int(context, size, f"model.{key}") for size in sizes]


def _read_attention(context, table):
    context.allow(table, {"architecture", "tokens", "features", "heads", "key_dimension",
                          "value_dimension", "positions", "outputs", "bias"}, "model")
    for name in ("tokens", "features", "heads"):
        if name not in table:
            raise context.error(f"model.{name}", "missing; an attention model needs tokens, "
                                "features and heads")
    features = positive_int(context, table["features"], "model.features")
    settings = {
        "tokens": positive_int(context, table["tokens"], "model.tokens", 2),
        "features": features,
        "heads": positive_int(context, table["heads"], "model.heads"),
        "key_dimension": positive_int(context, table.get("key_dimension", features),
                                      "model.key_dimension"),
        "value_dimension": positive_int(context, table.get("value_dimension", features),
                                        "model.value_dimension"),
        "positions": read_choice(context, table.get("positions", "none"), "model.positions",
                                 ("none", "bias", "absolute")),
    }
    outputs = positive_int(context, table.get("outputs", features), "model.outputs")
    projection = {"tokens": settings["tokens"],
                  "inputs": settings["heads"] * settings["value_dimension"], "outputs": outputs}
    return [LayerSpec("attention", 1, settings),
            LayerSpec("tokenwise", 2, projection, None, _read_bias(context, table))]


def _read_conv(context, table):
    context.allow(table, {"architecture", "image", "channels", "kernel", "padding",
                          "activation", "bias"}, "model")
    image = table.get("image")
    if (not isinstance(image, list) or len(image) != 2
            or not all(type(size) is int for size in image)):
        raise context.error("model.image", "expected [height, width]", image)
    height, width = (positive_int(context, size, "model.image") for size in image)
    channels = _read_sizes(context, table, "channels")
    kernel = read_kernel(context, table.get("kernel", 3), "model.kernel", (height, width))
    padding = read_choice(context, table.get("padding", "zero"), "model.padding",
                          ("zero", "circular"))
    activations = _hidden_activations(context, table, len(channels) - 2)
    bias = _read_bias(context, table)
    specs = []
    for index in range(1, len(channels)):
        settings = {"image": (channels[index - 1], height, width), "outputs": channels[index],
                    "kernel": kernel, "padding": padding}
        activation = activations[index - 1] if index < len(channels) - 1 else None
        specs.append(LayerSpec("conv", index, settings, activation, bias))
    return specs


def _read_deepsets(context, table):
    context.allow(table, {"architecture", "elements", "widths", "activation", "bias"}, "model")
    if "elements" not in table:
        raise context.error("model.elements", "missing; the number of set elements")
    elements = positive_int(context, table["elements"], "model.elements", 2)
    widths = _read_sizes(context, table, "widths")
    activations = _hidden_activations(context, table, len(widths) - 2)
    bias = _read_bias(context, table)
    specs = []
    for index in range(1, len(widths)):
        settings = {"tokens": elements, "inputs": widths[index - 1], "outputs": widths[index]}
        activation = activations[index - 1] if index < len(widths) - 1 else None
        specs.append(LayerSpec("deepsets", index, settings, activation, bias))
    return specs


def build_network(context, field, model, parameters):
    if "specs" in model:
        layers = []
        for spec in model["specs"]:
            values = {name: _convert_nested(field, parameters[name]) for name in spec.shapes()}
            try:
                layers.append(spec.build(field, values))
            except InputError as error:
                raise context.wrap(error, f"model.layers[{spec.index - 1}]") from None
        return Network(layers)
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


def _convert_nested(field, value):
    if isinstance(value, list):
        return [_convert_nested(field, item) for item in value]
    return convert_number(field, value)
