/* global document */
// The recording player: the page works without this (the native audio controls play the recording
// and the timeline lists every bookmark, break and withheld part as text). With it:
// - each timeline entry gets a "Play from 1:02:05" button that moves the audio there and plays;
// - the bookmark form's time follows the player until the person types their own;
// - a waveform (wavesurfer.js) drawn from the precomputed peaks, so the whole file is never
//   downloaded or decoded: it drives the same <audio> element, which streams with Range requests.
//   Withheld parts are shaded red and bookmarks are blue lines. It is hidden from assistive
//   technology (aria-hidden): keyboards and screen readers use the audio controls and the timeline.
const audio = document.getElementById('recording-audio');

/** 3725 → "1:02:05"; 65 → "1:05" (as the service writes times in the recording). */
function formatTime(seconds) {
  const total = Math.max(0, Math.floor(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

function playFrom(seconds) {
  audio.currentTime = seconds;
  // Playing can be refused (no audio device, browser policy): the position is still set.
  audio.play().catch(() => undefined);
}

function timelineButtons() {
  for (const item of document.querySelectorAll('.app-recording-timeline [data-seek]')) {
    const seconds = Number(item.dataset.seek);
    const time = item.querySelector('[data-timeline-time]');
    const description = item.querySelector('[id^="timeline-item-"]');
    if (!Number.isFinite(seconds) || !time) continue;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'govuk-button govuk-button--secondary govuk-!-margin-bottom-1 govuk-!-margin-right-2';
    button.textContent = `Play from ${item.dataset.time}`;
    if (description) button.setAttribute('aria-describedby', description.id);
    button.addEventListener('click', () => playFrom(seconds));
    time.replaceWith(button);
  }
}

function bookmarkTimeFollowsPlayer() {
  const at = document.querySelector('#recording-bookmark-form input[name="at"]');
  if (!at) return;
  let typed = at.value.trim() !== '';
  at.addEventListener('input', () => {
    typed = at.value.trim() !== '';
  });
  const follow = () => {
    if (!typed) at.value = formatTime(audio.currentTime);
  };
  audio.addEventListener('timeupdate', follow);
  audio.addEventListener('seeked', follow);
  follow();
}

async function waveform() {
  const container = document.getElementById('recording-waveform');
  const dataElement = document.getElementById('recording-player-data');
  if (!container || !dataElement) return;
  const data = JSON.parse(dataElement.textContent || '{}');
  if (!Array.isArray(data.peaks) || data.peaks.length === 0 || !(data.durationSeconds > 0)) return;
  // Loaded only here, so a failure to load it leaves the rest of the page working.
  const [{ default: WaveSurfer }, { default: RegionsPlugin }] = await Promise.all([
    import('/static/vendor/wavesurfer/wavesurfer.esm.js'),
    import('/static/vendor/wavesurfer/plugins/regions.esm.js'),
  ]);
  const regions = RegionsPlugin.create();
  const wavesurfer = WaveSurfer.create({
    container,
    media: audio,
    peaks: [data.peaks],
    duration: data.durationSeconds,
    height: 96,
    normalize: true,
    barWidth: 2,
    barGap: 1,
    waveColor: '#505a5f',
    progressColor: '#1d70b8',
    cursorColor: '#0b0c0c',
    cursorWidth: 2,
    dragToSeek: true,
    cspNonce: container.dataset.styleNonce || undefined,
    plugins: [regions],
  });
  wavesurfer.once('ready', () => {
    for (const w of data.withheld ?? [])
      regions.addRegion({ start: w.start, end: w.end, color: 'rgba(212, 53, 28, 0.35)', drag: false, resize: false });
    for (const b of data.bookmarks ?? [])
      regions.addRegion({ start: b.at, color: '#1d70b8', drag: false, resize: false });
    container.dataset.ready = 'true';
  });
  const legend = document.createElement('p');
  legend.className = 'govuk-body-s govuk-!-margin-top-1';
  legend.setAttribute('aria-hidden', 'true');
  legend.textContent =
    'On the waveform, withheld parts are shaded red and bookmarks are blue lines. Click the waveform to move through the recording.';
  container.after(legend);
}

if (audio) {
  timelineButtons();
  bookmarkTimeFollowsPlayer();
  // The waveform is extra: the audio controls and the timeline still work without it.
  waveform().catch(() => undefined);
}
