"""Images to the raw uint8 NHWC bytes of a samples artifact (numpy/torch arrays or nested lists)."""


def _shape_of(images):
    shape = []
    node = images
    while isinstance(node, (list, tuple)):
        shape.append(len(node))
        if not node:
            break
        node = node[0]
    return shape


def _flatten(node, depth, shape, out, where):
    if depth == len(shape):
        value = node
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 255:
            raise ValueError("images%s is %r; pixels must be integers 0-255 (uint8)"
                             % (where, value))
        out.append(value)
        return
    if not isinstance(node, (list, tuple)) or len(node) != shape[depth]:
        raise ValueError("images%s must be a list of %d items (all images have the same shape)"
                         % (where, shape[depth]))
    for i, child in enumerate(node):
        _flatten(child, depth + 1, shape, out, "%s[%d]" % (where, i))


def images_to_bytes(images):
    """``(bytes, (n, height, width, channels))`` of uint8 images shaped ``[n, h, w, c]`` or
    ``[n, h, w]`` (one channel). Arrays must have dtype uint8; lists hold integers 0-255."""
    if hasattr(images, "detach"):
        images = images.detach().cpu().numpy()
    if hasattr(images, "tobytes") and hasattr(images, "shape"):
        if str(getattr(images, "dtype", "uint8")) != "uint8":
            raise ValueError("images must have dtype uint8, got %s (scale to 0-255 and convert)"
                             % images.dtype)
        shape = [int(s) for s in images.shape]
        raw = images.tobytes(order="C") if hasattr(images, "flags") else images.tobytes()
    else:
        shape = _shape_of(images)
        if len(shape) not in (3, 4):
            raise ValueError("images must be shaped [n, height, width, channels] or "
                             "[n, height, width], got %d dimensions" % len(shape))
        out = bytearray()
        _flatten(images, 0, shape, out, "")
        raw = bytes(out)
    if len(shape) == 3:
        shape = shape + [1]
    if len(shape) != 4 or not all(s > 0 for s in shape) or shape[3] > 4:
        raise ValueError("images must be shaped [n, height, width, channels 1 to 4], got %s"
                         % (shape,))
    n, height, width, channels = shape
    return raw, (n, height, width, channels)
