/* Runs before the first paint: marks JavaScript as available and applies the visitor's saved
   colour scheme, so the page never flashes in the wrong one. No network, no globals. */
(function () {
  var root = document.documentElement;
  root.classList.add('js');
  try {
    var saved = localStorage.getItem('vitrine-scheme');
    if (saved === 'light' || saved === 'dark') root.setAttribute('data-scheme', saved);
  } catch (e) { /* storage disabled: keep the site default */ }
})();
