"""Static files as deployed: hashed names, compressed copies, and module imports rewritten."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Rewrites `import ... from "./x.js"` in our ES modules to the hashed names too, so a
    page always loads one release's modules together, each cached for good."""

    support_js_module_import_aggregation = True
