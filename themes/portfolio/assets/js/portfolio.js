/* Vitrine portfolio theme: small enhancements; every page works without them.
   ←/→ and swipes move between photographs, the sort menu applies on change, blur placeholders
   are dropped once images arrive. No framework, no network calls. */
(function () {
  'use strict';
  document.documentElement.classList.add('js');

  document.querySelectorAll('select[data-autosubmit]').forEach(function (select) {
    select.addEventListener('change', function () { if (select.form) select.form.requestSubmit(); });
  });

  document.querySelectorAll('img[style*="background-image"]').forEach(function (img) {
    function clear() { img.style.backgroundImage = 'none'; }
    if (img.complete && img.naturalWidth) clear(); else img.addEventListener('load', clear, { once: true });
  });

  var single = document.querySelector('[data-single]');
  if (!single) return;
  var prev = single.querySelector('[data-nav="prev"]');
  var next = single.querySelector('[data-nav="next"]');
  function go(link) { if (link) window.location.href = link.href; }

  document.addEventListener('keydown', function (e) {
    if (e.defaultPrevented || e.metaKey || e.ctrlKey || e.altKey) return;
    if (e.target && /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName)) return;
    if (e.key === 'ArrowLeft') { e.preventDefault(); go(prev); }
    if (e.key === 'ArrowRight') { e.preventDefault(); go(next); }
  });

  var x0 = null, y0 = null;
  single.addEventListener('touchstart', function (e) {
    if (e.touches.length !== 1) { x0 = null; return; }
    x0 = e.touches[0].clientX; y0 = e.touches[0].clientY;
  }, { passive: true });
  single.addEventListener('touchend', function (e) {
    if (x0 === null) return;
    var dx = e.changedTouches[0].clientX - x0, dy = e.changedTouches[0].clientY - y0;
    x0 = null;
    if (Math.abs(dx) > 50 && Math.abs(dx) > Math.abs(dy) * 1.5) go(dx > 0 ? prev : next);
  }, { passive: true });
})();
