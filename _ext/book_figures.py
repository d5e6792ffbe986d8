"""Local Sphinx extension: clicking a figure opens its image at full size.

A figure wider than the content column is shown scaled down to it; a reader who wants to look
closer clicks it and the browser opens the image file itself, at its own size. The link is made
when the page is written, so it works without JavaScript and asks nothing of the network: each
image of a page that is not already inside a link is wrapped in one to the file Sphinx copies to
``_images/``, as Sphinx itself does for images given a smaller size (``html_scaled_image_link``).
The image's alt text (every figure has one; tests/test_site.py checks) is the link's accessible name.
"""

from __future__ import annotations

import posixpath

from docutils import nodes
from sphinx.util.osutil import relative_uri

LINK_CLASS = "book-figure-link"
LINK_TITLE = "Open this figure at full size"


def _source(image, builder) -> str | None:
    """The image file the builder will copy (as ``Builder.post_process_images`` chooses it)."""
    candidates = image.get("candidates", {})
    if "?" in candidates:  # a remote image: nothing of ours to link to
        return None
    if "*" in candidates or not candidates:
        return image["uri"]
    return next((candidates[kind] for kind in builder.supported_image_types if kind in candidates), None)


def link_images(app, doctree, docname) -> None:
    builder = app.builder
    if builder.format != "html":
        return
    folder = relative_uri(builder.get_target_uri(docname), builder.imagedir)
    for image in list(doctree.findall(nodes.image)):
        if isinstance(image.parent, nodes.reference):
            continue
        source = _source(image, builder)
        if source not in app.env.images:
            continue
        link = nodes.reference("", "", internal=True, refuri=posixpath.join(folder, app.env.images[source][1]),
                               reftitle=LINK_TITLE, classes=[LINK_CLASS])
        image.replace_self(link)
        link.append(image)


def setup(app):
    app.connect("doctree-resolved", link_images)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
