"""Organisation single sign-on with OpenID Connect: authorization code flow with PKCE,
state and nonce checked, the ID token's signature and claims validated.

A professional is matched by a verified e-mail address within the organisation's domains,
and only to an account that is an active member of *this* organisation (`OrganisationMember`,
kept by its functioneel beheerder): a user of one organisation can never log in as one of
another, and a leaver cannot log in at all.
"""
from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

import requests
from authlib.common.security import generate_token
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from sqlalchemy import select
from sqlalchemy.orm import Session

from samenplan.auth.models import User
from samenplan.orgs.models import Organisation, OrganisationMember

TIMEOUT = 10
# asymmetric only: never "none", never an HMAC keyed with the (shared) client secret
SIGNING_ALGORITHMS = {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA"}
CLOCK_SKEW = 60


class SSOError(Exception):
    """The login was refused; the message is for the log, the user sees a plain sentence."""


@dataclass
class Flow:
    """What is kept in the (signed) session between the redirect and the callback."""

    organisation_id: int
    state: str
    nonce: str
    code_verifier: str
    started: float


def metadata(organisation: Organisation) -> dict:
    url = organisation.oidc_issuer.rstrip("/") + "/.well-known/openid-configuration"
    response = requests.get(url, timeout=TIMEOUT)
    response.raise_for_status()
    data = response.json()
    if data.get("issuer") != organisation.oidc_issuer:
        raise SSOError(f"provider says issuer {data.get('issuer')!r}, configured {organisation.oidc_issuer!r}")
    return data


def organisation_for_email(session: Session, email: str) -> Organisation | None:
    domain = email.rsplit("@", 1)[-1].strip().lower() if "@" in email else ""
    if not domain:
        return None
    configured = select(Organisation).where(Organisation.oidc_issuer.is_not(None)).order_by(Organisation.id)
    for organisation in session.scalars(configured):
        if organisation.sso_enabled and domain in organisation.email_domains:
            return organisation
    return None


def start(organisation: Organisation, redirect_uri: str, login_hint: str = "") -> tuple[str, Flow]:
    """The URL to send the browser to, and the flow to remember."""
    meta = metadata(organisation)
    flow = Flow(organisation.id, generate_token(32), generate_token(32), generate_token(64), time.time())
    params = {
        "response_type": "code", "client_id": organisation.oidc_client_id,
        "redirect_uri": redirect_uri, "scope": "openid email profile", "state": flow.state,
        "nonce": flow.nonce, "code_challenge": create_s256_code_challenge(flow.code_verifier),
        "code_challenge_method": "S256",
    }
    if login_hint:
        params["login_hint"] = login_hint
    request = requests.Request("GET", meta["authorization_endpoint"], params=params).prepare()
    return request.url, flow


def finish(session: Session, flow: Flow, state: str, code: str, redirect_uri: str) -> User:
    """Exchange the code, validate the ID token, and find the one account it may open."""
    if not state or not secrets.compare_digest(state, flow.state):
        raise SSOError("state does not match")
    if time.time() - flow.started > 600:
        raise SSOError("login took longer than 10 minutes")
    organisation = session.get(Organisation, flow.organisation_id)
    if organisation is None or not organisation.sso_enabled:
        raise SSOError("organisation has no single sign-on")
    meta = metadata(organisation)
    response = requests.post(meta["token_endpoint"], timeout=TIMEOUT, data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
        "code_verifier": flow.code_verifier,
    }, auth=(organisation.oidc_client_id, organisation.oidc_client_secret or ""))
    if response.status_code != 200:
        raise SSOError(f"token endpoint answered {response.status_code}")
    id_token = response.json().get("id_token")
    if not id_token:
        raise SSOError("no ID token")
    claims = validate_id_token(id_token, meta, organisation, flow.nonce)
    if "email" not in claims and meta.get("userinfo_endpoint"):
        claims = {**claims, **_userinfo(meta, response.json().get("access_token"), claims["sub"])}
    email = (claims.get("email") or "").strip().lower()
    if not email or claims.get("email_verified") is not True:
        raise SSOError("no verified e-mail address in the ID token")
    if email.rsplit("@", 1)[-1] not in organisation.email_domains:
        raise SSOError(f"{email} is outside the organisation's domains")
    user = session.scalar(select(User).where(User.email == email))
    if user is None or not user.active:
        raise SSOError(f"no active account for {email}")
    works_here = session.scalar(select(OrganisationMember.id).where(
        OrganisationMember.user_id == user.id, OrganisationMember.organisation_id == organisation.id,
        OrganisationMember.active,
    ))
    if works_here is None:
        raise SSOError(f"{email} does not work for {organisation.name} (no active membership)")
    return user


def _userinfo(meta: dict, access_token: str | None, sub: str) -> dict:
    """E-mail claims from the userinfo endpoint (OIDC Core 5.4: in the code flow a provider
    may put them there rather than in the ID token). Its `sub` must be the ID token's."""
    if not access_token:
        raise SSOError("no access token for the userinfo endpoint")
    answer = requests.get(meta["userinfo_endpoint"], timeout=TIMEOUT,
                          headers={"Authorization": f"Bearer {access_token}"})
    if answer.status_code != 200:
        raise SSOError(f"userinfo endpoint answered {answer.status_code}")
    info = answer.json()
    if info.get("sub") != sub:
        raise SSOError("userinfo is about another subject than the ID token")
    return {key: info[key] for key in ("email", "email_verified") if key in info}


def validate_id_token(id_token: str, meta: dict, organisation: Organisation, nonce: str) -> dict:
    keys = requests.get(meta["jwks_uri"], timeout=TIMEOUT)
    keys.raise_for_status()
    try:
        offered = meta.get("id_token_signing_alg_values_supported") or ["RS256"]
        algorithms = [a for a in offered if a in SIGNING_ALGORITHMS] or ["RS256"]
        token = jwt.decode(id_token, KeySet.import_key_set(keys.json()), algorithms=algorithms)
        jwt.JWTClaimsRegistry(
            leeway=CLOCK_SKEW,
            iss={"essential": True, "value": organisation.oidc_issuer},
            aud={"essential": True, "value": organisation.oidc_client_id},
            exp={"essential": True},
            iat={"essential": True},
            nonce={"essential": True, "value": nonce},
            sub={"essential": True},
        ).validate(token.claims)
    except (JoseError, ValueError) as exc:
        raise SSOError(f"ID token refused: {exc.__class__.__name__}: {exc}") from exc
    if token.header.get("alg", "").lower() == "none":
        raise SSOError("unsigned ID token")
    return token.claims
