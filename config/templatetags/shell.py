"""The page shell for pages the Django engine renders: ``base.html`` takes its head, header
and footer from the Jinja2 templates every page shares (``config.jinja``)."""

from typing import Any

from django import template
from django.template import engines
from django.template.backends.utils import csrf_input_lazy, csrf_token_lazy
from django.template.base import NodeList, Parser, Token
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def shell(name: str, context: template.Context, **values: Any) -> SafeString:
    """``layout/<name>.jinja`` with what the Django context knows of the request and user
    (its context processors have run: nothing is asked twice)."""
    request = context.get("request")
    jinja = engines["jinja2"].env  # type: ignore[attr-defined]
    page = jinja.get_template(f"layout/{name}.jinja").render(
        request=request,
        csrf_input=csrf_input_lazy(request) if request is not None else "",
        csrf_token=csrf_token_lazy(request) if request is not None else "",
        user=context.get("user"),
        navigation=context.get("navigation", []),
        messages=context.get("messages", []),
        **values,
    )
    return mark_safe(page)  # noqa: S308 - Jinja2 escaped it


class PageTop(template.Node):
    def __init__(self, nodelist: NodeList) -> None:
        self.nodelist = nodelist  # holds the title block, which child templates fill

    def render(self, context: template.Context) -> SafeString:
        return shell("top", context, title=self.nodelist.render(context))


@register.tag
def page_top(parser: Parser, token: Token) -> PageTop:
    """``{% page_top %}<the page's title>{% end_page_top %}``: the page up to its content."""
    nodelist = parser.parse(("end_page_top",))
    parser.delete_first_token()
    return PageTop(nodelist)


@register.simple_tag(takes_context=True)
def page_bottom(context: template.Context) -> SafeString:
    """The page after its content."""
    return shell("bottom", context)
