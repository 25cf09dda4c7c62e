/* Vitrine admin uploads: drag and drop or file picker, per-file progress, resumable (tus) with a
   multipart fallback (POST /api/v1/photos) when tus-js-client is unavailable. */
(function () {
  'use strict';
  var root = document.querySelector('[data-uploader]');
  if (!root) return;
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || '';
  var input = root.querySelector('[data-upload-input]');
  var albumSelect = root.querySelector('[data-upload-album]');
  var list = root.querySelector('[data-upload-list]');
  var drop = root.querySelector('[data-dropzone]');
  var summary = root.querySelector('[data-upload-summary]');
  var tusEndpoint = root.getAttribute('data-tus-endpoint');
  var multipartEndpoint = root.getAttribute('data-multipart-endpoint');
  var CONCURRENCY = 2;
  var queue = [];
  var running = 0;
  var stats = { total: 0, done: 0, failed: 0 };

  function useTus() { return !!(window.tus && window.tus.isSupported && tusEndpoint); }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function describe(bytes) {
    if (bytes < 1024) return bytes + ' B';
    if (bytes < 1048576) return (bytes / 1024).toFixed(0) + ' KB';
    return (bytes / 1048576).toFixed(1) + ' MB';
  }

  function updateSummary() {
    var text = stats.done + ' of ' + stats.total + ' uploaded';
    if (stats.failed) text += ', ' + stats.failed + ' failed';
    summary.textContent = text + '.';
    if (stats.done + stats.failed === stats.total && stats.done > 0) {
      var link = el('a', '', 'Show the new photos');
      link.href = '/admin/photos' + (albumSelect.value ? '?album=' + encodeURIComponent(albumSelect.value) : '');
      summary.appendChild(document.createTextNode(' '));
      summary.appendChild(link);
    }
  }

  function makeItem(file, albumId) {
    var li = el('li', 'upload');
    li.setAttribute('data-upload-item', '');
    var name = el('span', 'upload__name', file.name);
    var state = el('span', 'upload__state', 'Waiting · ' + describe(file.size));
    var bar = el('progress');
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute('aria-label', 'Upload of ' + file.name);
    li.appendChild(name);
    li.appendChild(state);
    li.appendChild(bar);
    list.appendChild(li);
    return {
      file: file,
      albumId: albumId,
      progress: function (sent, total) {
        var pct = total ? Math.floor((sent / total) * 100) : 0;
        bar.value = pct;
        li.setAttribute('data-progress', String(pct));
        state.textContent = pct + '% · ' + describe(sent) + ' of ' + describe(total);
      },
      finish: function (ok, message) {
        li.classList.add(ok ? 'is-done' : 'is-error');
        li.setAttribute('data-state', ok ? 'done' : 'error');
        if (ok) { bar.value = 100; li.setAttribute('data-progress', '100'); }
        state.textContent = message;
        if (ok) stats.done++; else stats.failed++;
        updateSummary();
      },
    };
  }

  function problemText(body, fallback) {
    try {
      var p = JSON.parse(body);
      return p.detail || p.title || fallback;
    } catch (_) {
      return body && body.length < 200 ? body : fallback;
    }
  }

  function viaTus(item, done) {
    var upload = new window.tus.Upload(item.file, {
      endpoint: tusEndpoint,
      retryDelays: [0, 1000, 3000, 5000, 10000],
      chunkSize: 8 * 1024 * 1024,
      removeFingerprintOnSuccess: true,
      metadata: { filename: item.file.name, filetype: item.file.type, albumIds: String(item.albumId) },
      headers: { 'X-CSRF-Token': csrf },
      onProgress: function (sent, total) { item.progress(sent, total); },
      onError: function (error) {
        var res = error && error.originalResponse;
        var text = res ? problemText(res.getBody(), 'Upload refused (' + res.getStatus() + ').') : 'Upload failed: ' + (error && error.message ? error.message : 'network error') + '.';
        item.finish(false, text);
        done();
      },
      onSuccess: function () {
        item.finish(true, 'Uploaded');
        done();
      },
    });
    upload.findPreviousUploads().then(function (previous) {
      if (previous.length) upload.resumeFromPreviousUpload(previous[0]);
      upload.start();
    }, function () { upload.start(); });
  }

  function viaMultipart(item, done) {
    var form = new FormData();
    form.append('albumIds', String(item.albumId));
    form.append('file', item.file, item.file.name);
    var xhr = new XMLHttpRequest();
    xhr.open('POST', multipartEndpoint);
    xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = function (e) { if (e.lengthComputable) item.progress(e.loaded, e.total); };
    xhr.onload = function () {
      if (xhr.status >= 200 && xhr.status < 300) item.finish(true, 'Uploaded');
      else item.finish(false, problemText(xhr.responseText, 'Upload refused (' + xhr.status + ').'));
      done();
    };
    xhr.onerror = function () { item.finish(false, 'Upload failed: network error.'); done(); };
    xhr.send(form);
  }

  function pump() {
    while (running < CONCURRENCY && queue.length) {
      var item = queue.shift();
      running++;
      item.progress(0, item.file.size);
      (useTus() ? viaTus : viaMultipart)(item, function () { running--; pump(); });
    }
  }

  function addFiles(files) {
    if (!files || !files.length) return;
    var albumId = albumSelect.value;
    if (!albumId) {
      summary.textContent = 'Choose the album the photos go into first.';
      albumSelect.focus();
      return;
    }
    Array.prototype.forEach.call(files, function (file) {
      stats.total++;
      queue.push(makeItem(file, albumId));
    });
    updateSummary();
    pump();
  }

  input.addEventListener('change', function () { addFiles(input.files); input.value = ''; });
  ['dragenter', 'dragover'].forEach(function (type) {
    drop.addEventListener(type, function (e) { e.preventDefault(); drop.classList.add('is-over'); });
  });
  ['dragleave', 'drop'].forEach(function (type) {
    drop.addEventListener(type, function () { drop.classList.remove('is-over'); });
  });
  drop.addEventListener('drop', function (e) {
    e.preventDefault();
    addFiles(e.dataTransfer && e.dataTransfer.files);
  });
})();
