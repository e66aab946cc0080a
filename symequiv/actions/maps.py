r"""Exact linear and affine maps of coordinate spaces.

Conventions used throughout symequiv:

* vectors are columns and maps act on the left, ``y = A x + t``;
* ``A.compose(B)`` is the product ``A B``, the map that applies ``B`` first;
* a :class:`MonomialMatrix` with images :math:`\pi` and scales :math:`c` is the
  matrix with :math:`A_{\pi(j), j} = c_j` and zeros elsewhere, so it sends the
  basis vector :math:`e_j` to :math:`c_j e_{\pi(j)}`; permutations and signed
  permutations are the monomial matrices with scales 1 and :math:`\pm 1`.

A matrix that is monomial is always stored as a :class:`MonomialMatrix`, so two
maps are equal exactly when their stored data are equal, and maps can serve as
dictionary keys (the Cayley-graph closure relies on this).
"""

from __future__ import annotations

from functools import cached_property

from sympy.polys.matrices import DomainMatrix

from symequiv.errors import GroupError, InputError, LimitError, ShapeError

# Products of group elements whose entries pass this size (about 10,000 decimal
# digits) are abandoned: finite-order elements never grow like that.
MAX_ENTRY_BITS = 33_000


def check_entry_size(affine_or_linear):
    """Raise :class:`LimitError` when a rational map's entries have grown past the bound."""
    linear = getattr(affine_or_linear, "linear", affine_or_linear)
    field = linear.field
    if not field.is_rational:
        return
    # A structured map (symequiv.actions.tokens.TokenMap) repeats its feature map's entries.
    stored = getattr(linear, "feature", linear)
    entries = list(stored.scales) if isinstance(stored, MonomialMatrix) else [
        entry for row in stored.rows() for entry in row]
    translation = getattr(affine_or_linear, "translation", None)
    if translation is not None:
        entries.extend(translation)
    for entry in entries:
        if (int(entry.numerator).bit_length() > MAX_ENTRY_BITS
                or int(entry.denominator).bit_length() > MAX_ENTRY_BITS):
            raise LimitError(
                "a product of group elements has entries with more than 10000 digits; "
                "a generator has infinite order or the word is too long to evaluate")


# Below this dimension a plain Python product beats DomainMatrix's conversion overhead.
_SMALL = 12


class LinearMap:
    """Common interface of :class:`MonomialMatrix` and :class:`DenseMatrix`."""

    field = None
    dimension = 0

    def rows(self):
        """Return the matrix as a tuple of row tuples."""
        raise NotImplementedError

    def apply(self, vector):
        raise NotImplementedError

    def compose(self, other):
        raise NotImplementedError

    def inverse(self):
        raise NotImplementedError

    def times_matrix(self, matrix_rows):
        r"""Return the rows of :math:`A M` for a matrix ``M`` given by rows."""
        raise NotImplementedError

    def matrix_times(self, matrix_rows):
        r"""Return the rows of :math:`M A` for a matrix ``M`` given by rows."""
        raise NotImplementedError

    @property
    def is_identity(self):
        raise NotImplementedError

    def power(self, exponent):
        """Return this map raised to an integer power, by repeated squaring."""
        result = identity_map(self.field, self.dimension)
        base = self if exponent >= 0 else self.inverse()
        exponent = abs(exponent)
        while exponent:
            if exponent & 1:
                result = result.compose(base)
                check_entry_size(result)
            exponent >>= 1
            if exponent:
                base = base.compose(base)
                check_entry_size(base)
        return result

    def to_domain_matrix(self):
        return DomainMatrix([list(row) for row in self.rows()], (self.dimension,) * 2,
                            self.field.domain)

    def to_sympy(self):
        """Return the matrix as a sympy ``Matrix`` of expressions."""
        import sympy

        return sympy.Matrix(
            [[self.field.to_expr(entry) for entry in row] for row in self.rows()]
        )


