"""The HTML report's style sheet and script, inlined into each report (no network): CSS for the
page and print, and the script that highlights a finding's steps and flows in the diagram."""

CSS = """
:root { --ink: #1a1a1a; --muted: #5a5a5a; --line: #d0d0d0; --hl: #0072B2; }
* { box-sizing: border-box; }
body { font: 15px/1.45 Helvetica, Arial, sans-serif; color: var(--ink); margin: 0;
       background: #fafafa; }
header, main, footer { padding: 0 24px; }
header { background: white; border-bottom: 1px solid var(--line); padding-top: 12px; }
h1 { margin: 0 0 2px; font-size: 24px; }
.sub { color: var(--muted); margin: 0 0 12px; }
h2 { font-size: 18px; margin: 18px 0 8px; }
.count { background: #eee; border-radius: 10px; padding: 0 8px; font-size: 14px; }
.comparison { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 24px; }
.workspace { display: grid; grid-template-columns: minmax(280px, 1fr) minmax(0, 3fr); gap: 16px;
             margin-top: 16px; align-items: start; }
.findings-panel { max-height: 82vh; overflow: auto; position: sticky; top: 8px; }
.panels { display: grid; grid-template-columns: 1fr; gap: 16px; margin-top: 16px; }
.panels.two { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
figure { min-width: 0; margin: 0; background: white; border: 1px solid var(--line); border-radius: 6px; }
figcaption { font-weight: bold; padding: 6px 10px; border-bottom: 1px solid var(--line); }
figcaption .tools { float: right; }
figcaption button { font: inherit; font-weight: normal; cursor: pointer; min-width: 2.2em; }
.scroll { overflow: auto; max-height: 82vh; cursor: grab; }
.scroll.panning { cursor: grabbing; user-select: none; }
.scroll svg { display: block; height: auto; max-width: none; }
.panel { background: white; border: 1px solid var(--line); border-radius: 6px; padding: 4px 14px; }
ol.findings { list-style: none; padding: 0; margin: 0; }
li.finding { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; margin: 6px 0;
             cursor: pointer; background: white; }
li.finding:hover, li.finding:focus { border-color: var(--hl); outline: none; }
li.finding.active { border: 2px solid var(--hl); background: #eef6fc; }
.badge { display: inline-block; min-width: 34px; text-align: center; border-radius: 8px;
         border: 1px solid var(--ink); font-weight: bold; font-size: 13px; margin-right: 6px; }
.badge.error { border-radius: 0; border-width: 2px; }
.severity { font-size: 13px; color: var(--muted); margin-right: 6px; }
.code { font-family: ui-monospace, Menlo, Consolas, monospace; font-weight: bold; }
.name { color: var(--muted); }
.suggestion { color: #22543d; margin-top: 4px; }
details { color: var(--muted); font-size: 14px; margin-top: 4px; }
.hint, .none { color: var(--muted); }
table { border-collapse: collapse; width: 100%; background: white; }
td, th { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left;
         vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.better .verdict { color: #006b4f; } tr.worse .verdict { color: #b34700; font-weight: bold; }
tr.same .verdict, tr.changed .verdict { color: var(--muted); }
tr.met td:first-child { color: #006b4f; } tr.unmet td:first-child { color: #b34700; }
.metrics { margin-top: 16px; }
footer { color: var(--muted); font-size: 13px; padding: 24px; }
svg .fm-hl > path, svg .fm-hl > polygon, svg .fm-hl > ellipse,
svg .fm-hl a > path, svg .fm-hl a > polygon, svg .fm-hl a > ellipse {
  stroke: var(--hl) !important; stroke-width: 5px !important; }
svg.fm-focus g.node:not(.fm-hl), svg.fm-focus g.edge:not(.fm-hl) { opacity: 0.3; }
@page { size: A3 landscape; margin: 12mm; }
@media print {
  body { background: white; font-size: 11pt; }
  header, main, footer { padding: 0; }
  .tools, .hint, details { display: none; }
  .workspace { display: block; break-before: page; }
  .findings-panel { max-height: none; overflow: visible; position: static; border: none; }
  figure { border: none; break-inside: avoid; }
  .scroll { max-height: none; overflow: visible; }
  .scroll svg { width: 100% !important; max-height: 250mm; }
  li.finding { break-inside: avoid; }
  .comparison { display: block; }
  svg.fm-focus g.node, svg.fm-focus g.edge { opacity: 1; }
}
"""

