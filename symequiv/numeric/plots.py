r"""Figures of an :class:`~symequiv.numeric.inspection.Inspection`, drawn with matplotlib.

For each generator ``g``, written to a folder as PNG files:

* ``maps-g.png`` -- heatmaps of every fitted :math:`A_i` next to the nearest
  element of :math:`K_i`;
* ``errors-g.png`` -- the metric error and the distance to :math:`K_i` per layer;
* ``filters-g.png`` -- first-layer filters :math:`w_j` next to their partners
  :math:`c_j^{-1} w_{\pi(j)} \rho_{in}(g)` under the snapped action, which
  coincide exactly when layer 1 is equivariant, on one colour scale with a
  colour bar.

matplotlib comes with the ``numeric`` extra and is imported only here.
"""

from __future__ import annotations

import math
import os

import numpy

from symequiv.errors import MissingDependencyError
from symequiv.numeric.relate import FloatAffine

MAX_FILTERS = 8


def _pyplot():
    try:
        import matplotlib
    except ImportError:
        raise MissingDependencyError("matplotlib", "numeric", "drawing inspect plots") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot

    return matplotlib.pyplot


def image_shape(dimension, shape=None):
    """Return ``(height, width)`` for drawing a filter: ``shape``, a square, or one row."""
    if shape is not None:
        return tuple(shape)
    side = math.isqrt(dimension)
    if side * side == dimension:
        return side, side
    return 1, dimension


def draw_maps(pyplot, report, path):
    layers = report.layers
    figure, axes = pyplot.subplots(len(layers), 2, figsize=(8, 4 * len(layers)), squeeze=False)
    for row, layer in zip(axes, layers):
        fitted = layer.fit.fitted
        limit = max(float(numpy.abs(fitted).max()), 1.0)
        nearest = layer.fit.nearest
        reference = nearest.dense() if nearest.images is not None else fitted
        for axis, matrix, title in ((row[0], fitted, f"fitted A_{layer.layer}"),
                                    (row[1], reference, f"nearest element of K_{layer.layer}")):
            image = axis.imshow(matrix, cmap="RdBu_r", vmin=-limit, vmax=limit)
            axis.set_title(f"{title} ({layer.activation})")
            axis.set_xticks([])
            axis.set_yticks([])
        figure.colorbar(image, ax=list(row), shrink=0.8)
    figure.suptitle(f"generator {report.generator}: latent maps")
    figure.savefig(path, dpi=100)
    pyplot.close(figure)


def draw_errors(pyplot, report, path):
    labels = [f"f_{layer.layer}" for layer in report.layers] + ["f (output)"]
    errors = [layer.fit.median_error for layer in report.layers] + [report.output_error]
    distances = [layer.fit.nearest.distance for layer in report.layers] + [float("nan")]
    positions = numpy.arange(len(labels))
    figure, axis = pyplot.subplots(figsize=(6, 4))
    axis.bar(positions - 0.2, errors, 0.4, label="median relative error of A_i")
    axis.bar(positions + 0.2, distances, 0.4, label="distance of A_i to K_i")
    axis.set_xticks(positions)
    axis.set_xticklabels(labels)
    axis.set_ylabel("relative")
    axis.set_title(f"generator {report.generator}")
    axis.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    pyplot.close(figure)


def draw_filters(pyplot, network, action, report, path, shape=None):
    first = report.layers[0] if report.layers else None
    if first is None or first.match is None or not len(first.match.images):
        return False
    weights = network.weights[0]
    moved = FloatAffine.from_exact(action.input[report.generator]).right_multiply(weights)
    images, scales = first.match.images, first.match.scales
    height, width = image_shape(weights.shape[1], shape)
    count = min(MAX_FILTERS, weights.shape[0])
    panels = []
    for neuron in range(count):
        panels.append((weights[neuron], f"w_{neuron + 1}"))
        panels.append((moved[images[neuron]] / scales[neuron],
                       f"w_{images[neuron] + 1} after g, / {scales[neuron]:.2g}"))
    # One colour scale for every panel, so filter sizes can be compared across neurons.
    limit = max(max(float(numpy.abs(values).max()) for values, _ in panels), 1e-12)
    figure, axes = pyplot.subplots(count, 2, figsize=(4.6, 2 * count), squeeze=False,
                                   layout="constrained")
    for axis, (values, title) in zip(axes[:count].ravel(), panels):
        image = axis.imshow(values.reshape(height, width), cmap="RdBu_r", vmin=-limit,
                            vmax=limit)
        axis.set_title(title, fontsize=8)
        axis.set_xticks([])
        axis.set_yticks([])
    figure.colorbar(image, ax=axes.ravel().tolist(), shrink=0.6, label="weight")
    figure.suptitle(f"generator {report.generator}: first-layer filters and partners",
                    fontsize=9)
    figure.savefig(path, dpi=100)
    pyplot.close(figure)
    return True


def save_plots(inspection, action, folder, shape=None):
    """Write the figures of ``inspection`` into ``folder``; returns the paths written."""
    pyplot = _pyplot()
    os.makedirs(folder, exist_ok=True)
    written = []
    for report in inspection.generators:
        name = "".join(character if character.isalnum() else "_" for character in report.generator)
        maps = os.path.join(folder, f"maps-{name}.png")
        draw_maps(pyplot, report, maps)
        errors = os.path.join(folder, f"errors-{name}.png")
        draw_errors(pyplot, report, errors)
        written.extend([maps, errors])
        filters = os.path.join(folder, f"filters-{name}.png")
        if draw_filters(pyplot, inspection.network, action, report, filters, shape):
            written.append(filters)
    return written
