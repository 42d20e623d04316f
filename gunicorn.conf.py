"""gunicorn's settings for BackCare: `make serve` and the README's production notes use it.

gunicorn also reads this file by itself when started in this folder. Everything else
(address, workers, access log on or off) is given on the command line.
"""

from gunicorn.glogging import Logger

from backcare.log_redaction import RedactSecretPaths


class RedactingLogger(Logger):
    """gunicorn's logger, with the secret part of calendar, password-reset and report
    addresses replaced by `[redacted]` in every access-log and error-log line, wherever it
    shows: the request line, the path, the referrer."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            if not any(isinstance(f, RedactSecretPaths) for f in log.filters):
                log.addFilter(RedactSecretPaths())


logger_class = RedactingLogger


def post_worker_init(worker) -> None:
    """Draw every exercise figure once as the worker starts, beside its first requests, so
    hardly any visitor waits for a first drawing (it is kept in memory from then on)."""
    import threading

    from programs.figures import warm

    threading.Thread(target=warm, name="draw-figures", daemon=True).start()
