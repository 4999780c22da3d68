"""What a failed send means: temporary (try again later) or permanent (never retry), for
SMTP and for a provider's HTTP API (django-anymail's errors carry its status code)."""

import smtplib


def is_temporary(error):
    """4xx replies, a server away, slow or gone mid-talk: temporary. 5xx: permanent."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _message in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    status = getattr(error, "status_code", None)
    if status is not None:  # an API: throttled or down for now, or refusing for good
        return status == 429 or status >= 500
    return isinstance(error, OSError)  # SMTPServerDisconnected, refused, timed out