class MonomialMatrix(LinearMap):
    r"""A matrix with exactly one nonzero entry in each row and column.

    Parameters
    ----------
    field : ExactField
    images : sequence of int
        :math:`\pi(j)` for each column :math:`j`; a permutation of ``range(n)``.
    scales : sequence of field elements, optional
        :math:`c_j`, all nonzero; ones when omitted.
    """


    def __init__(self, field, images, scales=None):
        self.field = field
        self.images = tuple(images)
        if scales is None:
            scales = (field.one,) * len(self.images)
        self.scales = tuple(scales)
        if len(self.scales) != len(self.images):
            raise ShapeError(
                f"a monomial matrix needs one scale per image, got {len(self.scales)} "
                f"scales for {len(self.images)} images"
            )
        if sorted(self.images) != list(range(len(self.images))):
            raise InputError(
                f"invalid monomial matrix images {list(self.images)}: expected a permutation "
                f"of 0, ..., {len(self.images) - 1}, each index exactly once"
            )
        zero_scales = [column for column, scale in enumerate(self.scales) if scale == field.zero]
        if zero_scales:
            raise InputError(
                f"invalid monomial matrix scales {list(self.scales)}: scale {zero_scales[0]} is "
                "zero, but every scale must be nonzero for the matrix to be invertible"
            )

    @property
    def dimension(self):
        return len(self.images)

    def __eq__(self, other):
        if isinstance(other, MonomialMatrix):
            return self.images == other.images and self.scales == other.scales
        if isinstance(other, LinearMap):
            return self.rows() == other.rows()
        return NotImplemented

    def __hash__(self):
        return self._hash

    @cached_property
    def _hash(self):
        # Maps are immutable and hashed often (group closures), so the hash is kept.
        # Hashing exact scales is slow (python-flint hashes fmpq through Fraction),
        # so only the positions of the unit scales enter; equal maps still agree.
        one = self.field.one
        return hash((self.images, tuple(scale == one for scale in self.scales)))

    def __repr__(self):
        return f"MonomialMatrix(images={list(self.images)}, scales={list(self.scales)})"

    @cached_property
    def preimages(self):
        result = [0] * len(self.images)
        for column, row in enumerate(self.images):
            result[row] = column
        return tuple(result)

    @cached_property
    def is_identity(self):
        one = self.field.one
        return all(image == column for column, image in enumerate(self.images)) and all(
            scale == one for scale in self.scales
        )

    @cached_property
    def is_permutation(self):
        one = self.field.one
        return all(scale == one for scale in self.scales)

    @cached_property
    def is_signed_permutation(self):
        one = self.field.one
        return all(scale == one or scale == -one for scale in self.scales)

    def rows(self):
        zero = self.field.zero
        result = [[zero] * self.dimension for _ in range(self.dimension)]
        for column, (row, scale) in enumerate(zip(self.images, self.scales)):
            result[row][column] = scale
        return tuple(tuple(row) for row in result)

    def apply(self, vector):
        result = [None] * self.dimension
        for column, (row, scale) in enumerate(zip(self.images, self.scales)):
            result[row] = scale * vector[column]
        return tuple(result)

    def compose(self, other):
        _check_same_dimension(self, other)
        if hasattr(other, "compose_after"):
            # Structured maps (symequiv.actions.tokens) compose without expanding.
            return other.compose_after(self)
        if isinstance(other, MonomialMatrix):
            images = tuple(self.images[image] for image in other.images)
            # Permutations are common (group closures), and their unit scales need no products.
            if self.is_permutation:
                scales = other.scales
            elif other.is_permutation:
                scales = tuple(self.scales[image] for image in other.images)
            else:
                scales = tuple(self.scales[image] * scale
                               for image, scale in zip(other.images, other.scales))
            return MonomialMatrix(self.field, images, scales)
        return linear_map(self.field, self.times_matrix(other.rows()), invertible=True)

    def inverse(self):
        images = self.preimages
        scales = tuple(self.field.one / self.scales[column] for column in images)
        return MonomialMatrix(self.field, images, scales)

    def times_matrix(self, matrix_rows):
        result = [None] * self.dimension
        for column, (row, scale) in enumerate(zip(self.images, self.scales)):
            result[row] = tuple(scale * entry for entry in matrix_rows[column])
        return tuple(result)

    def matrix_times(self, matrix_rows):
        # (M A)[r, j] = M[r, pi(j)] * c_j
        pairs = tuple(zip(self.images, self.scales))
        if self.is_permutation:
            return tuple(tuple(row[image] for image in self.images) for row in matrix_rows)
        return tuple(tuple(row[image] * scale for image, scale in pairs) for row in matrix_rows)


