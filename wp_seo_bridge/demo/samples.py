"""The demo's sample drafts, and how they get into the demo's WordPress.

Three drafts written for the project, all fiction (the towns, companies, associations and people are
invented; any likeness to real ones is chance):

- ``short-news``: a short French news piece (classic editor, about 230 words) that the bridge must
  expand to 700 words and more, with its figures, dates, names and quotations only;
- ``block-editor``: a French draft in block-editor markup, with an image block, a YouTube embed and a
  ``[gallery ids="..."]`` shortcode, which the rewrite must keep as they are;
- ``english``: an English draft (classic editor), which the bridge rewrites in French.

Their text is in ``samples/`` (package data), as templates: ``{{image:NAME:id}}`` and
``{{image:NAME:url}}`` stand for the ID and the address of one of :data:`IMAGES` once uploaded. The
pictures are drawn when they are uploaded (``images.py``): small PNG landscapes, no file shipped.

:func:`load_samples` puts everything into a running local WordPress, a
:class:`wp_seo_bridge.local_wordpress.LocalSite`: only its ``php()``, ``php_json()``, ``create_post(**fields)``,
``editor_id`` and ``url`` are used (see :class:`Site`), and nothing of it is imported here.

The fake model's answers to these drafts, which pass the bridge's gate, are test data
(``tests/fixtures/demo/``, ``tests/support/demo_model.py``): the demo never shows them.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from importlib.resources import files
from typing import Literal, Protocol
from urllib.parse import urlsplit

from .images import Hill, Scene, landscape


class Site(Protocol):
    """What :func:`load_samples` uses of a local WordPress."""

    url: str
    editor_id: int

    def php(self, code: str) -> str: ...

    def php_json(self, code: str) -> object: ...

    def create_post(self, **fields: object) -> int: ...


@dataclass(frozen=True)
class Sample:
    """One sample draft."""

    #: Its name, e.g. ``short-news``; its template is ``samples/<name>.html``.
    name: str
    title: str
    #: The editor it was written in: ``classic`` (HTML) or ``blocks`` (block-editor markup).
    editor: Literal["classic", "blocks"]
    #: The language it is written in (ISO 639-1).
    language: str
    #: What it shows, in a few words (for the demo's output).
    about: str

    def template(self) -> str:
        """The draft's content, with its ``{{image:NAME:id}}`` / ``{{image:NAME:url}}`` placeholders."""
        return files("wp_seo_bridge").joinpath(f"demo/samples/{self.name}.html").read_text(encoding="utf-8")

    def images(self) -> list[str]:
        """The names of the images the draft shows, in order of first appearance."""
        return list(dict.fromkeys(name for name, _ in _PLACEHOLDER.findall(self.template())))

    def content(self, uploaded: dict[str, UploadedImage] | None = None) -> str:
        """The draft's content, each placeholder replaced by the uploaded image's ID or address."""
        uploaded = uploaded or {}

        def value(match: re.Match[str]) -> str:
            name, field = match.groups()
            if name not in uploaded:
                raise KeyError(f"the sample {self.name!r} shows the image {name!r}, which was not uploaded")
            image = uploaded[name]
            return str(image.id) if field == "id" else image.path

        return _PLACEHOLDER.sub(value, self.template())


@dataclass(frozen=True)
class SampleImage:
    """A picture of the samples: drawn, then uploaded to the media library."""

    name: str
    title: str
    alt: str
    scene: Scene

    @property
    def file_name(self) -> str:
        return f"demo-{self.name}.png"

    def png(self) -> bytes:
        return landscape(self.scene)


@dataclass(frozen=True)
class UploadedImage:
    """An image in the site's media library."""

    name: str
    id: int
    #: Its address, as WordPress gives it (``http://127.0.0.1:PORT/wp-content/uploads/...``).
    url: str

    @property
    def path(self) -> str:
        """Its address without the scheme and host: a site started again on another port still shows it."""
        parts = urlsplit(self.url)
        return parts.path + (f"?{parts.query}" if parts.query else "")


_PLACEHOLDER = re.compile(r"\{\{image:([a-z0-9-]+):(id|url)\}\}")

SAMPLES: tuple[Sample, ...] = (
    Sample(
        name="short-news",
        title="Valmoret-sur-Lenne ouvre une ressourcerie dans l’ancienne caserne des pompiers",
        editor="classic",
        language="fr",
        about="a short French news piece, to expand to 700 words",
    ),
    Sample(
        name="block-editor",
        title="Une voie verte de 18 kilomètres entre Montclaret et le lac de Bérinval",
        editor="blocks",
        language="fr",
        about="a block-editor draft with an image, a video embed and a gallery",
    ),
    Sample(
        name="english",
        title="Harwick University develops a seaweed film that composts in six weeks",
        editor="classic",
        language="en",
        about="an English draft, to rewrite in French",
    ),
)

