"""The editor's JSON endpoints, under the image admin (admin.ImageAdmin.get_urls): choosing
an image of the library, and uploading one into it."""

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .forms import ImageForm
from .models import Image

CHOICES = 40


@require_GET
def choose(request, model_admin):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    images = Image.objects.matching(request.GET.get("q", "")[:100])[:CHOICES]
    return JsonResponse({"results": [image.as_json() for image in images]})


@require_POST
def upload(request, model_admin):
    if not model_admin.has_add_permission(request):
        return JsonResponse({"error": _("You may not add images to the library.")}, status=403)
    form = ImageForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = {
            field: [str(message) for message in messages] for field, messages in form.errors.items()
        }
        first = next(iter(errors.values()))[0]
        return JsonResponse({"error": first, "errors": errors}, status=400)
    image = form.save(commit=False)
    image.uploaded_by = request.user
    image.save()
    return JsonResponse(image.as_json(), status=201)
