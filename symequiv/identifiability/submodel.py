r"""The submodel of a reducible MLP: fewer neurons, with the maps alpha, alpha* and beta.

:func:`~symequiv.identifiability.reduction.reduce_network` rewrites
:math:`\theta` into :math:`\theta^*` of the same widths, in which every
removable neuron of hidden layer :math:`i` has zero incoming weights, zero bias
and zero outgoing weights. Dropping those neurons gives the submodel
:math:`\tilde\theta` with widths :math:`\tilde d_i`, and

* :math:`\alpha_i : \tilde V_i \to V_i` puts :math:`\tilde h` on the kept
  coordinates and the constant :math:`\sigma_i(0)` on the removed ones (affine,
  and linear when :math:`\sigma_i(0) = 0`);
* :math:`\alpha^*_i : V_i \to \tilde V_i` keeps the kept coordinates, so
  :math:`\alpha^*_i \circ \alpha_i` is the identity;
* :math:`\beta_i : \tilde\Theta_i \to \Theta_i` places :math:`\tilde W_i` on the
  kept rows and columns and :math:`\tilde b_i` on the kept rows, with zeros
  elsewhere, so that :math:`f_i(\alpha_{i-1}(\tilde h); \beta_i(\tilde\theta_i))`
  equals :math:`\alpha_i(\tilde f_i(\tilde h; \tilde\theta_i))`
  (:math:`\alpha_0` and :math:`\alpha_L` are identities).

:math:`\beta(\tilde\theta) = \theta^*` is checked exactly, and with the
reduction's own proof (each rewrite re-proved by the normal form of the two
layers it touches) this shows that :math:`\tilde\theta`, :math:`\theta^*` and
:math:`\theta` compute the same function.
"""

from __future__ import annotations

from dataclasses import dataclass

from symequiv.identifiability.reduction import reduce_network
from symequiv.models.network import Network


@dataclass(frozen=True)
class Embedding:
    r""":math:`\alpha_i` and :math:`\alpha^*_i` of one hidden layer.

    Attributes
    ----------
    layer : int
    dimension : int
        :math:`d_i`.
    kept : tuple of int
        The coordinates of :math:`V_i` (from 0) that :math:`\tilde V_i` keeps, in order.
    constant : sympy.Expr
        :math:`\sigma_i(0)`, the value :math:`\alpha_i` puts on removed coordinates.
    """

    layer: int
    dimension: int
    kept: tuple
    constant: object

    @property
    def removed(self):
        return tuple(index for index in range(self.dimension) if index not in self.kept)

    def alpha(self, reduced_vector):
        r"""Apply :math:`\alpha_i` to a vector of :math:`\tilde V_i`."""
        values = [self.constant] * self.dimension
        for position, index in enumerate(self.kept):
            values[index] = reduced_vector[position]
        return values

    def alpha_star(self, vector):
        r"""Apply :math:`\alpha^*_i` to a vector of :math:`V_i`."""
        return [vector[index] for index in self.kept]

    def describe(self):
        removed = ", ".join(str(index + 1) for index in self.removed) or "none"
        return (f"alpha_{self.layer}: R^{len(self.kept)} -> R^{self.dimension} keeps neurons "
                f"{', '.join(str(index + 1) for index in self.kept)} and sets neurons "
                f"{removed} to sigma(0) = {self.constant}; alpha*_{self.layer} keeps the same "
                "coordinates")

    def to_dict(self):
        return {"layer": self.layer, "dimension": self.dimension,
                "kept": list(self.kept), "removed": list(self.removed),
                "constant": str(self.constant)}


@dataclass(frozen=True)
class Submodel:
    r"""The reduced network :math:`\tilde\theta`, the maps, and the proof of equal functions.

    Attributes
    ----------
    reparameterization : Reparameterization
        :math:`\theta^*` with the reduction steps.
    reduced : Network
        :math:`\tilde\theta`.
    embeddings : tuple of Embedding
        One per hidden layer.
    proof : tuple of (str, bool)
        Each fact of the proof and whether it was checked to hold.
    """

    reparameterization: object
    reduced: Network
    embeddings: tuple
    proof: tuple

    @property
    def theta_star(self):
        return self.reparameterization.network

    @property
    def changed(self):
        return self.reduced.widths != self.reparameterization.original.widths

    @property
    def verified(self):
        return all(holds for _, holds in self.proof)

    def beta(self, reduced_network=None):
        r"""Apply :math:`\beta` to :math:`\tilde\theta` (or another submodel parameter)."""
        reduced_network = reduced_network or self.reduced
        original = self.reparameterization.original
        layers = []
        kept_before = tuple(range(original.input_dimension))
        for index, layer in enumerate(original.layers):
            kept_after = (self.embeddings[index].kept if index < len(self.embeddings)
                          else tuple(range(layer.output_dimension)))
            small = reduced_network.layers[index]
            field = layer.field
            weights = [[field.zero] * layer.input_dimension for _ in range(layer.output_dimension)]
            bias = [field.zero] * layer.output_dimension
            for row_position, row in enumerate(kept_after):
                bias[row] = small.bias[row_position]
                for column_position, column in enumerate(kept_before):
                    weights[row][column] = small.weights[row_position][column_position]
            layers.append(layer.with_parameters(weights, bias))
            kept_before = kept_after
        return Network(layers)

    def to_dict(self):
        return {
            "widths": list(self.reduced.widths),
            "embeddings": [embedding.to_dict() for embedding in self.embeddings],
            "proof": [{"fact": fact, "holds": holds} for fact, holds in self.proof],
        }


def submodel(network):
    r"""Reduce ``network`` and return its :class:`Submodel`.

    A network that is not an MLP of dense layers, or has nothing to remove,
    gives the trivial submodel (identity maps).
    """
    from symequiv.activations.catalogue import t

    reparameterization = reduce_network(network)
    star = reparameterization.network
    zero = network.field.zero
    embeddings = []
    for index, layer in enumerate(star.hidden_layers):
        following = star.layers[index + 1]
        kept = tuple(neuron for neuron in range(layer.output_dimension)
                     if any(row[neuron] != zero for row in following.weights))
        if not kept:
            # Keep one neuron so that every space has a dimension; its column is zero.
            kept = (0,)
        embeddings.append(Embedding(index + 1, layer.output_dimension, kept,
                                    layer.activation.formula.subs(t, 0)))

    layers = []
    kept_before = tuple(range(network.input_dimension))
    for index, layer in enumerate(star.layers):
        kept_after = (embeddings[index].kept if index < len(embeddings)
                      else tuple(range(layer.output_dimension)))
        weights = [[layer.weights[row][column] for column in kept_before] for row in kept_after]
        bias = [layer.bias[row] for row in kept_after]
        layers.append(layer.with_parameters(weights, bias))
        kept_before = kept_after
    reduced = Network(layers)
    result = Submodel(reparameterization, reduced, tuple(embeddings), ())
    proof = (
        ("theta* has the same function as theta: every reduction step was re-proved by the "
         "normal form of the two layers it changed", bool(reparameterization.verified)),
        ("beta(theta~) = theta*: the removed neurons of theta* have zero incoming weights, "
         "zero bias and zero outgoing weights", result.beta().same_parameters(star)),
        ("alpha*_i(alpha_i(h~)) = h~ for every hidden layer",
         all(embedding.alpha_star(embedding.alpha(list(embedding.kept))) == list(embedding.kept)
             for embedding in embeddings)),
    )
    return Submodel(reparameterization, reduced, tuple(embeddings), proof)