SCRIPT = """
(function () {
  function figureParts(figure) {
    var box = figure.querySelector('.scroll');
    return {box: box, svg: box ? box.querySelector('svg') : null};
  }
  // Zoom: 'fit' is the width of the box; a number is a factor of the drawing's own size.
  function setZoom(figure, zoom) {
    var p = figureParts(figure);
    if (!p.svg) { return; }
    var natural = p.svg.viewBox && p.svg.viewBox.baseVal ? p.svg.viewBox.baseVal.width : 0;
    if (!natural) { natural = p.svg.getBBox().width; }
    figure.dataset.natural = natural;
    if (zoom === 'fit') {
      p.svg.style.width = '100%';
      figure.dataset.zoom = String(p.box.clientWidth / natural);
    } else {
      zoom = Math.max(0.1, Math.min(4, zoom));
      p.svg.style.width = (natural * zoom * 4 / 3) + 'px';
      figure.dataset.zoom = String(zoom);
    }
  }
  document.querySelectorAll('figure.diagram').forEach(function (figure) {
    setZoom(figure, 'fit');
    figure.querySelectorAll('button[data-zoom]').forEach(function (button) {
      button.addEventListener('click', function () {
        var how = button.getAttribute('data-zoom');
        var now = parseFloat(figure.dataset.zoom || '1');
        setZoom(figure, how === 'fit' ? 'fit' : how === 'in' ? now * 1.4 : now / 1.4);
      });
    });
    var box = figureParts(figure).box;
    box.addEventListener('wheel', function (event) {
      if (!event.ctrlKey) { return; }
      event.preventDefault();
      var now = parseFloat(figure.dataset.zoom || '1');
      setZoom(figure, event.deltaY < 0 ? now * 1.15 : now / 1.15);
    }, {passive: false});
    var drag = null;
    box.addEventListener('mousedown', function (event) {
      drag = {x: event.clientX, y: event.clientY, left: box.scrollLeft, top: box.scrollTop};
      box.classList.add('panning');
    });
    window.addEventListener('mousemove', function (event) {
      if (!drag) { return; }
      box.scrollLeft = drag.left - (event.clientX - drag.x);
      box.scrollTop = drag.top - (event.clientY - drag.y);
    });
    window.addEventListener('mouseup', function () { drag = null; box.classList.remove('panning'); });
  });
  function clear(svg) {
    svg.classList.remove('fm-focus');
    svg.querySelectorAll('.fm-hl').forEach(function (el) { el.classList.remove('fm-hl'); });
  }
  // Scroll the diagram's box so that the highlighted elements are in the middle of it.
  function reveal(figure, elements) {
    var p = figureParts(figure);
    if (parseFloat(figure.dataset.zoom || '1') < 1) { setZoom(figure, 1); }
    var r = null;
    elements.forEach(function (el) {
      var b = el.getBoundingClientRect();
      r = r ? {left: Math.min(r.left, b.left), top: Math.min(r.top, b.top),
               right: Math.max(r.right, b.right), bottom: Math.max(r.bottom, b.bottom)}
            : {left: b.left, top: b.top, right: b.right, bottom: b.bottom};
    });
    var box = p.box.getBoundingClientRect();
    p.box.scrollLeft += (r.left + r.right) / 2 - (box.left + box.right) / 2;
    p.box.scrollTop += (r.top + r.bottom) / 2 - (box.top + box.bottom) / 2;
    figure.scrollIntoView({block: 'nearest'});
  }
  document.querySelectorAll('ol.findings').forEach(function (list) {
    var prefix = list.getAttribute('data-prefix');
    var figure = document.getElementById(prefix + 'figure');
    var svg = figure ? figure.querySelector('svg') : null;
    function choose(item) {
      var wasActive = item.classList.contains('active');
      list.querySelectorAll('li.finding').forEach(function (li) {
        li.classList.remove('active'); li.setAttribute('aria-pressed', 'false');
      });
      if (!svg) { return; }
      clear(svg);
      if (wasActive) { return; }
      item.classList.add('active'); item.setAttribute('aria-pressed', 'true');
      var lit = [];
      (item.getAttribute('data-elements') || '').split(' ').forEach(function (id) {
        if (!/^[sf][0-9]+$/.test(id)) { return; }
        var el = document.getElementById(prefix + id);
        if (el) { el.classList.add('fm-hl'); lit.push(el); }
      });
      if (lit.length) { svg.classList.add('fm-focus'); reveal(figure, lit); }
    }
    list.addEventListener('click', function (event) {
      var item = event.target.closest('li.finding');
      if (item && !event.target.closest('summary')) { choose(item); }
    });
    list.addEventListener('keydown', function (event) {
      var item = event.target.closest('li.finding');
      if (item && (event.key === 'Enter' || event.key === ' ')) {
        event.preventDefault(); choose(item);
      }
    });
  });
})();
"""