_DAWN = Scene(
    sky_top=(66, 125, 196), sky_bottom=(246, 205, 160), sun=(255, 241, 204), sun_at=(0.72, 0.34), sun_radius=0.09,
    hills=(Hill((118, 146, 118), 0.56, 0.05, 1.5, 0.3), Hill((66, 116, 68), 0.7, 0.04, 2.5, 1.0),
           Hill((34, 84, 46), 0.8, 0.03, 3.5, 2.0)),
    path=(214, 200, 176), path_top=0.62,
)
IMAGES: tuple[SampleImage, ...] = (
    SampleImage("voie-verte", "La voie verte au-dessus de Montclaret",
                "La voie verte entre les collines, au-dessus de Montclaret", _DAWN),
    SampleImage("lac", "Le lac de Bérinval", "Le lac de Bérinval au pied des collines", Scene(
        sky_top=(92, 150, 214), sky_bottom=(214, 232, 244), sun=(255, 250, 226), sun_at=(0.25, 0.22), sun_radius=0.07,
        hills=(Hill((98, 128, 150), 0.5, 0.06, 1.2, 2.2), Hill((58, 104, 76), 0.93, 0.02, 4.0, 0.5)),
        lake=(48, 104, 160), lake_level=0.6,
    )),
    SampleImage("foret", "La forêt de Bérinval", "Les collines boisées de la forêt de Bérinval", Scene(
        sky_top=(46, 64, 120), sky_bottom=(240, 150, 96), sun=(255, 214, 140), sun_at=(0.4, 0.5), sun_radius=0.11,
        hills=(Hill((92, 84, 110), 0.5, 0.07, 2.0, 1.4), Hill((46, 82, 58), 0.66, 0.05, 3.0, 0.2),
               Hill((22, 56, 36), 0.82, 0.04, 5.0, 2.6)),
    )),
    SampleImage("crete", "Les crêtes de la Vaudrenne", "Les crêtes au loin, vers la vallée de la Vaudrenne", Scene(
        sky_top=(120, 170, 220), sky_bottom=(226, 236, 240), sun=(255, 255, 240), sun_at=(0.85, 0.18), sun_radius=0.06,
        hills=(Hill((150, 160, 180), 0.42, 0.1, 2.2, 0.8), Hill((104, 134, 104), 0.62, 0.06, 1.8, 2.9),
               Hill((140, 150, 70), 0.84, 0.03, 2.6, 1.7)),
    )),
)


def sample(name: str) -> Sample:
    """The sample called ``name`` (KeyError if there is none)."""
    for candidate in SAMPLES:
        if candidate.name == name:
            return candidate
    raise KeyError(f"no sample called {name!r}; the samples are {', '.join(s.name for s in SAMPLES)}")


_UPLOAD_PHP = r"""
require_once ABSPATH . 'wp-admin/includes/image.php';
wp_set_current_user( (int) $__author );
$__out = array();
foreach ( $__images as $__image ) {
    $__upload = wp_upload_bits( $__image['file'], null, base64_decode( $__image['data'] ) );
    if ( ! empty( $__upload['error'] ) ) {
        fwrite( STDERR, 'wp_upload_bits failed for ' . $__image['file'] . ': ' . $__upload['error'] . "\n" );
        exit( 3 );
    }
    $__id = wp_insert_attachment( array(
        'post_mime_type' => 'image/png',
        'post_title'     => $__image['title'],
        'post_content'   => '',
        'post_status'    => 'inherit',
        'post_author'    => (int) $__author,
    ), $__upload['file'], 0, true );
    if ( is_wp_error( $__id ) || ! $__id ) {
        fwrite( STDERR, 'wp_insert_attachment failed for ' . $__image['file'] . "\n" );
        exit( 3 );
    }
    // Width, height and (with an image editor such as php-gd) the smaller sizes; without one, the full size only.
    wp_update_attachment_metadata( $__id, wp_generate_attachment_metadata( $__id, $__upload['file'] ) );
    update_post_meta( $__id, '_wp_attachment_image_alt', wp_slash( $__image['alt'] ) );
    $__out[ $__image['name'] ] = array( 'id' => (int) $__id, 'url' => wp_get_attachment_url( $__id ) );
}
echo json_encode( $__out );
"""


def _php_data(value: object) -> str:
    """A PHP expression for ``value`` (through JSON and base64: no quoting to get wrong)."""
    payload = base64.b64encode(json.dumps(value).encode("utf-8")).decode("ascii")
    return f"json_decode(base64_decode('{payload}'), true)"


def upload_images(site: Site, images: tuple[SampleImage, ...] = IMAGES) -> dict[str, UploadedImage]:
    """Draw ``images`` and add them to the site's media library (by the editor user), by name."""
    payload = [
        {"name": image.name, "file": image.file_name, "title": image.title, "alt": image.alt,
         "data": base64.b64encode(image.png()).decode("ascii")}
        for image in images
    ]
    code = f"$__author = {int(site.editor_id)};\n$__images = {_php_data(payload)};\n{_UPLOAD_PHP}"
    answer = site.php_json(code)
    if not isinstance(answer, dict) or set(answer) != {image.name for image in images}:
        raise RuntimeError(f"unexpected answer from WordPress after uploading the sample images: {answer!r}")
    return {name: UploadedImage(name, int(item["id"]), str(item["url"])) for name, item in answer.items()}


def load_samples(site: Site, samples: tuple[Sample, ...] = SAMPLES) -> list[int]:
    """Upload the images and insert ``samples`` as drafts by the editor user; their post IDs, in order.

    Each call adds new posts and new images (it is meant for a fresh site). Each image is attached to
    the first draft that shows it, as if it had been uploaded from that draft's editor.
    """
    wanted = list(dict.fromkeys(name for s in samples for name in s.images()))
    known = {image.name: image for image in IMAGES}
    uploaded = upload_images(site, tuple(known[name] for name in wanted)) if wanted else {}
    ids = [
        site.create_post(post_title=s.title, post_content=s.content(uploaded), post_status="draft",
                         post_author=site.editor_id)
        for s in samples
    ]
    parents = {}
    for s, post_id in zip(samples, ids):
        for name in s.images():
            parents.setdefault(uploaded[name].id, post_id)
    if parents:
        site.php("\n".join(
            f"wp_update_post(array('ID' => {image_id}, 'post_parent' => {post_id}));"
            for image_id, post_id in parents.items()
        ))
    return ids
