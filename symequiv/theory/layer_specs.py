"""Layer kinds in the ``[model]`` table: one spec per layer, its parameter names and shapes.

A spec is read from one entry of ``model.layers`` or expanded from an
``architecture`` shortcut. It gives the names and shapes of its parameters in
the ``[parameters]`` table and builds the layer once the numbers are exact.
Parameters of layer ``i`` are named with the suffix ``i``, counted from 1.
"""

from __future__ import annotations

from dataclasses import dataclass

from symequiv.activations.catalogue import parse_activation_spec
from symequiv.errors import InputError
from symequiv.models.attention import POSITIONS, AttentionLayer
from symequiv.models.conv import PADDINGS, ConvLayer
from symequiv.models.deepsets import DeepSetsLayer
from symequiv.models.dense import DenseLayer
from symequiv.models.tokenwise import TokenwiseLayer

MAX_SIZE = 1 << 16
KINDS = ("dense", "tokenwise", "attention", "conv", "deepsets")


@dataclass(frozen=True)
class LayerSpec:
    """One layer of the model before its parameters are read.

    Attributes
    ----------
    kind : str
    index : int
        The layer's number, from 1; its parameter names end with it.
    settings : dict
        The entry's sizes and options.
    activation : Activation or None
    bias : bool
    """

    kind: str
    index: int
    settings: dict
    activation: object = None
    bias: bool = True

    @property
    def description(self):
        return f"layer {self.index}: {self.kind}"

    @property
    def input_dimension(self):
        settings = self.settings
        if self.kind == "dense":
            return settings["inputs"]
        if self.kind in ("tokenwise", "deepsets"):
            return settings["tokens"] * settings["inputs"]
        if self.kind == "attention":
            return settings["tokens"] * settings["features"]
        channels, height, width = settings["image"]
        return channels * height * width

    @property
    def output_dimension(self):
        settings = self.settings
        if self.kind == "dense":
            return settings["outputs"]
        if self.kind in ("tokenwise", "deepsets"):
            return settings["tokens"] * settings["outputs"]
        if self.kind == "attention":
            return settings["tokens"] * settings["heads"] * settings["value_dimension"]
        _, height, width = settings["image"]
        return settings["outputs"] * height * width

    def shapes(self):
        """Return ``{name: (shape, what)}`` for the parameters in ``[parameters]``."""
        settings = self.settings
        index = self.index
        result = {}
        if self.kind in ("dense", "tokenwise"):
            result[f"W{index}"] = ((settings["outputs"], settings["inputs"]), "outputs x inputs")
        elif self.kind == "deepsets":
            shape = (settings["outputs"], settings["inputs"])
            result[f"W{index}"] = (shape, "outputs x inputs, applied to each element")
            result[f"Wpool{index}"] = (shape, "outputs x inputs, applied to the sum")
        elif self.kind == "conv":
            channels = settings["image"][0]
            size = settings["kernel"]
            result[f"K{index}"] = ((settings["outputs"], channels, size, size),
                                   "outputs x input channels x kernel x kernel")
        else:
            heads = settings["heads"]
            features = settings["features"]
            result[f"WQ{index}"] = ((heads, settings["key_dimension"], features),
                                    "heads x key_dimension x features")
            result[f"WK{index}"] = ((heads, settings["key_dimension"], features),
                                    "heads x key_dimension x features")
            result[f"WV{index}"] = ((heads, settings["value_dimension"], features),
                                    "heads x value_dimension x features")
            if settings["positions"] == "bias":
                tokens = settings["tokens"]
                result[f"S{index}"] = ((heads, tokens, tokens), "heads x tokens x tokens")
            elif settings["positions"] == "absolute":
                result[f"E{index}"] = ((settings["tokens"], features), "tokens x features")
            return result
        if self.bias:
            result[f"b{index}"] = ((settings["outputs"],), "outputs")
        return result

    def build(self, field, values):
        """Build the layer from ``{name: nested lists of field elements}``."""
        settings = self.settings
        index = self.index
        if self.kind == "attention":
            positions = settings["positions"]
            extra = {"bias": values.get(f"S{index}"),
                     "absolute": values.get(f"E{index}")}.get(positions)
            return AttentionLayer(field, settings["tokens"], settings["features"],
                                  values[f"WQ{index}"], values[f"WK{index}"],
                                  values[f"WV{index}"], positions, extra)
        bias = values.get(f"b{index}") or [field.zero] * settings["outputs"]
        if self.kind == "dense":
            return DenseLayer(field, values[f"W{index}"], bias, self.activation, self.bias)
        if self.kind == "tokenwise":
            core = DenseLayer(field, values[f"W{index}"], bias, self.activation, self.bias)
            return TokenwiseLayer(settings["tokens"], core)
        if self.kind == "deepsets":
            return DeepSetsLayer(field, settings["tokens"], values[f"W{index}"],
                                 values[f"Wpool{index}"], bias, self.activation, self.bias)
        _, height, width = settings["image"]
        return ConvLayer(field, height, width, values[f"K{index}"], bias, self.activation,
                         settings["padding"], self.bias)


