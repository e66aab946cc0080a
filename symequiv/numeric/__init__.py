r"""The numeric fallback: trained networks with floating-point parameters.

Modules, one concept each:

* :mod:`~symequiv.numeric.network` -- :class:`FloatNetwork`, an MLP with float
  parameters, evaluated in numpy and in Arb ball arithmetic;
* :mod:`~symequiv.numeric.loaders` -- weights from ``.npz``, ``.safetensors``,
  PyTorch state dicts and ONNX graphs;
* :mod:`~symequiv.numeric.matching` -- tolerant matching inside the latent
  groups, with margins and an explicit ambiguous outcome;
* :mod:`~symequiv.numeric.metric` -- the per-layer least-squares metric of
  Shahverdi, Marchetti, Bökman and Kohn (arXiv:2601.21645);
* :mod:`~symequiv.numeric.projection` -- snapping latent actions to exact
  elements, projecting the weights, and certifying the result exactly;
* :mod:`~symequiv.numeric.verification` -- the claims of a theory with float
  parameters, as numerical evidence, certified refutations or unknown;
* :mod:`~symequiv.numeric.inspection` -- the per-layer report behind
  ``symequiv inspect``, and :mod:`~symequiv.numeric.plots` its figures.

Numeric code takes tolerances and a ``numpy.random.Generator`` as arguments,
and reports agreement as evidence, never as proof.
"""