class DenseMatrix(LinearMap):
    """An invertible square matrix that is not monomial, stored by rows.

    Parameters
    ----------
    field : ExactField
    rows : sequence of sequences of field elements
    """


    def __init__(self, field, rows):
        self.field = field
        self._rows = tuple(tuple(row) for row in rows)

    @property
    def dimension(self):
        return len(self._rows)

    def __eq__(self, other):
        if isinstance(other, LinearMap):
            return self.rows() == other.rows()
        return NotImplemented

    def __hash__(self):
        return self._hash

    @cached_property
    def _hash(self):
        # The first row and the diagonal, which structured storages of the same
        # matrix (symequiv.actions.tokens.TokenMap) compute without expanding.
        diagonal = tuple(row[index] for index, row in enumerate(self._rows))
        return hash((self._rows[0] if self._rows else (), diagonal))

    def __repr__(self):
        return f"DenseMatrix({[list(row) for row in self._rows]})"

    def rows(self):
        return self._rows

    @cached_property
    def is_identity(self):
        return False

    def apply(self, vector):
        zero = self.field.zero
        return tuple(sum((a * b for a, b in zip(row, vector)), zero) for row in self._rows)

    def compose(self, other):
        _check_same_dimension(self, other)
        if hasattr(other, "compose_after"):
            return other.compose_after(self)
        if isinstance(other, MonomialMatrix):
            return linear_map(self.field, other.matrix_times(self._rows), invertible=True)
        if self.dimension <= _SMALL:
            zero = self.field.zero
            columns = list(zip(*other.rows()))
            product = [[sum((a * b for a, b in zip(row, column)), zero) for column in columns]
                       for row in self._rows]
            return linear_map(self.field, product, invertible=True)
        product = self.to_domain_matrix() * other.to_domain_matrix()
        return linear_map(self.field, product.to_list(), invertible=True)

    def inverse(self):
        inverse = self.to_domain_matrix().inv()
        return linear_map(self.field, inverse.to_list(), invertible=True)

    def times_matrix(self, matrix_rows):
        if not matrix_rows or not matrix_rows[0]:
            return tuple(tuple() for _ in self._rows)
        other = DomainMatrix([list(row) for row in matrix_rows],
                             (len(matrix_rows), len(matrix_rows[0])), self.field.domain)
        return tuple(tuple(row) for row in (self.to_domain_matrix() * other).to_list())

    def matrix_times(self, matrix_rows):
        if not matrix_rows:
            return ()
        other = DomainMatrix([list(row) for row in matrix_rows],
                             (len(matrix_rows), len(matrix_rows[0])), self.field.domain)
        return tuple(tuple(row) for row in (other * self.to_domain_matrix()).to_list())


def _check_same_dimension(first, second):
    if first.dimension != second.dimension:
        raise ShapeError(
            f"cannot compose maps of dimensions {first.dimension} and {second.dimension}"
        )


def identity_map(field, dimension):
    """Return the identity matrix of ``dimension`` as a :class:`MonomialMatrix`."""
    return MonomialMatrix(field, range(dimension))


