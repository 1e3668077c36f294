from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect

from accounts.http import AuthedRequest
from accounts.models import Role

HOME_BY_ROLE: dict[str, str] = {
    Role.WARD_NURSE: "handover:worklist",
    Role.WARD_DOCTOR: "handover:worklist",
    Role.COORDINATOR: "handover:worklist",
    Role.MUNICIPAL_NURSE: "handover:lookup",
    Role.GP: "handover:lookup",
    Role.ACUTE_LINE: "handover:lookup",
    Role.RISK_MANAGER: "incidents:dashboard",
}


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    """Send each role to the page she opens the product for."""
    return redirect(HOME_BY_ROLE.get(request.user.role, "contacts:ward_list"))
