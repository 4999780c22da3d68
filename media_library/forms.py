from django import forms

from .models import Image


class ImageForm(forms.ModelForm):
    """The upload, from the admin's form or the editor's dialog (views.upload)."""

    class Meta:
        model = Image
        fields = ["file", "alt_en", "alt_ja", "caption_en", "caption_ja", "credit"]
