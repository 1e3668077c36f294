"""What ward staff do to a discharge from its page: document it, confirm its papers, extend,
end or resume its period. Each a POSTed form run through a service, then back to the page."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthedRequest
from handover import services
from handover.forms import ConfirmForm, DocumentForm, EndForm, ExtendForm
from handover.idempotency import answer_form_once
from handover.models import Discharge
from handover.views_ward import scoped_discharge, ward_staff_required


def act(
    request: AuthedRequest, pk: int, form: Any, action: Callable[..., Discharge], done: str
) -> HttpResponse:
    """Run a service from a POSTed form on a discharge in scope, then back to its page; a second
    send of the same form (a double click) gets the first answer and changes nothing."""
    if not request.user.is_ward_staff:
        raise PermissionDenied
    discharge = scoped_discharge(request, pk)

    def run() -> HttpResponse:
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect("handover:discharge_detail", pk=pk)
        try:
            action(discharge=discharge, by=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            for errors in error.message_dict.values():
                for message in errors:
                    messages.error(request, message)
        except services.Conflict as error:
            messages.error(request, str(error))
        else:
            messages.success(request, done)
        return redirect("handover:discharge_detail", pk=pk)

    return answer_form_once(request, run)


@ward_staff_required
@require_POST
def discharge_document(request: AuthedRequest, pk: int) -> HttpResponse:
    form = DocumentForm(request.POST)
    if form.is_valid():
        form.cleaned_data["contact_phone"] = str(form.cleaned_data["contact_phone"] or "")
    return act(request, pk, form, services.document_discharge, _("Dokumentationen er gemt."))


def _confirm(*, discharge: Discharge, by: Any, document: str, request: HttpRequest) -> Discharge:
    return services.confirm_documents(
        discharge=discharge, by=by, documents=[document], request=request
    )


@ward_staff_required
@require_POST
def discharge_confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    return act(request, pk, ConfirmForm(request.POST), _confirm, _("Bekræftelsen er gemt."))


@ward_staff_required
@require_POST
def discharge_extend(request: AuthedRequest, pk: int) -> HttpResponse:
    return act(
        request,
        pk,
        ExtendForm(request.POST),
        services.extend_responsibility,
        _("Ansvaret er forlænget."),
    )


@ward_staff_required
@require_POST
def discharge_end(request: AuthedRequest, pk: int) -> HttpResponse:
    return act(
        request, pk, EndForm(request.POST), services.end_responsibility, _("Ansvaret er afsluttet.")
    )


@ward_staff_required
@require_POST
def discharge_resume(request: AuthedRequest, pk: int) -> HttpResponse:
    """Lift a 112 suspension: the form has no fields, only the one-time token."""
    return act(
        request,
        pk,
        forms.Form(request.POST),
        services.resume_responsibility,
        _("Suspenderingen er ophævet; afdelingen har igen behandlingsansvaret."),
    )
