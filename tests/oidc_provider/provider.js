// A real OpenID Connect provider (the `oidc-provider` package) for samenplan's integration
// tests. Loopback only, in memory, never for production. Started by tests/integration/test_sso.py.
//
// Environment:
//   PORT            port to listen on (127.0.0.1)
//   ISSUER          the issuer URL, e.g. http://127.0.0.1:PORT
//   CLIENT_ID       the one registered client (confidential, client_secret_basic)
//   CLIENT_SECRET
//   REDIRECT_URI    its one redirect URI
//   ACCOUNTS        JSON list: [{"sub": "...", "email": "...", "email_verified": true, "name": "..."}]
//   ID_TOKEN_TTL    optional, seconds an ID token is valid (default 600). A negative number makes
//                   the provider issue ID tokens that expired that many seconds before they were
//                   issued: the tests' "expired ID token".
//   CONFORM_ID_TOKEN_CLAIMS  optional, "true": follow OpenID Connect Core 5.4 to the letter, so
//                   the e-mail claims of the code flow come from the userinfo endpoint only, not
//                   in the ID token (oidc-provider's own default). Default: in the ID token too.
//
// Logging in is non-interactive: the built-in development pages are off, and the tiny handler
// below logs in the account whose `sub` or `email` is the authorization request's `login_hint`
// and grants the requested scopes and claims (consent) without asking.
import crypto from 'node:crypto';

import Provider from 'oidc-provider';

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`provider.js: ${name} must be set`);
    process.exit(2);
  }
  return value;
}

const PORT = Number(required('PORT'));
const ISSUER = required('ISSUER');
const CLIENT_ID = required('CLIENT_ID');
const CLIENT_SECRET = required('CLIENT_SECRET');
const REDIRECT_URI = required('REDIRECT_URI');
const ACCOUNTS = JSON.parse(process.env.ACCOUNTS || '[]');
const ID_TOKEN_TTL = Number(process.env.ID_TOKEN_TTL || '600');

// a fresh signing key for every run
const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key-1', use: 'sig', alg: 'RS256' };

function findAccountBy(hint) {
  const wanted = String(hint || '').trim().toLowerCase();
  return ACCOUNTS.find((a) => a.sub === hint || String(a.email).toLowerCase() === wanted);
}

const configuration = {
  clients: [{
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    redirect_uris: [REDIRECT_URI],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'RS256',
  }],
  jwks: { keys: [signingKey] },
  cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
  },
  // by default the e-mail claims are in the ID token of the code flow too (as Entra ID,
  // Keycloak and Google do)
  conformIdTokenClaims: process.env.CONFORM_ID_TOKEN_CLAIMS === 'true',
  pkce: { methods: ['S256'], required: () => true },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  // a function: the configuration check only allows positive numbers, the tests want negatives
  ttl: { IdToken: () => ID_TOKEN_TTL },
  async findAccount(ctx, sub) {
    const account = ACCOUNTS.find((a) => a.sub === sub);
    if (!account) return undefined;
    return {
      accountId: account.sub,
      async claims() {
        return {
          sub: account.sub,
          email: account.email,
          email_verified: account.email_verified,
          name: account.name || account.email,
        };
      },
    };
  },
};

const provider = new Provider(ISSUER, configuration);

// the interaction: log in the account named by login_hint, then grant what is asked
provider.use(async (ctx, next) => {
  const match = ctx.method === 'GET' && ctx.path.match(/^\/interaction\/([^/]+)$/);
  if (!match) {
    await next();
    return;
  }
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  const { prompt, params, session, grantId } = details;
  let result;
  let merge = false;
  if (prompt.name === 'login') {
    const account = findAccountBy(params.login_hint);
    result = account
      ? { login: { accountId: account.sub } }
      : { error: 'access_denied', error_description: 'no account for this login_hint' };
  } else if (prompt.name === 'consent') {
    const grant = grantId
      ? await provider.Grant.find(grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    if (prompt.details.missingResourceScopes) {
      for (const [indicator, scopes] of Object.entries(prompt.details.missingResourceScopes)) {
        grant.addResourceScope(indicator, scopes.join(' '));
      }
    }
    result = { consent: { grantId: await grant.save() } };
    merge = true;
  } else {
    result = { error: 'access_denied', error_description: `prompt ${prompt.name} not supported` };
  }
  const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: merge });
  ctx.status = 303;
  ctx.redirect(returnTo);
});

provider.listen(PORT, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${ISSUER} (port ${PORT})`);
});
