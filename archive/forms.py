import io
import zipfile

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import ImportRun


def upload_limit():
    """What the import form promises and accepts: the site's one upload limit (settings
    UPLOAD_MAX_BYTES, which core.middleware.refuse_large_bodies lets through)."""
    return filesizeformat(settings.UPLOAD_MAX_BYTES)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(file, initial) for file in files if file]


class ImportForm(forms.ModelForm):
    uploads = MultipleFileField(
        label=_("Pages or .zip"),
    )

    class Meta:
        model = ImportRun
        fields = ["as_draft"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["uploads"].help_text = gettext(
            "Pages of the old site saved as text, a .zip of them, or an export of this site "
            "(.zip), at most %(limit)s at once. Nothing is saved until you confirm the dry "
            "run's report."
        ) % {"limit": upload_limit()}

    def clean_uploads(self):
        files = self.cleaned_data["uploads"]
        if not files:
            raise forms.ValidationError(_("Choose at least one file."))
        if sum(file.size for file in files) > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                gettext("At most %(limit)s at once: use the import_commentaries command for more.")
                % {"limit": upload_limit()}
            )
        return files

    def save(self, commit=True):
        """Keeps one file as it is, several as one .zip of pages."""
        files = self.cleaned_data["uploads"]
        run = super().save(commit=False)
        run.files = ", ".join(file.name for file in files)[:1000]
        if len(files) == 1:
            run.data = files[0].read()
        else:
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
                for file in files:
                    bundle.writestr(file.name, file.read())
            run.data = buffer.getvalue()
        if commit:
            run.save()
        return run
