from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's storage (names with a hash of the content, Brotli and gzip copies), with
    each file's address worked out once a process: every page names about ten static files,
    and each lookup in the manifest costs more than a dictionary's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.addresses = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        if name not in self.addresses:
            self.addresses[name] = super().url(name)
        return self.addresses[name]
