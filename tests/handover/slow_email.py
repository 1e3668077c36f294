"""An e-mail backend that hangs, so a test can kill the worker in the middle of a delivery."""

import time
from collections.abc import Sequence

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage


class Backend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        time.sleep(60)
        return len(email_messages)
