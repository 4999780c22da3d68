"""What a failed SMTP send means: temporary (try again later) or permanent (never retry)."""

import smtplib


def is_temporary(error):
    """4xx replies, a server away, slow or gone mid-talk: temporary. 5xx: permanent."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _message in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(error, OSError)  # SMTPServerDisconnected, refused, timed out
