// The offline scan page: a photo from the file input or frames from the camera go to
// `scan` (cccd compiled to WebAssembly) in this page; the report is shown as a card and as
// JSON. No network request: the page only loads its own files.
import { scan } from '../js/scan-browser.js';

const $ = (id) => document.getElementById(id);
const status = $('status');
const canvas = $('canvas');
const video = $('video');
const result = $('result');

/** The last image scanned (encoded bytes or camera ImageData), re-read when redaction changes. */
let last = null;
let stream = null;

status.textContent = 'Ready: choose a photo of the card, or use the camera.';

function text(id, value) {
  $(id).textContent = value ?? '—';
}

function list(id, items) {
  const box = $(id);
  const ul = box.querySelector('ul');
  ul.replaceChildren(...items.map((t) => Object.assign(document.createElement('li'), { textContent: t })));
  box.hidden = items.length === 0;
}

const SEX = { male: 'Male (Nam)', female: 'Female (Nữ)' };

function show(report) {
  result.textContent = JSON.stringify(report, null, 2);
  const ok = report.ok && report.card;
  $('card').hidden = !ok;
  $('failure').hidden = !!ok;
  if (!ok) {
    $('failure-message').textContent = report.error ? report.error.message : 'No card payload found.';
    return;
  }
  const c = report.card;
  text('card-name', c.full_name);
  text('card-id', c.id_number);
  text('card-old-id', c.old_id_number ?? 'none');
  text('card-dob', c.date_of_birth);
  text('card-sex', SEX[c.sex] ?? c.sex);
  text('card-address', c.address);
  text('card-issued', c.issue_date);
  const e = report.expiry;
  const expiry = e.never ? 'never (valid for life)' : `${e.date}${report.expired ? ' — expired' : ''}`;
  text('card-expiry', `${expiry} (${e.law} law)`);
  $('card-expiry').classList.toggle('expired', report.expired);
  text('card-layout', report.layout);
  list('card-repairs', report.repairs);
  list('card-warnings', report.warnings.map((w) => w.message));
}

function outline(report) {
  const code = report.codes?.[0];
  if (!code) return;
  const g = canvas.getContext('2d');
  g.strokeStyle = '#1aa34a';
  g.lineWidth = Math.max(3, canvas.width / 300);
  g.beginPath();
  code.corners.forEach(([x, y], i) => (i ? g.lineTo(x, y) : g.moveTo(x, y)));
  g.closePath();
  g.stroke();
}

function read(source) {
  return scan(source, { redact: $('redact').checked });
}

$('file').addEventListener('change', async (event) => {
  const file = event.target.files[0];
  if (!file) return;
  stopCamera();
  status.textContent = `Reading ${file.name}…`;
  const bytes = new Uint8Array(await file.arrayBuffer());
  try {
    const bitmap = await createImageBitmap(file);
    canvas.width = bitmap.width;
    canvas.height = bitmap.height;
    canvas.getContext('2d').drawImage(bitmap, 0, 0);
    canvas.hidden = false;
  } catch {
    canvas.hidden = true; // the browser cannot show it; the scanner may still read it
  }
  // Let the status paint before the scan blocks the page.
  await new Promise((r) => setTimeout(r, 0));
  last = bytes;
  const report = read(bytes);
  show(report);
  outline(report);
  status.textContent = report.ok ? `Read in ${report.elapsed_ms} ms.` : 'No card found in this photo.';
});

$('redact').addEventListener('change', () => {
  if (last) show(read(last));
});

$('camera').addEventListener('click', async () => {
  if (!navigator.mediaDevices?.getUserMedia) {
    status.textContent = 'This browser gives no camera access to the page.';
    return;
  }
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      video: { facingMode: 'environment', width: { ideal: 1280 }, height: { ideal: 720 } },
      audio: false,
    });
  } catch (e) {
    status.textContent = `No camera: ${e.message}`;
    return;
  }
  video.srcObject = stream;
  video.hidden = false;
  canvas.hidden = true;
  $('camera').hidden = true;
  $('stop').hidden = false;
  await video.play();
  status.textContent = 'Show the QR code of the card to the camera…';
  scanFrames();
});

$('stop').addEventListener('click', () => {
  stopCamera();
  status.textContent = 'Camera stopped.';
});

function stopCamera() {
  if (!stream) return;
  for (const track of stream.getTracks()) track.stop();
  stream = null;
  video.hidden = true;
  $('camera').hidden = false;
  $('stop').hidden = true;
}

/** Scans camera frames one after another until a card is read or the camera is stopped. */
function scanFrames() {
  if (!stream) return;
  if (video.readyState < 2 || video.videoWidth === 0) {
    setTimeout(scanFrames, 100);
    return;
  }
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  const g = canvas.getContext('2d', { willReadFrequently: true });
  g.drawImage(video, 0, 0);
  const frame = g.getImageData(0, 0, canvas.width, canvas.height);
  const report = read(frame);
  if (report.ok) {
    last = frame;
    stopCamera();
    canvas.hidden = false;
    show(report);
    outline(report);
    status.textContent = `Card read from the camera in ${report.elapsed_ms} ms.`;
    return;
  }
  // Give the page a moment between frames so that it stays responsive.
  setTimeout(scanFrames, 50);
}
