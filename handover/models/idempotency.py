"""The first answer to a creating request, kept so that a repeat of it is answered the same.

Written and read only by ``handover.idempotency``: the API's ``Idempotency-Key`` header and the
one-time token of the HTML forms that create things share this table.
"""

import json
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from api.schema import IDEMPOTENCY_KEY_MAX_LENGTH


class IdempotencyKey(models.Model):
    """One user's key and the answer its first request got.

    The row is inserted in the transaction of the change the request makes, before the change,
    so a crash leaves neither a change without its row nor a row without its change, and a
    committed row always holds its answer. Keys are per user: another user's key is never seen.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    key = models.CharField(_("nøgle"), max_length=IDEMPOTENCY_KEY_MAX_LENGTH)
    method = models.CharField(_("metode"), max_length=10)
    path = models.CharField(_("sti"), max_length=255)
    # SHA-256 of the request's data, canonical JSON: a repeat must ask for the same thing.
    request_hash = models.CharField(_("forespørgslens hash"), max_length=64)
    # Filled before the first request's transaction commits; never seen empty by another.
    status_code = models.PositiveSmallIntegerField(_("statuskode"), null=True)
    # JSON as text, not a JSONField: PostgreSQL's jsonb reorders an object's keys, and a repeat
    # is answered with the first answer as it was.
    response_body = models.TextField(_("svar (JSON)"), blank=True)
    # The hourly task handover.tasks.forget_idempotency_keys deletes rows older than
    # settings.IDEMPOTENCY_KEY_LIFETIME by this column.
    created_at = models.DateTimeField(_("oprettet"), db_index=True)

    class Meta:
        verbose_name = _("idempotensnøgle")
        verbose_name_plural = _("idempotensnøgler")
        constraints = [
            # A duplicate sent while the first is still running waits on this constraint until
            # the first commits (or rolls back): the requests serialize here, not on a lock.
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.method} {self.path}"

    def keep_answer(self, status_code: int, body: Any) -> None:
        self.status_code = status_code
        self.response_body = json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False)
        self.save(update_fields=["status_code", "response_body"])

    def answer_body(self) -> Any:
        return json.loads(self.response_body)