def linear_map(field, rows, invertible=False):
    r"""Build the linear map with the given rows, as a monomial matrix when it is one.

    ``invertible=True`` skips the rank check, for products and inverses of
    maps already known to be invertible.

    Raises
    ------
    GroupError
        When the matrix is not square or not invertible.
    """
    rows = tuple(tuple(row) for row in rows)
    size = len(rows)
    if any(len(row) != size for row in rows):
        raise GroupError(
            f"a linear map must be a square matrix; got {size} rows of lengths "
            f"{sorted({len(row) for row in rows})}"
        )
    zero = field.zero
    images = [None] * size
    scales = [None] * size
    monomial = True
    for row_index, row in enumerate(rows):
        nonzero = [column for column, entry in enumerate(row) if entry != zero]
        if len(nonzero) != 1 or images[nonzero[0]] is not None:
            monomial = False
            break
        images[nonzero[0]] = row_index
        scales[nonzero[0]] = row[nonzero[0]]
    if monomial:
        return MonomialMatrix(field, images, scales)
    if invertible:
        return DenseMatrix(field, rows)
    matrix = DomainMatrix([list(row) for row in rows], (size, size), field.domain)
    if size == 0 or matrix.rank() < size:
        raise GroupError(f"the matrix is singular (rank {matrix.rank()} < {size})")
    return DenseMatrix(field, rows)


class AffineMap:
    r"""The map :math:`x \mapsto A x + t` with an exact linear part and translation.

    Parameters
    ----------
    linear : LinearMap
    translation : sequence of field elements, optional
        Omitted or all zeros for a linear map; stored as ``None`` then.
    """


    def __init__(self, linear, translation=None):
        self.linear = linear
        zero = linear.field.zero
        if translation is not None:
            translation = tuple(translation)
            if len(translation) != linear.dimension:
                raise ShapeError(
                    f"translation of length {len(translation)} for a map of dimension "
                    f"{linear.dimension}"
                )
            if all(entry == zero for entry in translation):
                translation = None
        self.translation = translation

    @property
    def field(self):
        return self.linear.field

    @property
    def dimension(self):
        return self.linear.dimension

    @property
    def is_linear(self):
        return self.translation is None

    @property
    def is_identity(self):
        return self.translation is None and self.linear.is_identity

    def translation_or_zero(self):
        if self.translation is None:
            return (self.field.zero,) * self.dimension
        return self.translation

    def __eq__(self, other):
        if not isinstance(other, AffineMap):
            return NotImplemented
        return self.linear == other.linear and self.translation == other.translation

    def __hash__(self):
        return self._hash

    @cached_property
    def _hash(self):
        return hash((self.linear, self.translation))

    def __repr__(self):
        if self.translation is None:
            return f"AffineMap({self.linear!r})"
        return f"AffineMap({self.linear!r}, translation={list(self.translation)})"

    def apply(self, vector):
        image = self.linear.apply(vector)
        if self.translation is None:
            return image
        return tuple(a + b for a, b in zip(image, self.translation))

    def compose(self, other):
        """Return ``self`` after ``other``: :math:`x \\mapsto A_1 (A_2 x + t_2) + t_1`."""
        linear = self.linear.compose(other.linear)
        if other.translation is None:
            return AffineMap(linear, self.translation)
        moved = self.linear.apply(other.translation)
        if self.translation is not None:
            moved = tuple(a + b for a, b in zip(moved, self.translation))
        return AffineMap(linear, moved)

    def inverse(self):
        linear = self.linear.inverse()
        if self.translation is None:
            return AffineMap(linear)
        return AffineMap(linear, tuple(-entry for entry in linear.apply(self.translation)))

    def power(self, exponent):
        result = AffineMap(identity_map(self.field, self.dimension))
        base = self if exponent >= 0 else self.inverse()
        exponent = abs(exponent)
        while exponent:
            if exponent & 1:
                result = result.compose(base)
                check_entry_size(result)
            exponent >>= 1
            if exponent:
                base = base.compose(base)
                check_entry_size(base)
        return result


def identity_affine(field, dimension):
    """Return the identity of ``dimension`` as an :class:`AffineMap`."""
    return AffineMap(identity_map(field, dimension))
