r"""The mirror experiment of Shahverdi, Marchetti, Bökman and Kohn (arXiv:2601.21645) on 8x8 digits.

The paper trains depth-4 MLPs on CIFAR-10 with a soft mirror-equivariance
loss and measures, per layer, how well a fitted linear map :math:`A_i`
explains the effect of the mirror on the layer's output. This script does the
same on the 8x8 digits that ship with scikit-learn (no download), on CPU:

* four networks ``64 -> h -> h -> h -> out`` (``h = --hidden``, 64 by
  default, the input dimension): autoencoder (out = 64, the output mirrored
  too) and classifier (out = 10, invariant output), each with tanh or GELU
  as the first activation and GELU after it;
* loss: the task loss plus ``--weight`` times the mean squared equivariance
  error :math:`\|f(m x) - \rho_{out}(m) f(x)\|^2`, with :math:`m` the
  left-right mirror, on the training batch and on as many standard normal
  noise inputs (the metric probes the network on noise, so the soft
  constraint is imposed there too);
* each trained network is saved as a PyTorch state dict with a theory file
  next to it, and ``symequiv inspect`` (its Python API) measures the metric
  for the left-right mirror and, as a control, the up-down mirror.

Seeds are fixed. The output is the table of median relative errors, in the
layout of the paper's table. Usage::

    pip install 'symequiv[experiment]'   # torch==2.13.0, scikit-learn, matplotlib
    python examples/digits_experiment.py --output digits-run
    python examples/digits_experiment.py --epochs 40 --samples 20000   # a quick run

On 2 cores of an AMD EPYC processor the default run takes about 80 seconds.
"""

from __future__ import annotations

import argparse
import pathlib
import time

import numpy

import symequiv
from symequiv.numeric.inspection import float_network_of, inspect_network

TASKS = ("autoencoder", "classifier")
FIRST_ACTIVATIONS = ("tanh", "gelu")
MIRRORS = {"left-right": "horizontal", "up-down (control)": "vertical"}

THEORY = """\
[theory]
name = "digits-{task}-{first}-{mirror_name}"
description = "A depth-4 MLP trained on 8x8 digits with a soft left-right mirror loss."

[group]
generators = ["m"]
relations = ["m^2"]

[group.input]
m = {{ image = [8, 8], flip = "{flip}" }}

[group.output]
m = {output_action}

[model]
widths = [64, {hidden}, {hidden}, {hidden}, {outputs}]
activation = ["{first}", "gelu", "gelu"]

[parameters]
file = "{weights}"
tolerance = "1e-2"

[parameters.keys]
W1 = "0.weight"
b1 = "0.bias"
W2 = "2.weight"
b2 = "2.bias"
W3 = "4.weight"
b3 = "4.bias"
W4 = "6.weight"
b4 = "6.bias"
"""


def load_digits():
    """Return ``(train_x, train_y, test_x, test_y)``: pixels scaled to [-1, 1], a fixed split."""
    from sklearn.datasets import load_digits as sklearn_digits

    data = sklearn_digits()
    inputs = data.data.astype(numpy.float32) / 8.0 - 1.0
    labels = data.target.astype(numpy.int64)
    order = numpy.random.default_rng(0).permutation(len(inputs))
    split = int(0.8 * len(inputs))
    train, test = order[:split], order[split:]
    return inputs[train], labels[train], inputs[test], labels[test]


def mirror_indices(flip):
    """Pixel permutation of an 8x8 image, row-major: new[i] = old[index[i]]."""
    rows, columns = numpy.divmod(numpy.arange(64), 8)
    if flip == "horizontal":
        return rows * 8 + (7 - columns)
    return (7 - rows) * 8 + columns


def build_model(torch, first, hidden, outputs):
    activation = torch.nn.Tanh() if first == "tanh" else torch.nn.GELU()
    return torch.nn.Sequential(
        torch.nn.Linear(64, hidden), activation,
        torch.nn.Linear(hidden, hidden), torch.nn.GELU(),
        torch.nn.Linear(hidden, hidden), torch.nn.GELU(),
        torch.nn.Linear(hidden, outputs))


