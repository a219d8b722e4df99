/* global document, window, HTMLDialogElement, HTMLElement */
// The time-out warning (WCAG 2.2.1): a modal dialog a little before the idle time-out, with
// "Stay signed in" (a CSRF-protected POST that extends the session) and "Sign out". Any page the
// person opens resets the clock on the server, so it resets here too, from page load.
const dialog = document.getElementById('timeout-warning');

if (dialog instanceof HTMLDialogElement && typeof dialog.showModal === 'function') {
  const idleSeconds = Number(dialog.dataset.idleSeconds);
  const warnSeconds = Math.min(Number(dialog.dataset.warnSeconds) || 120, Math.max(idleSeconds - 30, 30));
  const countdown = dialog.querySelector('.app-timeout-dialog__countdown');
  const spoken = dialog.querySelector('.app-timeout-dialog__spoken');
  const live = dialog.querySelector('[data-timeout-live]');
  const heading = dialog.querySelector('#timeout-warning-heading');
  const extendForm = dialog.querySelector('[data-timeout-extend]');
  const closeButton = dialog.querySelector('[data-timeout-close]');
  let deadline = 0;
  let warnTimer = 0;
  let tick = 0;
  let lastSpokenMinute = -1;
  let returnFocus = null;

  const describe = (seconds) => {
    if (seconds >= 60) {
      const minutes = Math.ceil(seconds / 60);
      return `${minutes} minute${minutes === 1 ? '' : 's'}`;
    }
    return `${seconds} second${seconds === 1 ? '' : 's'}`;
  };

  const setMode = (ended) => {
    for (const el of dialog.querySelectorAll('.app-timeout-dialog__active')) el.hidden = ended;
    for (const el of dialog.querySelectorAll('.app-timeout-dialog__ended')) el.hidden = !ended;
    if (heading) heading.textContent = ended ? 'You have been signed out' : 'You’re about to be signed out';
  };

  const update = () => {
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    if (countdown) countdown.textContent = describe(left);
    // Screen readers hear the time when the dialog opens, then each minute and at 30 seconds, not every second.
    const minute = Math.ceil(left / 60);
    if (spoken && (minute !== lastSpokenMinute || left === 30)) {
      spoken.textContent = describe(left);
      if (live && lastSpokenMinute !== -1) live.textContent = `We will sign you out in ${describe(left)}.`;
      lastSpokenMinute = minute;
    }
    if (left === 0) {
      window.clearInterval(tick);
      setMode(true);
      if (live) live.textContent = 'You have been signed out.';
      closeButton?.focus();
    }
  };

  const open = () => {
    returnFocus = document.activeElement;
    lastSpokenMinute = -1;
    setMode(false);
    update();
    dialog.showModal();
    heading?.focus();
    tick = window.setInterval(update, 1000);
  };

  const close = () => {
    window.clearInterval(tick);
    if (dialog.open) dialog.close();
    if (returnFocus instanceof HTMLElement) returnFocus.focus();
  };

  const start = () => {
    window.clearTimeout(warnTimer);
    deadline = Date.now() + idleSeconds * 1000;
    warnTimer = window.setTimeout(open, Math.max(0, (idleSeconds - warnSeconds) * 1000));
  };

  const staySignedIn = async () => {
    try {
      const res = await fetch(extendForm.action, {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(new FormData(extendForm)),
        credentials: 'same-origin',
        redirect: 'error',
      });
      if (!res.ok) throw new Error(String(res.status));
      close();
      start();
    } catch {
      // The session has already ended (or the network is down): say so rather than pretend.
      window.clearInterval(tick);
      deadline = Date.now();
      update();
    }
  };

  extendForm?.addEventListener('submit', (event) => {
    event.preventDefault();
    void staySignedIn();
  });
  // Escape means "not now": the same as staying signed in, while there is still time.
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault();
    if (deadline > Date.now()) void staySignedIn();
    else close();
  });
  closeButton?.addEventListener('click', close);
  const returnTo = extendForm?.querySelector('input[name="returnTo"]');
  if (returnTo) returnTo.value = window.location.pathname + window.location.search;
  start();
}