# -- reading entries ------------------------------------------------------------------

_KEYS = {
    "dense": {"inputs", "outputs"},
    "tokenwise": {"tokens", "inputs", "outputs"},
    "deepsets": {"elements", "inputs", "outputs"},
    "conv": {"image", "outputs", "kernel", "padding"},
    "attention": {"tokens", "features", "heads", "key_dimension", "value_dimension",
                  "positions"},
}
_REQUIRED = {
    "dense": ("inputs", "outputs"),
    "tokenwise": ("tokens", "inputs", "outputs"),
    "deepsets": ("elements", "inputs", "outputs"),
    "conv": ("image", "outputs"),
    "attention": ("tokens", "features", "heads"),
}


def positive_int(context, value, key, minimum=1):
    if type(value) is not int or not minimum <= value <= MAX_SIZE:
        raise context.error(key, f"expected an integer from {minimum} to {MAX_SIZE}", value)
    return value


def read_activation(context, value, key):
    try:
        return parse_activation_spec(value)
    except InputError as error:
        raise context.wrap(error, key) from None


def read_layer(context, entry, key, index, last):
    """Read one entry of ``model.layers``; ``last`` is True for the output layer."""
    if not isinstance(entry, dict):
        raise context.error(key, "expected a table such as { kind = \"dense\", inputs = 2, "
                            "outputs = 3, activation = \"tanh\" }", entry)
    kind = entry.get("kind")
    if kind not in KINDS:
        raise context.error(f"{key}.kind", f"unknown layer kind {kind!r}; expected one of "
                            f"{list(KINDS)}", kind)
    allowed = _KEYS[kind] | {"kind"}
    if kind != "attention":
        allowed |= {"activation", "bias"}
    context.allow(entry, allowed, key)
    for name in _REQUIRED[kind]:
        if name not in entry:
            raise context.error(f"{key}.{name}", f"missing; a {kind} layer needs "
                                f"{', '.join(_REQUIRED[kind])}")
    settings = {}
    if kind == "conv":
        settings["image"] = read_image(context, entry["image"], f"{key}.image")
        settings["outputs"] = positive_int(context, entry["outputs"], f"{key}.outputs")
        settings["kernel"] = read_kernel(context, entry.get("kernel", 3), f"{key}.kernel",
                                         settings["image"][1:])
        settings["padding"] = read_choice(context, entry.get("padding", "zero"),
                                          f"{key}.padding", PADDINGS)
    elif kind == "attention":
        settings["tokens"] = positive_int(context, entry["tokens"], f"{key}.tokens", 2)
        for name in ("features", "heads"):
            settings[name] = positive_int(context, entry[name], f"{key}.{name}")
        for name in ("key_dimension", "value_dimension"):
            settings[name] = positive_int(context, entry.get(name, settings["features"]),
                                          f"{key}.{name}")
        settings["positions"] = read_choice(context, entry.get("positions", "none"),
                                            f"{key}.positions", POSITIONS)
    else:
        for name in _REQUIRED[kind]:
            minimum = 2 if name == "elements" else 1
            settings[name] = positive_int(context, entry[name], f"{key}.{name}", minimum)
        if kind == "deepsets":
            settings["tokens"] = settings.pop("elements")
    activation = None
    bias = True
    if kind != "attention":
        bias = entry.get("bias", True)
        if not isinstance(bias, bool):
            raise context.error(f"{key}.bias", "expected true or false", bias)
        raw = entry.get("activation")
        if raw is not None:
            if last:
                raise context.error(f"{key}.activation", "the last layer is affine and takes "
                                    "no activation", raw)
            activation = read_activation(context, raw, f"{key}.activation")
        elif not last:
            raise context.error(f"{key}.activation", "missing; a hidden layer needs an "
                                'activation (use "identity" for a linear layer)')
    return LayerSpec(kind, index, settings, activation, bias)


def read_image(context, value, key):
    if (not isinstance(value, list) or len(value) != 3
            or not all(type(size) is int for size in value)):
        raise context.error(key, "expected [channels, height, width]", value)
    return tuple(positive_int(context, size, key) for size in value)


def read_kernel(context, value, key, grid):
    if type(value) is not int or value < 1 or value % 2 == 0:
        raise context.error(key, "expected an odd positive integer", value)
    if value > min(grid):
        raise context.error(key, f"a kernel of size {value} needs a grid of at least "
                            f"{value} x {value}, got {grid[0]} x {grid[1]}", value)
    return value


def read_choice(context, value, key, choices):
    if value not in choices:
        raise context.error(key, f"expected one of {list(choices)}", value)
    return value


def check_chain(context, specs, key):
    """Check that each layer takes the dimension the previous one outputs."""
    for previous, spec in zip(specs, specs[1:]):
        if previous.output_dimension != spec.input_dimension:
            raise context.error(
                f"{key}[{spec.index - 1}]", f"layer {spec.index} takes {spec.input_dimension} "
                f"inputs but layer {previous.index} outputs {previous.output_dimension}")
