import io
import zipfile

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ImportRun

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


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
        help_text=_(
            "Pages of the old site saved as text, a .zip of them, or an export of this site "
            "(.zip). Nothing is saved until you confirm the dry run's report."
        ),
    )

    class Meta:
        model = ImportRun
        fields = ["as_draft"]

    def clean_uploads(self):
        files = self.cleaned_data["uploads"]
        if not files:
            raise forms.ValidationError(_("Choose at least one file."))
        if sum(file.size for file in files) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("At most 20 MB at once: use the import_commentaries command for more.")
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
