"""Who may call each route, as SPEC.md §1, §3, §4 and §9 say: the table that
tests/test_authz_matrix.py checks every route and every role against.

One line a route, keyed by (method, path template as the app declares it). A route
without a line, or a line without a route, fails the suite. Adding a route is adding
its line, e.g. `("POST", "/api/v1/auth/logout"): USER,`.
"""

from __future__ import annotations

from dataclasses import dataclass

OWNER, BUYER, CURATOR, ADMIN = "msme_owner", "buyer", "curator", "admin"
ROLES = frozenset({OWNER, BUYER, CURATOR, ADMIN})


@dataclass(frozen=True)
class Rule:
    """`roles` may call the route (None: anyone, signed in or not). A role in `own`
    reaches only its own objects: another owner's or buyer's object answers 404."""

    roles: frozenset[str] | None
    own: frozenset[str] = frozenset()

    def expected(self, role: str | None, owns: bool) -> int | None:
        """The refusal `role` must get (401, 403 or 404), or None when it is let through."""
        if self.roles is None:
            return None
        if role is None:
            return 401
        if role not in self.roles:
            return 403
        if role in self.own and not owns:
            return 404
        return None


def only(*roles: str, own: tuple[str, ...] = ()) -> Rule:
    return Rule(frozenset(roles), frozenset(own))


ANYONE = Rule(None)
USER = Rule(ROLES)
# What hangs off an MSME (the MSME, its products, documents, images): its owner, and staff.
WORKSPACE = only(OWNER, CURATOR, ADMIN, own=(OWNER,))
OWN_MSME = only(OWNER, own=(OWNER,))  # only the owner acts on it
STAFF = only(CURATOR, ADMIN)
# An inquiry: the buyer who sent it, the owner of the product's MSME, admins (§4).
INQUIRY = only(BUYER, OWNER, ADMIN, own=(BUYER, OWNER))

