"""GraphiQL, with the example queries in its default tab and a header template for the key."""

from __future__ import annotations

import json
import re
from functools import cache

from strawberry.http.ides import get_graphql_ide_html

from gateway.graphql.examples import default_tab

_EXAMPLE = re.compile(r"const EXAMPLE_QUERY = `.*?`;", re.DOTALL)
_HEADERS = "const [headers, setHeaders] = React.useState(parameters.headers);"


@cache
def graphiql_html() -> str:
    """Strawberry's GraphiQL page with our default tab (its template is a plain HTML file)."""
    page = get_graphql_ide_html("graphiql")
    # json.dumps gives a JavaScript string literal; the template holds a template literal
    page, found = _EXAMPLE.subn(
        lambda _: f"const EXAMPLE_QUERY = {json.dumps(default_tab())};", page
    )
    headers = json.dumps(json.dumps({"Authorization": "Bearer gw_..."}))
    page = page.replace(
        _HEADERS,
        f"const [headers, setHeaders] = React.useState(parameters.headers || {headers});",
    )
    if not found:  # a strawberry upgrade changed the template: still serve it, unedited
        return get_graphql_ide_html("graphiql")
    return page