def train(torch, task, first, data, epochs, weight, seed, hidden):
    """Train one network; returns the model and its test score."""
    train_x, train_y, test_x, test_y = data
    torch.manual_seed(seed)
    outputs = 64 if task == "autoencoder" else 10
    model = build_model(torch, first, hidden, outputs)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    mirror = torch.as_tensor(mirror_indices("horizontal"))
    inputs = torch.as_tensor(train_x)
    labels = torch.as_tensor(train_y)
    generator = torch.Generator().manual_seed(seed)
    for _ in range(epochs):
        order = torch.randperm(len(inputs), generator=generator)
        for start in range(0, len(inputs), 64):
            batch = order[start:start + 64]
            x = inputs[batch]
            probe = torch.cat([x, torch.randn(x.shape, generator=generator)])
            output = model(probe)
            mirrored = model(probe[:, mirror])
            if task == "autoencoder":
                task_loss = torch.nn.functional.mse_loss(output[:len(x)], x)
                equivariance = torch.nn.functional.mse_loss(mirrored, output[:, mirror])
            else:
                task_loss = torch.nn.functional.cross_entropy(output[:len(x)], labels[batch])
                equivariance = torch.nn.functional.mse_loss(mirrored, output)
            loss = task_loss + weight * equivariance
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    with torch.no_grad():
        output = model(torch.as_tensor(test_x))
        if task == "autoencoder":
            score = ("test reconstruction MSE",
                     float(torch.nn.functional.mse_loss(output, torch.as_tensor(test_x))))
        else:
            accuracy = float((output.argmax(dim=1) == torch.as_tensor(test_y)).float().mean())
            score = ("test accuracy", accuracy)
    return model, score


def write_theories(folder, task, first, weights_name, hidden):
    paths = {}
    for mirror_name, flip in MIRRORS.items():
        short = mirror_name.split(" ")[0]
        output_action = (f'{{ image = [8, 8], flip = "{flip}" }}' if task == "autoencoder"
                         else '"trivial"')
        text = THEORY.format(task=task, first=first, mirror_name=short, flip=flip,
                             output_action=output_action, hidden=hidden,
                             outputs=64 if task == "autoencoder" else 10,
                             weights=weights_name)
        path = folder / f"digits-{task}-{first}-{short}.toml"
        path.write_text(text, encoding="utf-8")
        paths[mirror_name] = path
    return paths


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--output", default="digits-run", help="folder for weights, theory "
                        "files and plots (default digits-run)")
    parser.add_argument("--epochs", type=int, default=150, help="training epochs (default 150)")
    parser.add_argument("--hidden", type=int, default=64, help="hidden width (default 64)")
    parser.add_argument("--weight", type=float, default=10.0,
                        help="weight of the equivariance loss (default 10)")
    parser.add_argument("--samples", type=int, default=100_000,
                        help="noise inputs for the metric (default 100000, as in the paper)")
    parser.add_argument("--seed", type=int, default=0, help="seed of training and sampling")
    parser.add_argument("--plots", help="also write the inspect plots of every network and "
                        "mirror into this folder")
    arguments = parser.parse_args()
    try:
        import torch
    except ImportError:
        raise SystemExit("this experiment needs PyTorch: pip install 'symequiv[experiment]'")
    # One thread: these matrices are small, and more threads only add contention.
    torch.set_num_threads(1)

    folder = pathlib.Path(arguments.output)
    folder.mkdir(parents=True, exist_ok=True)
    data = load_digits()
    errors = {}
    scores = []
    for task in TASKS:
        for first in FIRST_ACTIVATIONS:
            started = time.perf_counter()
            model, score = train(torch, task, first, data, arguments.epochs, arguments.weight,
                                 arguments.seed, arguments.hidden)
            weights_name = f"digits-{task}-{first}.pt"
            torch.save(model.state_dict(), folder / weights_name)
            theories = write_theories(folder, task, first, weights_name, arguments.hidden)
            for mirror_name, path in theories.items():
                theory = symequiv.load(path)
                inspection = inspect_network(
                    float_network_of(theory), theory.action, arguments.samples,
                    theory.tolerance, numpy.random.default_rng(arguments.seed),
                    project=False, name=theory.name, source=str(path))
                for layer in inspection.generators[0].layers:
                    errors[(task, layer.layer, mirror_name, first)] = layer.fit.median_error
                errors[(task, "f", mirror_name, first)] = inspection.generators[0].output_error
                if arguments.plots:
                    from symequiv.numeric.plots import save_plots

                    save_plots(inspection, theory.action,
                               pathlib.Path(arguments.plots) / f"{task}-{first}-"
                               f"{mirror_name.split(' ')[0]}", (8, 8))
            scores.append((task, first, score, time.perf_counter() - started))

    print("| task | layer | mirror | tanh | GELU |")
    print("| --- | --- | --- | --- | --- |")
    for task in TASKS:
        for mirror_name in MIRRORS:
            for layer in (1, 2, 3, "f"):
                name = "f (output)" if layer == "f" else f"f_{layer}"
                values = [errors[(task, layer, mirror_name, first)] for first in FIRST_ACTIVATIONS]
                print(f"| {task} | {name} | {mirror_name} | "
                      + " | ".join(f"{value:.3g}" for value in values) + " |")
    print()
    for task, first, (label, value), seconds in scores:
        print(f"{task}, first activation {first}: {label} {value:.4g} "
              f"(trained and inspected in {seconds:.0f} s)")


if __name__ == "__main__":
    main()
