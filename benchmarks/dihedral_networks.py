r"""Generate tanh MLPs that are equivariant by construction under the dihedral group of the square.

The group D4 acts on h x w images (h = w) by the quarter-turn rotation ``r`` and
the left-right mirror ``m``, with relations r^4, m^2 and m r m r. The network is
built so that every layer is equivariant:

* first hidden layer: for each random integer filter F, the eight neurons
  g.F for g in D4 (one orbit), with a shared bias, so that the input action
  permutes neurons inside each orbit;
* further hidden layers: group convolutions, whose weight from neuron (o', g')
  to neuron (o, g) depends only on (o, o', g^-1 g');
* output layer: invariant, with weights constant on orbits.

Filters whose orbit has fewer than eight elements, or contains a negated copy of
another filter, are redrawn, so the parameters are generic.

Usage::

    python benchmarks/dihedral_networks.py 3 8 1 --out theories/dihedral-image.toml
"""

from __future__ import annotations

import argparse

import numpy

ROTATION = "r"
MIRROR = "m"


def _rotate(height, width):
    # Counterclockwise as displayed: pixel (i, j) moves to (w - 1 - j, i).
    return tuple((width - 1 - (index % width)) * width + index // width
                 for index in range(height * width))


def _mirror(height, width):
    return tuple((index // width) * width + (width - 1 - index % width)
                 for index in range(height * width))


def _compose(first, second):
    """The permutation that applies ``second`` and then ``first``."""
    return tuple(first[image] for image in second)


def dihedral_elements(size):
    """Return the eight pixel permutations of D4 on a size x size image, identity first."""
    rotation = _rotate(size, size)
    mirror = _mirror(size, size)
    identity = tuple(range(size * size))
    elements = [identity]
    frontier = [identity]
    while frontier:
        element = frontier.pop()
        for generator in (rotation, mirror):
            product = _compose(element, generator)
            if product not in elements:
                elements.append(product)
                frontier.append(product)
    return elements


def _act(permutation, vector):
    """Move the value at pixel p to pixel permutation[p]."""
    result = [0] * len(vector)
    for pixel, image in enumerate(permutation):
        result[image] = vector[pixel]
    return result


def build_parameters(size, hidden_orbits, outputs, seed=0, value_range=3):
    r"""Return the weights and biases of an equivariant network as integer lists.

    Parameters
    ----------
    size : int
        The image is ``size x size``.
    hidden_orbits : sequence of int
        Orbits (of eight neurons each) per hidden layer.
    outputs : int
        Output dimension; the output action is trivial.
    seed : int
        Seed of the ``numpy.random.Generator`` drawing the integers.
    """
    rng = numpy.random.default_rng(seed)
    elements = dihedral_elements(size)
    order = len(elements)
    index_of = {element: position for position, element in enumerate(elements)}
    inverse = [index_of[tuple(sorted(range(len(element)), key=lambda pixel: element[pixel]))]
               for element in elements]
    product = [[index_of[_compose(a, b)] for b in elements] for a in elements]

    weights, biases = [], []
    seen = set()
    rows = []
    while len(rows) < hidden_orbits[0] * order:
        filter_ = [int(value) for value in rng.integers(-value_range, value_range + 1,
                                                         size=size * size)]
        orbit = [tuple(_act(element, filter_)) for element in elements]
        negated = [tuple(-value for value in row) for row in orbit]
        if len(set(orbit)) < order or seen & (set(orbit) | set(negated)):
            continue
        seen |= set(orbit)
        rows.extend(list(row) for row in orbit)
    weights.append(rows)
    biases.append([int(value) for value in rng.integers(-2, 3, size=hidden_orbits[0])
                   for _ in range(order)])

    for previous, orbits in zip(hidden_orbits, hidden_orbits[1:]):
        kernel = rng.integers(-2, 3, size=(orbits, previous, order))
        matrix = [[int(kernel[orbit, source, product[inverse[g]][h]])
                   for source in range(previous) for h in range(order)]
                  for orbit in range(orbits) for g in range(order)]
        weights.append(matrix)
        biases.append([int(value) for value in rng.integers(-2, 3, size=orbits)
                       for _ in range(order)])

    last = hidden_orbits[-1]
    readout = rng.integers(-3, 4, size=(outputs, last))
    weights.append([[int(readout[row, orbit]) for orbit in range(last) for _ in range(order)]
                    for row in range(outputs)])
    biases.append([int(value) for value in rng.integers(-2, 3, size=outputs)])
    return weights, biases


def theory_text(size, hidden_orbits, outputs, seed=0, name=None, expect=None):
    """Return the text of a theory file for the generated network."""
    weights, biases = build_parameters(size, hidden_orbits, outputs, seed)
    widths = [size * size] + [8 * orbits for orbits in hidden_orbits] + [outputs]
    name = name or f"dihedral-{size}x{size}-" + "-".join(str(width) for width in widths[1:])
    lines = [
        "[theory]",
        f'name = "{name}"',
        'description = "A tanh network made equivariant under the dihedral group of the '
        f'square acting on {size}x{size} images; generated by benchmarks/dihedral_networks.py '
        f'with seed {seed}."',
        "",
        "[group]",
        'generators = ["r", "m"]',
        'relations = ["r^4", "m^2", "m r m r"]',
        "",
        "[group.input]",
        f"r = {{ image = [{size}, {size}], rotate = 90 }}",
        f'm = {{ image = [{size}, {size}], flip = "horizontal" }}',
        "",
        "[group.output]",
        'r = "trivial"',
        'm = "trivial"',
        "",
        "[model]",
        f"widths = {widths}",
        'activation = "tanh"',
        "",
        "[parameters]",
    ]
    for index, (matrix, bias) in enumerate(zip(weights, biases), start=1):
        lines.append(f"W{index} = [" + ", ".join(
            "[" + ", ".join(str(value) for value in row) + "]" for row in matrix) + "]")
        lines.append(f"b{index} = [" + ", ".join(str(value) for value in bias) + "]")
    if expect:
        lines += ["", "[expect]"] + [f"{key} = {str(value).lower()}" for key, value in
                                     expect.items()]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("size", type=int, help="image side length")
    parser.add_argument("orbits", type=int, nargs="+",
                        help="hidden orbits per layer (8 neurons each), then the output width")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", help="write the theory file here instead of printing it")
    parser.add_argument("--name")
    arguments = parser.parse_args()
    *hidden, outputs = arguments.orbits
    text = theory_text(arguments.size, hidden, outputs, arguments.seed, arguments.name)
    if arguments.out:
        with open(arguments.out, "w") as handle:
            handle.write(text)
    else:
        print(text, end="")


if __name__ == "__main__":
    main()
