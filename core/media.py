"""Uploaded images, for a site that Django serves alone (`make serve` on one machine).

Only image files, sent with their image type (and nosniff, from SecurityMiddleware), so an
upload can never be served as a page; browsers keep them a year, since every stored name is
random and never reused. Larger deployments keep media on object storage behind a CDN
(docs/deployment.md) and never reach this view.
"""

from pathlib import PurePosixPath

from django.conf import settings
from django.http import Http404
from django.views.static import serve

IMAGE_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".gif": "image/gif",
}


def media(request, path):
    content_type = IMAGE_TYPES.get(PurePosixPath(path).suffix.lower())
    if content_type is None:
        raise Http404
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Content-Type"] = content_type
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
