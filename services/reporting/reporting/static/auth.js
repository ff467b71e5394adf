// Lintas dashboard sign-in: authorization code with PKCE (S256) against a trusted issuer.
// The access token lives in sessionStorage (this tab only) and goes as a bearer on every
// API call; a refused or expired token sends the reader back to the sign-in panel.
"use strict";
const Auth = (() => {
  const SESSION = "lintas.dashboard.session";
  const PENDING = "lintas.dashboard.pending";
  const redirectUri = `${location.origin}/`;
  let config = null;
  let onSignedIn = () => {};
  let note = "";

  class SignedOut extends Error {
    constructor() { super("signed out"); this.signedOut = true; }
  }
  const $ = (id) => document.getElementById(id);
  const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  const random = (n) => b64url(crypto.getRandomValues(new Uint8Array(n)));
  const challenge = async (verifier) =>
    b64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  function claims(token) {
    const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Uint8Array.from(atob(part), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  }
  function read(key) {
    try { return JSON.parse(sessionStorage.getItem(key) || "null"); } catch (_) { return null; }
  }

  // The session: the token, when it expires, and who it is (unit and roles, no names).
  function session() {
    const s = read(SESSION);
    if (!s) return null;
    if (Date.now() >= s.expires_at) { expire("session_expired"); return null; }
    return s;
  }
  function save(token) {
    const c = claims(token);
    sessionStorage.setItem(SESSION, JSON.stringify({
      token, expires_at: c.exp * 1000, unit: c.unit, unit_kind: c.unit_kind, roles: c.roles || [],
    }));
  }
  function expire(why) {
    sessionStorage.removeItem(SESSION);
    note = why;
    render();
  }

  async function signIn(issuer) {
    const meta = await (await fetch(issuer.discovery, { cache: "no-store" })).json();
    const verifier = random(48);
    const state = random(16);
    sessionStorage.setItem(PENDING, JSON.stringify({
      verifier, state, token_endpoint: meta.token_endpoint,
    }));
    const q = new URLSearchParams({
      response_type: "code", client_id: config.client_id, redirect_uri: redirectUri,
      code_challenge: await challenge(verifier), code_challenge_method: "S256", state,
    });
    location.assign(`${meta.authorization_endpoint}?${q}`);
  }
  // Back from the issuer with ?code=&state=: redeem the code with the PKCE verifier.
  async function complete() {
    const q = new URLSearchParams(location.search);
    if (!q.has("code") && !q.has("error")) return;
    const pending = read(PENDING);
    sessionStorage.removeItem(PENDING);
    history.replaceState(null, "", location.pathname);
    if (!pending || q.get("state") !== pending.state || !q.get("code")) {
      note = "sign_in_failed";
      return;
    }
    const r = await fetch(pending.token_endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code", code: q.get("code"), redirect_uri: redirectUri,
        client_id: config.client_id, code_verifier: pending.verifier,
      }),
    });
    if (!r.ok) { note = "sign_in_failed"; return; }
    save((await r.json()).access_token);
    note = "";
  }

  const issuerName = (issuer) => issuer.agencies.map((a) => I18n.value(a)).join(" / ");
  function render() {
    const s = read(SESSION);
    document.body.dataset.auth = s ? "in" : "out";
    $("who").hidden = !s;
    if (s) {
      const roles = I18n.list(s.roles.map((r) => I18n.value(r)));
      $("who-text").textContent = I18n.t("signed_in_as", { unit: s.unit, roles });
    }
    $("sign-in-note").textContent = note ? I18n.t(note) : "";
    $("sign-in-note").hidden = !note;
    $("sign-in-issuers").replaceChildren(...(config?.issuers || []).map((issuer) => {
      const b = document.createElement("button");
      b.type = "button";
      b.dataset.issuer = issuer.issuer;
      b.dataset.agencies = issuer.agencies.join(" ");
      b.textContent = I18n.t("sign_in_with", { issuer: issuerName(issuer) });
      b.addEventListener("click", () => signIn(issuer).catch(() => {
        note = "issuer_unreachable";
        render();
      }));
      return b;
    }));
  }

  // fetch with the bearer token; a 401 means the token is no longer good: sign in again.
  async function authFetch(url, options = {}) {
    const s = session();
    if (!s) throw new SignedOut();
    const headers = { ...(options.headers || {}), Authorization: `Bearer ${s.token}` };
    const r = await fetch(url, { ...options, headers });
    if (r.status === 401) { expire("session_expired"); throw new SignedOut(); }
    return r;
  }
  // A CSV export with the token: fetched, then saved from a blob (a link cannot send it).
  async function download(url, filename) {
    const r = await authFetch(url, { cache: "no-store" });
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    const href = URL.createObjectURL(await r.blob());
    const a = document.createElement("a");
    a.href = href;
    a.download = filename;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(href), 1000);
  }
  function signOut() {
    sessionStorage.removeItem(SESSION);
    note = "signed_out";
    render();
  }

  async function start(whenSignedIn) {
    onSignedIn = whenSignedIn;
    config = await (await fetch("/dashboard/config.json", { cache: "no-store" })).json();
    $("sign-out").addEventListener("click", signOut);
    try { await complete(); } catch (_) { note = "sign_in_failed"; }
    render();
    if (session()) onSignedIn();
  }
  const who = () => read(SESSION);
  return { start, fetch: authFetch, download, render, who, signedIn: () => Boolean(session()) };
})();
