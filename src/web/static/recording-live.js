/**
 * The live recorder on /recordings/:rid/live.
 *
 * Records the microphone with MediaRecorder (Opus in WebM) and sends the audio to the service every few
 * seconds, in order, as numbered chunks with their SHA-256. Chunks wait in an ordered queue until the
 * service has acknowledged them, and are sent again with back-off when the network fails, so losing
 * the connection loses nothing while this page stays open, and a crash loses only the audio not yet
 * sent. Pause (with the reason for the break, R-2), Resume (with any change of who is present) and
 * Stop go through the same queue, after the audio recorded before them.
 *
 * Without this script the page still works: it says recording needs JavaScript and its forms post.
 */
/* global document, window, location, requestAnimationFrame, MediaRecorder, AudioContext, DOMParser */

const MIME = 'audio/webm;codecs=opus';
/** Audio older than this that is still unsent is reported as not saved. */
const WARN_AFTER_MS = 15_000;
const MAX_BACKOFF_MS = 8_000;

const root = document.getElementById('live-recorder');
if (root) setUp(root);

function setUp(root) {
  const $ = (id) => document.getElementById(id);
  const el = {
    noJs: $('live-no-js'),
    unsupported: $('live-unsupported'),
    interrupted: $('live-interrupted'),
    startPanel: $('live-start-panel'),
    start: $('live-start'),
    micError: $('live-mic-error'),
    running: $('live-running'),
    stateHeading: $('live-state-heading'),
    meter: $('live-level'),
    elapsed: $('live-elapsed'),
    savedUpto: $('live-saved-upto'),
    health: $('live-save-health'),
    problem: $('live-problem'),
    problemText: $('live-problem-text'),
    breaks: $('live-breaks'),
    stateText: $('live-state-text'),
    received: $('live-received'),
    pauseForm: $('live-pause-form'),
    reason: $('reason'),
    resumeForm: $('live-resume-form'),
    resumeHeading: $('live-resume-heading'),
    pausedReason: $('live-paused-reason'),
    changes: $('participantChanges'),
    stopForm: $('live-stop-form'),
    stop: $('live-stop'),
    stopHint: $('live-stop-hint'),
  };
  const rid = root.dataset.recordingId;
  let csrf = root.dataset.csrfToken;
  const chunkMs = Math.min(Number(root.dataset.chunkMs) || 5_000, 5_000);
  const reasonMax = Number(root.dataset.reasonMax) || 500;
  const serverNext = Number(root.dataset.nextChunk) || 0;

  el.noJs.hidden = true;
  root.hidden = false;

  // A page opened again after audio was saved: the old MediaRecorder stream cannot be continued,
  // because a new one starts a new WebM file that cannot be appended to the old one.
  if (serverNext > 0 || root.dataset.state === 'paused') {
    el.interrupted.hidden = false;
    el.stateText.textContent = 'Interrupted';
    el.pauseForm.hidden = true;
    el.resumeForm.hidden = true;
    setButtonText(el.stop, 'Stop and keep what was saved');
    el.stopHint.textContent = 'The audio saved so far is then checked and stored.';
    return;
  }
  const supported = Boolean(
    navigator.mediaDevices &&
    navigator.mediaDevices.getUserMedia &&
    window.MediaRecorder &&
    MediaRecorder.isTypeSupported(MIME),
  );
  el.pauseForm.hidden = true;
  el.resumeForm.hidden = true;
  if (!supported) {
    el.unsupported.hidden = false;
    return;
  }
  el.startPanel.hidden = false;

  // ---------------------------------------------------------------- state

  /**
   * idle → recording ⇄ paused → stopping → stopped; ended when the microphone went away (the audio
   * already recorded is still being sent); failed when the service can take no more audio.
   */
  let state = 'idle';
  let recorder = null;
  let stream = null;
  let audio = null;
  let analyser = null;
  let samples = null;
  let wakeLock = null;
  let seq = serverNext;
  let recordedBefore = 0;
  let runningSince = null;
  let savedMs = 0;
  let acknowledged = false;
  let signedOut = false;
  let lastHealth = '';
  let lastSecond = -1;
  const queue = [];
  const drainWaiters = [];
  let pumping = false;
  let failures = 0;
  let wake = null;

  const recordedMs = () => recordedBefore + (runningSince === null ? 0 : performance.now() - runningSince);

  // ---------------------------------------------------------------- start

  el.start.addEventListener('click', async () => {
    el.start.disabled = true;
    el.micError.hidden = true;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (err) {
      el.micError.textContent = `Error: ${microphoneProblem(err)}`;
      el.micError.hidden = false;
      el.start.disabled = false;
      return;
    }
    recorder = new MediaRecorder(stream, { mimeType: MIME });
    recorder.addEventListener('dataavailable', onData);
    recorder.addEventListener('error', () => fail('The browser stopped recording.'));
    for (const track of stream.getAudioTracks()) {
      track.addEventListener('ended', () => {
        if (state === 'recording' || state === 'paused') microphoneLost();
      });
    }
    startMeter(stream);
    recorder.start(chunkMs);
    runningSince = performance.now();
    state = 'recording';
    el.startPanel.hidden = true;
    el.running.hidden = false;
    if (el.breaks) el.breaks.hidden = true;
    el.pauseForm.hidden = false;
    el.stateText.textContent = 'Recording';
    el.stateHeading.focus();
    if (navigator.wakeLock)
      navigator.wakeLock.request('screen').then(
        (l) => (wakeLock = l),
        () => undefined,
      );
    setInterval(render, 1_000);
    render();
  });

  function microphoneProblem(err) {
    const name = err && err.name;
    if (name === 'NotAllowedError' || name === 'SecurityError')
      return 'The browser was not allowed to use the microphone. Allow this page to use it (look in the address bar), then try again.';
    if (name === 'NotFoundError' || name === 'OverconstrainedError')
      return 'No microphone was found. Connect one, then try again.';
    if (name === 'NotReadableError' || name === 'AbortError')
      return 'The microphone could not be started. Close any other program using it, then try again.';
    return 'The microphone could not be started. Try again, or record on another device and upload the recording.';
  }

  function startMeter(mediaStream) {
    try {
      audio = new AudioContext();
      analyser = audio.createAnalyser();
      analyser.fftSize = 2048;
      audio.createMediaStreamSource(mediaStream).connect(analyser);
      samples = new Float32Array(analyser.fftSize);
      audio.resume().catch(() => undefined);
    } catch {
      analyser = null;
    }
    el.meter.style.width = '100%';
    const frame = () => {
      if (state === 'stopped' || state === 'failed') return;
      if (analyser) {
        analyser.getFloatTimeDomainData(samples);
        let sum = 0;
        for (const v of samples) sum += v * v;
        const rms = Math.sqrt(sum / samples.length);
        const db = rms > 0 ? 20 * Math.log10(rms) : -100;
        el.meter.value = Math.max(0, Math.min(1, (db + 60) / 60));
      }
      const second = Math.floor(recordedMs() / 1000);
      if (second !== lastSecond) {
        lastSecond = second;
        el.elapsed.textContent = duration(recordedMs());
      }
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }

  function releaseMicrophone() {
    if (stream) for (const track of stream.getTracks()) track.stop();
    if (audio) audio.close().catch(() => undefined);
    analyser = null;
    el.meter.value = 0;
    if (wakeLock) wakeLock.release().catch(() => undefined);
  }

  // ---------------------------------------------------------------- chunks

  function onData(event) {
    if (!event.data || event.data.size === 0) return;
    const item = { kind: 'chunk', seq: seq++, blob: event.data, endMs: recordedMs() };
    item.hash = sha256Hex(event.data);
    queue.push(item);
    pump();
  }

  async function sha256Hex(blob) {
    if (!(window.crypto && crypto.subtle)) return null;
    const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
  }

  /** Sends the queue in order; an item leaves it only when the service has answered for it. */
  async function pump() {
    if (pumping) return;
    pumping = true;
    try {
      while (queue.length && state !== 'failed') {
        const item = queue[0];
        const outcome = item.kind === 'chunk' ? await sendChunk(item) : await sendControl(item);
        if (outcome === 'retry') {
          failures++;
          render();
          await sleep(backoff(failures));
          continue;
        }
        failures = 0;
        queue.shift();
        render();
      }
    } finally {
      pumping = false;
      if (!queue.length || state === 'failed') for (const resolve of drainWaiters.splice(0)) resolve();
      render();
    }
  }

  const drained = () =>
    queue.length === 0 && !pumping ? Promise.resolve() : new Promise((resolve) => drainWaiters.push(resolve));

  function backoff(n) {
    const ceiling = Math.min(500 * 2 ** (n - 1), MAX_BACKOFF_MS);
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  function sleep(ms) {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      wake = done;
    });
  }
  window.addEventListener('online', () => wake && wake());

  async function post(url, headers, body) {
    try {
      const res = await fetch(url, {
        method: 'POST',
        credentials: 'same-origin',
        redirect: 'manual',
        headers: { accept: 'application/json', 'x-csrf-token': csrf, ...headers },
        body,
      });
      // Sent to the sign-in page: the session ended. Keep everything and try again once signed in.
      if (res.type === 'opaqueredirect' || res.status === 401) {
        signedOut = true;
        return { retry: true };
      }
      signedOut = false;
      let json = null;
      if ((res.headers.get('content-type') || '').includes('application/json'))
        json = await res.json().catch(() => null);
      if (res.ok && json) return { ok: true, json };
      if (res.status === 403 && json && json.code === 'CSRF') {
        await refreshToken();
        return { retry: true };
      }
      // 507: the server's disk is full. Said plainly, not retried for ever.
      if (res.status === 507) return { ok: false, status: res.status, json };
      if (res.status >= 500 || res.status === 429 || res.status === 408 || (res.ok && !json)) return { retry: true };
      return { ok: false, status: res.status, json };
    } catch {
      return { retry: true }; // offline, or the connection dropped
    }
  }

  async function sendChunk(item) {
    const hash = await item.hash;
    const headers = { 'content-type': 'application/octet-stream', ...(hash ? { 'x-chunk-sha256': hash } : {}) };
    const res = await post(`/recordings/${rid}/chunks/${item.seq}`, headers, item.blob);
    if (res.retry) return 'retry';
    if (res.ok) {
      acknowledged = true;
      savedMs = Math.max(savedMs, item.endMs);
      el.received.textContent = `${size(res.json.receivedBytes)} in ${res.json.nextChunk} ${res.json.nextChunk === 1 ? 'part' : 'parts'}`;
      return 'done';
    }
    const code = res.json && res.json.code;
    if (code === 'CHUNK_CORRUPT') return 'retry'; // damaged on the way: the same bytes again
    if (code === 'NOT_RECEIVING')
      fail('This recording was stopped in another window, so no more audio can be added to it.');
    else if (code === 'CHUNK_GAP')
      fail(`Part of the audio did not reach the service (part ${res.json.expected} is missing).`);
    else fail((res.json && res.json.message) || 'The service refused the audio.');
    return 'failed';
  }

  function enqueueControl(action, fields) {
    return new Promise((resolve) => {
      queue.push({ kind: 'control', action, fields, resolve });
      pump();
    });
  }

  async function sendControl(item) {
    const body = new URLSearchParams({ _csrf: csrf, ...item.fields });
    const res = await post(
      `/recordings/${rid}/${item.action}`,
      { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    );
    if (res.retry) return 'retry';
    if (res.ok) {
      item.resolve(res.json);
      return 'done';
    }
    const message = (res.json && res.json.message) || 'The service did not accept this.';
    if (item.action === 'stop' && res.json && res.json.code === 'NOT_RECEIVING') {
      item.resolve({ next: `/recordings/${rid}` }); // already stopped elsewhere: show the recording
      return 'done';
    }
    showProblem(message);
    item.resolve(null);
    return 'done';
  }

  async function refreshToken() {
    try {
      const res = await fetch(location.pathname, { credentials: 'same-origin', redirect: 'manual' });
      if (!res.ok) return;
      const page = new DOMParser().parseFromString(await res.text(), 'text/html');
      const fresh = page.getElementById('live-recorder');
      if (fresh && fresh.dataset.csrfToken) {
        csrf = fresh.dataset.csrfToken;
        for (const input of document.querySelectorAll('input[name="_csrf"]')) input.value = csrf;
      }
    } catch {
      // try again with the next attempt
    }
  }

  // ---------------------------------------------------------------- pause, resume, stop

  el.pauseForm.addEventListener('submit', (event) => {
    if (state !== 'recording') return;
    event.preventDefault();
    const reason = el.reason.value.trim();
    if (!reason) return fieldError(el.reason, 'Enter the reason for the break');
    if (reason.length > reasonMax) return fieldError(el.reason, `The reason must be ${reasonMax} characters or fewer`);
    fieldError(el.reason, null);
    const atMs = Math.round(recordedMs());
    recorder.requestData(); // the audio before the break is sent now, not after it
    recorder.pause();
    recordedBefore = atMs;
    runningSince = null;
    state = 'paused';
    enqueueControl('pause', { reason, atMs: String(atMs) });
    el.pausedReason.textContent = `Paused at ${clockTime()}: ${reason}`;
    el.reason.value = '';
    el.pauseForm.hidden = true;
    el.resumeForm.hidden = false;
    el.stateHeading.textContent = 'Paused';
    el.stateText.textContent = 'Paused';
    el.resumeHeading.focus();
    render();
  });

  el.resumeForm.addEventListener('submit', (event) => {
    if (state !== 'paused') return;
    event.preventDefault();
    const changes = el.changes.value.trim();
    if (changes.length > reasonMax)
      return fieldError(el.changes, `Changes to who is present must be ${reasonMax} characters or fewer`);
    fieldError(el.changes, null);
    recorder.resume();
    runningSince = performance.now();
    state = 'recording';
    enqueueControl('resume', { participantChanges: changes });
    el.changes.value = '';
    el.resumeForm.hidden = true;
    el.pauseForm.hidden = false;
    el.stateHeading.textContent = 'Recording';
    el.stateText.textContent = 'Recording';
    el.stateHeading.focus();
    render();
  });

  el.stopForm.addEventListener('submit', async (event) => {
    if (state !== 'recording' && state !== 'paused' && state !== 'ended') return; // not started, or failed: the plain form
    event.preventDefault();
    state = 'stopping';
    el.stop.disabled = true;
    el.pauseForm.hidden = true;
    el.resumeForm.hidden = true;
    el.stateHeading.textContent = 'Stopping: saving the last of the audio';
    el.stateText.textContent = 'Stopping';
    if (runningSince !== null) {
      recordedBefore = recordedMs();
      runningSince = null;
    }
    if (recorder.state !== 'inactive') {
      const stopped = new Promise((resolve) => recorder.addEventListener('stop', resolve, { once: true }));
      recorder.stop(); // the last chunk arrives before the stop event
      await stopped;
    }
    releaseMicrophone();
    render();
    await drained();
    if (state === 'failed') return;
    const reply = await enqueueControl('stop', {});
    if (!reply) {
      state = 'failed';
      el.stop.disabled = false;
      return;
    }
    // Every chunk was acknowledged before the stop, and the stop itself now: nothing can be lost by
    // leaving, so the "Leave site?" guard goes before the page moves on to the recording being stored.
    state = 'stopped';
    queue.splice(0);
    window.removeEventListener('beforeunload', guardUnsaved);
    el.stateHeading.textContent = 'Stopped: the recording is being checked and stored';
    el.stateText.textContent = 'Stopped';
    location.assign(reply.next);
  });

  /** Asks before leaving while audio is being recorded or is not yet saved. */
  function guardUnsaved(event) {
    if (state === 'recording' || state === 'paused' || state === 'ended' || state === 'stopping' || queue.length) {
      event.preventDefault();
      event.returnValue = '';
    }
  }
  window.addEventListener('beforeunload', guardUnsaved);

  /** The service can take no more audio. Recording stops; the plain Stop form keeps what was saved. */
  function fail(message) {
    const wasRecording = recorder && recorder.state !== 'inactive';
    showProblem(`${message} Stop the recording to keep what was saved, then start a new one if you need to.`);
    state = 'failed';
    queue.splice(0);
    if (wasRecording) recorder.stop();
    notRecording();
  }

  /** The microphone went away (unplugged, or taken by the system). What was recorded is still sent. */
  function microphoneLost() {
    showProblem(
      'The microphone was disconnected, so recording stopped. The audio recorded before that is still being saved. Stop the recording to keep it, then start a new one for the rest.',
    );
    if (runningSince !== null) {
      recordedBefore = recordedMs();
      runningSince = null;
    }
    state = 'ended';
    if (recorder.state !== 'inactive') recorder.stop();
    notRecording();
  }

  function notRecording() {
    releaseMicrophone();
    el.pauseForm.hidden = true;
    el.resumeForm.hidden = true;
    el.stop.disabled = false;
    setButtonText(el.stop, 'Stop and keep what was saved');
    el.stateHeading.textContent = 'Not recording';
    el.stateText.textContent = 'Not recording';
  }

  function showProblem(message) {
    el.problemText.textContent = `Error: ${message}`;
    el.problem.hidden = false;
  }

  function fieldError(field, message) {
    const group = field.closest('.govuk-form-group');
    const id = `${field.id}-error`;
    let error = document.getElementById(id);
    if (!message) {
      if (error) error.remove();
      group.classList.remove('govuk-form-group--error');
      field.classList.remove('govuk-textarea--error');
      field.setAttribute('aria-describedby', (field.getAttribute('aria-describedby') || '').replace(id, '').trim());
      return;
    }
    if (!error) {
      error = document.createElement('p');
      error.id = id;
      error.className = 'govuk-error-message';
      field.before(error);
      field.setAttribute('aria-describedby', `${field.getAttribute('aria-describedby') || ''} ${id}`.trim());
    }
    error.textContent = '';
    const hidden = document.createElement('span');
    hidden.className = 'govuk-visually-hidden';
    hidden.textContent = 'Error: ';
    error.append(hidden, message);
    group.classList.add('govuk-form-group--error');
    field.classList.add('govuk-textarea--error');
    field.focus();
  }

  // ---------------------------------------------------------------- status

  /** "Saved up to 12:34 – all audio saved", or how long the newest audio has waited to be saved. */
  function render() {
    el.savedUpto.textContent = acknowledged ? `Saved up to ${duration(savedMs)}` : 'Nothing saved yet';
    const waiting = recordedMs() - savedMs;
    let health;
    if (state === 'failed') health = 'not recording';
    else if (signedOut)
      health = `Not saved for ${spoken(waiting)}: you have been signed out. Sign in again in a new tab and keep this page open`;
    else if (queue.length && waiting > WARN_AFTER_MS) health = `Not saved for ${spoken(waiting)}: check the connection`;
    else if (state === 'stopping' && queue.length) health = 'saving the last of the audio';
    else if (acknowledged && !queue.length) health = 'all audio saved';
    else health = lastHealth || 'waiting for the first audio';
    if (health !== lastHealth) {
      el.health.textContent = health;
      lastHealth = health;
    }
  }

  function spoken(ms) {
    const s = Math.max(0, Math.floor(ms / 1000));
    if (s < 60) return `${Math.max(5, Math.floor(s / 5) * 5)} seconds`;
    const m = Math.floor(s / 60);
    return m === 1 ? '1 minute' : `${m} minutes`;
  }
}

function setButtonText(button, text) {
  button.textContent = text;
}

/** "1:02:05" or "2:05", as the service shows durations. */
function duration(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

function size(bytes) {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function clockTime() {
  return new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: 'Europe/London',
  }).format(new Date());
}