V1 = "/api/v1"
RULES: dict[tuple[str, str], Rule] = {
    # operations, documentation and the local storage backend's signed URLs (the
    # signature authorizes them, never a role)
    ("GET", "/healthz"): ANYONE,
    ("GET", "/readyz"): ANYONE,
    ("GET", "/metrics"): ANYONE,  # KURASI_METRICS_TOKEN, when set, guards it instead
    ("GET", "/openapi.json"): ANYONE,
    ("GET", "/docs"): ANYONE,
    ("GET", "/docs/oauth2-redirect"): ANYONE,
    ("GET", "/redoc"): ANYONE,
    ("POST", f"{V1}/storage/uploads"): ANYONE,
    ("GET", f"{V1}/storage/files/{{key:path}}"): ANYONE,
    # accounts
    ("POST", f"{V1}/auth/register"): ANYONE,
    ("POST", f"{V1}/auth/token"): ANYONE,
    ("POST", f"{V1}/auth/refresh"): ANYONE,  # the refresh token authorizes it
    ("POST", f"{V1}/auth/logout"): USER,
    ("POST", f"{V1}/users/me/password"): USER,
    ("GET", f"{V1}/users/me"): USER,
    ("PATCH", f"{V1}/users/me"): USER,
    ("GET", f"{V1}/users/me/notifications"): USER,
    ("POST", f"{V1}/users/me/notifications/{{notification_id}}/read"): USER,  # their own: 404
    ("POST", f"{V1}/users"): only(ADMIN),
    ("GET", f"{V1}/users"): only(ADMIN),
    ("PATCH", f"{V1}/users/{{user_id}}"): only(ADMIN),
    # MSMEs: an owner creates their own; curators and admins read and edit all
    ("POST", f"{V1}/msmes"): only(OWNER),
    ("GET", f"{V1}/msmes"): only(OWNER, CURATOR, ADMIN),
    ("GET", f"{V1}/msmes/{{msme_id}}"): WORKSPACE,
    ("PATCH", f"{V1}/msmes/{{msme_id}}"): WORKSPACE,
    ("POST", f"{V1}/msmes/{{msme_id}}/verify"): STAFF,
    ("POST", f"{V1}/msmes/{{msme_id}}/documents"): OWN_MSME,
    # products: owners manage their own, curators and admins read all
    ("POST", f"{V1}/products"): OWN_MSME,  # into one of the caller's MSMEs
    ("GET", f"{V1}/products"): only(OWNER, CURATOR, ADMIN),
    ("GET", f"{V1}/products/{{product_id}}"): WORKSPACE,
    ("PATCH", f"{V1}/products/{{product_id}}"): OWN_MSME,
    ("GET", f"{V1}/products/{{product_id}}/readiness"): WORKSPACE,
    ("POST", f"{V1}/products/{{product_id}}/transitions"): WORKSPACE,  # each action: ACTIONS
    ("GET", f"{V1}/products/{{product_id}}/transitions"): WORKSPACE,
    ("GET", f"{V1}/products/{{product_id}}/reviews"): WORKSPACE,
    ("POST", f"{V1}/products/{{product_id}}/media"): OWN_MSME,
    ("POST", f"{V1}/products/{{product_id}}/documents"): OWN_MSME,
    ("POST", f"{V1}/media/{{media_id}}/complete"): OWN_MSME,
    ("DELETE", f"{V1}/media/{{media_id}}"): OWN_MSME,
    # documents are private: the owner, curators and admins (§2)
    ("GET", f"{V1}/documents/{{document_id}}"): WORKSPACE,
    ("POST", f"{V1}/documents/{{document_id}}/complete"): OWN_MSME,
    ("GET", f"{V1}/documents/{{document_id}}/download"): WORKSPACE,
    ("POST", f"{V1}/documents/{{document_id}}/verify"): STAFF,
    ("DELETE", f"{V1}/documents/{{document_id}}"): OWN_MSME,
    ("GET", f"{V1}/curation/queue"): STAFF,
    # the center's channels, listings and rates
    ("POST", f"{V1}/channels"): only(ADMIN),
    ("GET", f"{V1}/channels"): ANYONE,
    ("PATCH", f"{V1}/channels/{{code}}"): only(ADMIN),
    ("POST", f"{V1}/channels/{{code}}/listings"): only(ADMIN),
    ("DELETE", f"{V1}/channels/{{code}}/listings/{{product_id}}"): only(ADMIN),
    # the exhibition catalog as files: anyone, no token (§8)
    ("GET", f"{V1}/channels/{{code}}/catalog.pdf"): ANYONE,
    ("GET", f"{V1}/channels/{{code}}/catalog.csv"): ANYONE,
    ("GET", f"{V1}/channels/{{code}}/catalog.xlsx"): ANYONE,
    ("PUT", f"{V1}/fx-rates/{{currency}}"): only(ADMIN),
    ("GET", f"{V1}/fx-rates"): ANYONE,
    # webhooks for partner systems (§9)
    ("POST", f"{V1}/webhooks"): only(ADMIN),
    ("GET", f"{V1}/webhooks"): only(ADMIN),
    ("DELETE", f"{V1}/webhooks/{{webhook_id}}"): only(ADMIN),
    ("GET", f"{V1}/webhooks/{{webhook_id}}/deliveries"): only(ADMIN),
    # the mail queue (§9)
    ("GET", f"{V1}/mail-messages"): only(ADMIN),
    ("POST", f"{V1}/mail-messages/{{message_id}}/retry"): only(ADMIN),
    ("GET", f"{V1}/standards"): ANYONE,
    # the catalog and what buyers do with it
    ("GET", f"{V1}/catalog/products"): ANYONE,
    ("GET", f"{V1}/catalog/products/{{product_id}}"): ANYONE,
    ("GET", f"{V1}/catalog/media/{{media_id}}"): ANYONE,
    ("GET", f"{V1}/catalog/suppliers"): ANYONE,  # the supplier directory (§10)
    ("GET", f"{V1}/catalog/suppliers/{{msme_id}}"): ANYONE,
    ("POST", f"{V1}/catalog/products/{{product_id}}/inquiries"): only(BUYER),
    ("GET", f"{V1}/inquiries"): only(BUYER, OWNER, ADMIN),
    ("GET", f"{V1}/inquiries/{{inquiry_id}}"): INQUIRY,
    ("PATCH", f"{V1}/inquiries/{{inquiry_id}}"): INQUIRY,
    ("POST", f"{V1}/inquiries/{{inquiry_id}}/messages"): INQUIRY,
    ("GET", f"{V1}/shortlist"): only(BUYER),
    ("PUT", f"{V1}/shortlist/{{product_id}}"): only(BUYER),  # any catalog product
    ("DELETE", f"{V1}/shortlist/{{product_id}}"): only(BUYER, own=(BUYER,)),  # own entry
    # the public page of a published product, where a printed catalog's QR code leads
    ("GET", "/p/{product_id}"): ANYONE,
    ("GET", f"{V1}/stats"): STAFF,  # the center's figures (§8)
    # bulk import (§8): the MSME's owner or an admin; the template is public
    ("POST", f"{V1}/msmes/{{msme_id}}/imports"): only(OWNER, ADMIN, own=(OWNER,)),
    ("GET", f"{V1}/imports/template.csv"): ANYONE,
    ("GET", f"{V1}/imports/template.xlsx"): ANYONE,
    # automotive suppliers (§10): curators review; the owner reads the history too
    ("POST", f"{V1}/msmes/{{msme_id}}/supplier-review"): STAFF,
    ("GET", f"{V1}/msmes/{{msme_id}}/supplier-reviews"): WORKSPACE,
}


@dataclass(frozen=True)
class ActionRule:
    """Who may take a workflow action (§3), among those the route lets see the product;
    `reviewer`: of the curators, only the one reviewing it (another gets 403)."""

    roles: frozenset[str]
    reviewer: bool = False

    def expected(self, role: str | None, reviewing: bool) -> int | None:
        """403 when `role` may not take the action (or is not the reviewing curator)."""
        if role not in self.roles or (self.reviewer and role == CURATOR and not reviewing):
            return 403
        return None


def _action(*roles: str, reviewer: bool = False) -> ActionRule:
    return ActionRule(frozenset(roles), reviewer)


ACTIONS: dict[str, ActionRule] = {
    "submit": _action(OWNER),
    "withdraw": _action(OWNER),
    "start_review": _action(CURATOR, ADMIN),
    "request_changes": _action(CURATOR, ADMIN, reviewer=True),
    "approve": _action(CURATOR, ADMIN, reviewer=True),
    "reject": _action(CURATOR, ADMIN, reviewer=True),
    "archive": _action(OWNER, ADMIN),
}
