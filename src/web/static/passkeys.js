/* global document, window */
// Passkeys, as an extra: the sign-in's second step and the account's sign-in security page work without this
// script (a code from the authenticator app). With it, and a browser that supports passkeys, their sections show.
// The browser's answer is posted in a normal form (with its CSRF token), so the server decides what comes next.
const lib = window.SimpleWebAuthnBrowser;

for (const section of document.querySelectorAll('[data-passkey-sign-in], [data-passkey-register]')) {
  if (!lib || !lib.browserSupportsWebAuthn()) continue;
  const registering = section.hasAttribute('data-passkey-register');
  const form = section.querySelector('[data-passkey-form]');
  const start = section.querySelector('[data-passkey-start]');
  const problem = section.querySelector('[data-passkey-problem]');
  const csrf = form.querySelector('input[name="_csrf"]').value;
  section.hidden = false;
  start.addEventListener('click', async () => {
    problem.hidden = true;
    start.disabled = true;
    try {
      const res = await fetch(form.action.replace(/\/passkeys?$/, '/passkey-options'), {
        method: 'POST',
        headers: { 'x-csrf-token': csrf, accept: 'application/json' },
        credentials: 'same-origin',
      });
      if (!res.ok) throw new Error('options');
      const optionsJSON = await res.json();
      const answer = registering
        ? await lib.startRegistration({ optionsJSON })
        : await lib.startAuthentication({ optionsJSON });
      form.querySelector('input[name="response"]').value = JSON.stringify(answer);
      form.submit();
    } catch {
      problem.textContent = registering
        ? 'The passkey was not added. Try again, or use another device or security key.'
        : 'Your passkey was not used. Try again, or enter a code instead.';
      problem.hidden = false;
      start.disabled = false;
    }
  });
}
