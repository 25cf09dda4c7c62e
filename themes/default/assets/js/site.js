/* Vitrine default theme: progressive enhancement only. Every page works without this file.
   - colour scheme toggle (remembered in localStorage)
   - sort <select> applies on change
   - photo page: ←/→ keys and swipes go to the previous/next photo; Enter or a click on the photo
     opens a full-screen viewer (focus trapped inside, Escape closes, focus goes back).
   No framework, no network calls. */
(function () {
  'use strict';
  var root = document.documentElement;

  /* Colour scheme ---------------------------------------------------------- */
  var toggle = document.querySelector('[data-scheme-toggle]');
  function effectiveScheme() {
    var s = root.getAttribute('data-scheme');
    if (s === 'light' || s === 'dark') return s;
    return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  }
  function labelToggle() {
    if (!toggle) return;
    var label = effectiveScheme() === 'dark' ? toggle.dataset.labelLight : toggle.dataset.labelDark;
    toggle.setAttribute('aria-label', label);
    toggle.title = label;
  }
  if (toggle) {
    toggle.hidden = false;
    labelToggle();
    toggle.addEventListener('click', function () {
      var next = effectiveScheme() === 'dark' ? 'light' : 'dark';
      root.setAttribute('data-scheme', next);
      try { localStorage.setItem('vitrine-scheme', next); } catch (e) { /* ignore */ }
      labelToggle();
    });
    window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', labelToggle);
  }

  /* Sort select ------------------------------------------------------------ */
  document.querySelectorAll('select[data-autosubmit]').forEach(function (select) {
    select.addEventListener('change', function () { if (select.form) select.form.requestSubmit(); });
  });

  /* Blur placeholders: drop them once the real image is there (transparent PNGs). */
  document.querySelectorAll('img[style*="background-image"]').forEach(function (img) {
    function clear() { img.style.backgroundImage = 'none'; }
    if (img.complete && img.naturalWidth) clear(); else img.addEventListener('load', clear, { once: true });
  });

  /* Photo page ------------------------------------------------------------- */
  var viewer = document.querySelector('[data-viewer]');
  if (!viewer) return;
  var opener = viewer.querySelector('[data-lightbox-open]');
  var prevLink = viewer.querySelector('[data-nav="prev"]');
  var nextLink = viewer.querySelector('[data-nav="next"]');
  var box = null;
  var returnFocus = null;

  function go(link, keepViewer) {
    if (!link) return;
    window.location.href = link.href + (keepViewer ? '#view' : '');
  }

  function isTyping(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  function button(cls, label, icon) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'lightbox__button ' + cls;
    b.setAttribute('aria-label', label);
    b.title = label;
    if (icon) b.appendChild(icon.cloneNode(true));
    return b;
  }
  function icon(selector) {
    var el = viewer.querySelector(selector);
    if (el && el.content) el = el.content.querySelector('svg');
    return el;
  }

  function buildBox() {
    var d = document.createElement('dialog');
    d.className = 'lightbox';
    d.setAttribute('aria-label', opener.dataset.alt || '');
    var fig = document.createElement('figure');
    fig.className = 'lightbox__figure';
    var img = document.createElement('img');
    img.className = 'lightbox__img';
    img.alt = opener.dataset.alt || '';
    img.width = Number(opener.dataset.width);
    img.height = Number(opener.dataset.height);
    img.sizes = 'min(100vw, calc(100dvh * ' + opener.dataset.width + ' / ' + opener.dataset.height + '))';
    img.srcset = opener.dataset.srcset || '';
    img.src = opener.getAttribute('href');
    var staged = opener.querySelector('img');
    if (staged && staged.currentSrc) img.style.background = 'center / contain no-repeat url("' + staged.currentSrc + '")';
    fig.appendChild(img);
    var title = document.getElementById('photo-title');
    var position = document.querySelector('.viewer__position');
    var cap = document.createElement('figcaption');
    cap.className = 'lightbox__caption';
    cap.textContent = (title ? title.textContent.trim() : '') + (position ? '  ·  ' + position.textContent.trim() : '');
    fig.appendChild(cap);
    d.appendChild(fig);
    var close = button('lightbox__close', viewer.dataset.labelClose || 'Close', icon('[data-icon-close]'));
    close.addEventListener('click', closeBox);
    d.appendChild(close);
    if (prevLink) {
      var p = button('lightbox__prev', prevLink.textContent.trim(), icon('[data-nav="prev"] svg'));
      p.addEventListener('click', function () { go(prevLink, true); });
      d.appendChild(p);
    }
    if (nextLink) {
      var n = button('lightbox__next', nextLink.textContent.trim(), icon('[data-nav="next"] svg'));
      n.addEventListener('click', function () { go(nextLink, true); });
      d.appendChild(n);
    }
    d.addEventListener('cancel', function (e) { e.preventDefault(); closeBox(); });
    d.addEventListener('click', function (e) { if (e.target === d || e.target === fig) closeBox(); });
    d.addEventListener('keydown', trapFocus);
    swipe(d);
    document.body.appendChild(d);
    return d;
  }

  function trapFocus(e) {
    if (e.key !== 'Tab' || !box) return;
    var items = Array.prototype.slice.call(box.querySelectorAll('button'));
    if (!items.length) return;
    var first = items[0], last = items[items.length - 1];
    if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last.focus(); }
    else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
  }

  function openBox() {
    if (!opener) return;
    returnFocus = document.activeElement && document.activeElement !== document.body ? document.activeElement : opener;
    box = box || buildBox();
    if (typeof box.showModal === 'function') box.showModal(); else box.setAttribute('open', '');
    box.querySelector('.lightbox__close').focus();
    if (window.location.hash !== '#view') history.replaceState(null, '', '#view');
  }

  function closeBox() {
    if (!box) return;
    if (typeof box.close === 'function' && box.open) box.close(); else box.removeAttribute('open');
    history.replaceState(null, '', window.location.pathname + window.location.search);
    if (returnFocus && typeof returnFocus.focus === 'function') returnFocus.focus();
  }

  function swipe(el) {
    var x0 = null, y0 = null;
    el.addEventListener('touchstart', function (e) {
      if (e.touches.length !== 1) { x0 = null; return; }
      x0 = e.touches[0].clientX; y0 = e.touches[0].clientY;
    }, { passive: true });
    el.addEventListener('touchend', function (e) {
      if (x0 === null) return;
      var dx = e.changedTouches[0].clientX - x0, dy = e.changedTouches[0].clientY - y0;
      x0 = null;
      if (Math.abs(dx) < 50 || Math.abs(dx) < Math.abs(dy) * 1.5) return;
      go(dx > 0 ? prevLink : nextLink, el.classList.contains('lightbox'));
    }, { passive: true });
  }

  if (opener) {
    opener.addEventListener('click', function (e) {
      if (e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || e.button !== 0) return;
      e.preventDefault();
      openBox();
    });
    var trigger = viewer.querySelector('[data-lightbox-trigger]');
    if (trigger) { trigger.hidden = false; trigger.addEventListener('click', openBox); }
  }
  swipe(viewer.querySelector('[data-stage]') || viewer);

  document.addEventListener('keydown', function (e) {
    if (e.defaultPrevented || e.metaKey || e.ctrlKey || e.altKey || isTyping(e.target)) return;
    var open = box && (box.open || box.hasAttribute('open'));
    if (e.key === 'ArrowLeft') { e.preventDefault(); go(prevLink, open); }
    else if (e.key === 'ArrowRight') { e.preventDefault(); go(nextLink, open); }
    else if (e.key === 'Enter' && !open && (e.target === document.body || e.target === opener)) { e.preventDefault(); openBox(); }
    else if (e.key === 'Escape' && open) { e.preventDefault(); closeBox(); }
  });

  if (window.location.hash === '#view') openBox();
})();
