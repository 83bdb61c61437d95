// The live reload of `niemyet serve`, added to every page of the preview and never to a
// build. It listens to the preview's event stream: when the site was rebuilt (another
// version than this page's) it fetches the page again and puts its new body in place,
// keeping the scroll position (a page with scripts of its own, or whose stylesheet
// changed, is reloaded instead); while the content has errors, it shows them over the
// page, which stays the last good version.
(function () {
  'use strict';
  var version = document.currentScript.dataset.version;
  var overlay = null;

  var STYLE =
    ':host { all: initial; position: fixed; inset: 0; z-index: 2147483647; overflow: auto;' +
    '  background: rgba(20, 20, 20, 0.55); font: 16px/1.5 system-ui, sans-serif; }' +
    '.panel { box-sizing: border-box; max-width: 60rem; margin: 1rem auto; padding: 1rem 1.25rem;' +
    '  background: #fff; color: #1a1a1a; border-top: 6px solid #b3261e; border-radius: 4px;' +
    '  box-shadow: 0 4px 24px rgba(0, 0, 0, 0.4); }' +
    'h2 { margin: 0 0 0.25rem; font-size: 1.25rem; color: #b3261e; }' +
    '.note { margin: 0 0 0.75rem; }' +
    'ul { margin: 0; padding: 0; list-style: none; }' +
    'li { padding: 0.6rem 0; border-top: 1px solid #ddd; }' +
    '.at { font: 600 0.95rem/1.4 ui-monospace, monospace; word-break: break-all; }' +
    '.message { margin: 0.2rem 0 0; }' +
    '.hint { margin: 0.2rem 0 0; color: #444; }';

  var events = new EventSource('/_niemyet/events');
  events.addEventListener('state', function (event) {
    var state = JSON.parse(event.data);
    if (state.version !== version) {
      version = state.version;
      refresh();
    } else if (state.problems.length > 0) {
      show(state);
    } else {
      hide();
    }
  });

  // The page as the new version has it: its body replaces this one's when nothing else
  // differs; otherwise the whole page reloads.
  function refresh() {
    fetch(location.href, { cache: 'no-store' })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        var next = new DOMParser().parseFromString(html, 'text/html');
        if (stylesheets(next) !== stylesheets(document) || ownScripts(next) || ownScripts(document)) {
          location.reload();
          return;
        }
        hide();
        document.title = next.title;
        document.body.replaceWith(document.adoptNode(next.body));
      })
      .catch(function () {
        location.reload();
      });
  }

  function stylesheets(doc) {
    return Array.prototype.map
      .call(doc.querySelectorAll('link[rel="stylesheet"]'), function (link) {
        return link.getAttribute('href');
      })
      .join(' ');
  }

  // Scripts other than this one and structured data: swapping the body would not run them.
  function ownScripts(doc) {
    return Array.prototype.some.call(doc.scripts, function (script) {
      return script.type !== 'application/ld+json' && !/\/_niemyet\/live\.js$/.test(script.getAttribute('src') || '');
    });
  }

  function hide() {
    if (overlay) overlay.remove();
    overlay = null;
  }

  // The errors in a shadow root, so that neither the page's styles nor ours leak.
  function show(state) {
    hide();
    overlay = document.createElement('niemyet-errors');
    overlay.id = 'niemyet-errors';
    var root = overlay.attachShadow({ mode: 'open' });
    var style = document.createElement('style');
    style.textContent = STYLE;
    var panel = element('section', 'panel');
    panel.setAttribute('role', 'alert');
    panel.appendChild(element('h2', '', state.heading));
    panel.appendChild(element('p', 'note', state.note));
    var list = element('ul', '');
    state.problems.forEach(function (problem) {
      var item = element('li', '');
      if (problem.at) item.appendChild(element('code', 'at', problem.at));
      item.appendChild(element('p', 'message', problem.message));
      if (problem.hint) item.appendChild(element('p', 'hint', state.hint + ': ' + problem.hint));
      list.appendChild(item);
    });
    panel.appendChild(list);
    root.appendChild(style);
    root.appendChild(panel);
    document.documentElement.appendChild(overlay);
  }

  function element(name, className, text) {
    var node = document.createElement(name);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

})();
