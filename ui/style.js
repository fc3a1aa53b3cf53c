// Streamlit's own texts in Vietnamese, and the zoom of charts and tables on paper.
// Run once per browser tab by ui.style.apply (st.html with unsafe_allow_javascript), which
// defines window.__skhcnChrome = {texts, patterns, printWidth} just before this file.
// Why a script and not CSS, and what each entry is: ui/i18n.py and docs/UI_VIETNAMESE.md.
(function () {
  // Ran: its text (code and dictionary) leaves the page, which tests and screen readers read.
  if (document.currentScript) document.currentScript.textContent = "";
  const cfg = window.__skhcnChrome;
  if (!cfg || window.__skhcnChromeRunning) return; // once per document, whatever the reruns
  window.__skhcnChromeRunning = true;

  // --- texts ----------------------------------------------------------------------------
  const TEXTS = new Map(Object.entries(cfg.texts));
  const PATTERNS = cfg.patterns.map(([re, rep]) => [new RegExp(re), rep]);
  const ATTRS = ["title", "aria-label", "placeholder", "data-title", "alt"];
  // Material icons are ligatures ("upload", "history"): glyphs, never translated; nor is
  // what a person types or the code of a script.
  const NO_TEXT = "script, style, textarea, input, [contenteditable='true'], [data-testid='stIconMaterial']";
  // A chart's drawing (Plotly's SVG layers, hundreds of nodes redrawn on every filter change)
  // holds only the pages' own Vietnamese texts: it is never walked (issue 17, browser time per
  // change). Plotly's modebar, outside those layers, is still translated (Streamlit's own
  // "Fullscreen" button is not in Plotly's locale, ui.i18n.PLOTLY_CONFIG).
  const SKIP = ".js-plotly-plot .main-svg";
  function skipped(node) {
    const el = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    return !el || el.closest(SKIP) !== null;
  }

  function translate(s) {
    const key = s.trim();
    if (!key) return null;
    let out = TEXTS.has(key) ? TEXTS.get(key) : null;
    if (out === null) {
      for (const [re, rep] of PATTERNS) {
        if (re.test(key)) { out = key.replace(re, rep); break; }
      }
    }
    return out === null ? null : s.replace(key, () => out);
  }

  function fixText(node) {
    const parent = node.parentElement;
    if (!parent || parent.closest(NO_TEXT)) return;
    const t = translate(node.nodeValue);
    if (t !== null && t !== node.nodeValue) node.nodeValue = t;
  }

  function fixAttrs(el) {
    for (const a of ATTRS) {
      const v = el.getAttribute(a);
      if (!v) continue;
      const t = translate(v);
      if (t !== null && t !== v) el.setAttribute(a, t);
    }
  }

  function fixTree(root) {
    if (root.nodeType === Node.TEXT_NODE) return fixText(root);
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    // One walk over elements and texts that never enters a chart (FILTER_REJECT skips the
    // whole subtree).
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => (n.nodeType === Node.ELEMENT_NODE && n.matches(SKIP)
        ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    for (let n = walker.currentNode; n; n = walker.nextNode()) {
      if (n.nodeType === Node.TEXT_NODE) fixText(n);
      else if (n.hasAttributes()) fixAttrs(n);
    }
  }

  // --- print: charts and tables keep the width they were drawn at on the screen (pixels);
  // on paper they are zoomed by printWidth / (screen width of the main column), so the
  // layout of the screen fits the A4 page (ui/style.css, @media print).
  const printing = window.matchMedia("print");
  function fitPrint() {
    if (printing.matches) return; // measured on the screen only
    const main = document.querySelector('[data-testid="stMainBlockContainer"]');
    if (!main) return;
    const style = getComputedStyle(main);
    const width = main.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (width > 0) {
      const zoom = Math.min(1, cfg.printWidth / width);
      document.documentElement.style.setProperty("--skhcn-print-zoom", zoom.toFixed(4));
    }
  }
  const resize = new ResizeObserver(fitPrint);
  let watched = null;
  function watchMain() {
    const main = document.querySelector('[data-testid="stMainBlockContainer"]');
    if (main && main !== watched) {
      if (watched) resize.unobserve(watched);
      resize.observe(main);
      watched = main;
      fitPrint();
    }
  }

  new MutationObserver((records) => {
    for (const r of records) {
      if (skipped(r.target)) continue;
      if (r.type === "characterData") fixText(r.target);
      else if (r.type === "attributes") fixAttrs(r.target);
      else r.addedNodes.forEach((n) => { if (!skipped(n)) fixTree(n); });
    }
    watchMain();
  }).observe(document.documentElement, {
    subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ATTRS,
  });
  fixTree(document.body);
  watchMain();
})();
