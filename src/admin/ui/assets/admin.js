/* Vitrine admin: progressive enhancements. Every feature here has a plain-form fallback. */
(function () {
  'use strict';

  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || '';

  /** POSTs a urlencoded form body with the CSRF token; resolves to the Response. */
  function postForm(url, fields) {
    var body = new URLSearchParams();
    body.append('_csrf', csrf);
    Object.keys(fields).forEach(function (k) {
      var v = fields[k];
      (Array.isArray(v) ? v : [v]).forEach(function (x) { body.append(k, String(x)); });
    });
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Accept': 'application/json', 'X-CSRF-Token': csrf },
      body: body,
    });
  }
  window.vitrineAdmin = { csrf: csrf, postForm: postForm };

  /* Copy buttons: <button data-copy="#input-id"> */
  document.addEventListener('click', function (e) {
    var btn = e.target.closest && e.target.closest('[data-copy]');
    if (!btn) return;
    var input = document.querySelector(btn.getAttribute('data-copy'));
    if (!input) return;
    var text = input.value || input.textContent;
    var done = function () {
      var label = btn.textContent;
      btn.textContent = 'Copied';
      setTimeout(function () { btn.textContent = label; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, function () { input.select(); });
    else { input.select(); try { document.execCommand('copy'); done(); } catch (_) { /* selected for manual copy */ } }
  });

  /* Drag and drop ordering of album siblings: <ul data-sortable data-parent-id="…"> */
  var status = document.querySelector('[data-order-status]');
  function announce(text) { if (status) status.textContent = text; }

  function refreshButtons(list) {
    var items = childrenItems(list);
    items.forEach(function (li, i) {
      var up = li.querySelector(':scope > .tree__row [data-shift="up"]');
      var down = li.querySelector(':scope > .tree__row [data-shift="down"]');
      if (up) up.disabled = i === 0;
      if (down) down.disabled = i === items.length - 1;
    });
  }
  function childrenItems(list) {
    return Array.prototype.filter.call(list.children, function (c) { return c.classList.contains('tree__item'); });
  }
  function saveOrder(list) {
    var ids = childrenItems(list).map(function (li) { return li.getAttribute('data-album-id'); });
    refreshButtons(list);
    return postForm('/admin/albums/order', { parentId: list.getAttribute('data-parent-id') || '', ids: ids.join(',') }).then(function (res) {
      announce(res.ok ? 'Order saved.' : 'The order could not be saved. Reload the page.');
    }, function () { announce('The order could not be saved. Check your connection.'); });
  }

  var dragged = null;
  document.querySelectorAll('[data-sortable]').forEach(function (list) {
    childrenItems(list).forEach(function (li) {
      var row = li.querySelector(':scope > .tree__row');
      if (!row) return;
      li.setAttribute('draggable', 'true');
      li.addEventListener('dragstart', function (e) {
        if (dragged) return;
        e.stopPropagation();
        dragged = li;
        li.classList.add('is-dragging');
        e.dataTransfer.effectAllowed = 'move';
        e.dataTransfer.setData('text/plain', li.getAttribute('data-album-id'));
      });
      li.addEventListener('dragend', function () {
        if (dragged === li) { li.classList.remove('is-dragging'); dragged = null; }
        list.querySelectorAll('.is-drop-target').forEach(function (x) { x.classList.remove('is-drop-target'); });
      });
      li.addEventListener('dragover', function (e) {
        if (!dragged || dragged === li || dragged.parentNode !== list) return;
        e.preventDefault();
        e.stopPropagation();
        e.dataTransfer.dropEffect = 'move';
        li.classList.add('is-drop-target');
      });
      li.addEventListener('dragleave', function () { li.classList.remove('is-drop-target'); });
      li.addEventListener('drop', function (e) {
        if (!dragged || dragged === li || dragged.parentNode !== list) return;
        e.preventDefault();
        e.stopPropagation();
        li.classList.remove('is-drop-target');
        var items = childrenItems(list);
        var before = items.indexOf(dragged) > items.indexOf(li) ? li : li.nextSibling;
        list.insertBefore(dragged, before);
        saveOrder(list);
      });
    });
  });

  /* Photo multi-select: "select all" and the count in the bulk bar. */
  var selectAll = document.querySelector('[data-select-all]');
  var counter = document.querySelector('[data-selected-count]');
  function boxes() { return document.querySelectorAll('.photo-card__select'); }
  function updateCount() {
    if (!counter) return;
    var n = Array.prototype.filter.call(boxes(), function (b) { return b.checked; }).length;
    counter.textContent = n + (n === 1 ? ' photo selected' : ' photos selected');
  }
  if (selectAll) {
    selectAll.hidden = false;
    selectAll.addEventListener('click', function () {
      var all = Array.prototype.every.call(boxes(), function (b) { return b.checked; });
      boxes().forEach(function (b) { b.checked = !all; });
      updateCount();
    });
  }
  document.addEventListener('change', function (e) {
    if (e.target.classList && e.target.classList.contains('photo-card__select')) updateCount();
  });
  updateCount();

  /* Theme settings live preview: the iframe follows the form. */
  var previewForm = document.querySelector('[data-preview-form]');
  var frame = document.querySelector('[data-preview-frame]');
  if (previewForm && frame) {
    var timer = null;
    var refresh = function () {
      var params = new URLSearchParams();
      Array.prototype.forEach.call(previewForm.elements, function (el) {
        if (!el.name || el.name === '_csrf' || el.disabled) return;
        if (el.type === 'checkbox') { if (el.checked) params.append(el.name, 'on'); return; }
        params.append(el.name, el.value);
      });
      frame.src = frame.getAttribute('data-preview-base') + '?' + params.toString();
    };
    previewForm.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(refresh, 250); });
    previewForm.addEventListener('change', function () { clearTimeout(timer); timer = setTimeout(refresh, 50); });
  }
})();
