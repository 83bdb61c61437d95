// The editor form's comforts; it saves without them. It asks before a page with unsaved
// changes is left, moves the focus to the errors of a save, and refreshes the rendered page
// beside the text a moment after typing stops (by sending the form as its Preview button does).
(function () {
  'use strict';
  var form = document.getElementById('editor');
  var errors = document.getElementById('errors');
  if (errors) errors.focus();
  var dirty = false;
  var leaving = false;
  var timer = null;
  form.addEventListener('input', function () {
    dirty = true;
    clearTimeout(timer);
    timer = setTimeout(refresh, 700);
  });
  form.addEventListener('submit', function () {
    leaving = true;
  });
  window.addEventListener('beforeunload', function (event) {
    if (dirty && !leaving) {
      event.preventDefault();
      event.returnValue = form.dataset.unsaved;
      return form.dataset.unsaved;
    }
  });

  function refresh() {
    var data = new FormData(form);
    data.set('_action', 'preview');
    Array.prototype.forEach.call(form.querySelectorAll('input[type=file]'), function (input) {
      data.delete(input.name);
    });
    fetch(form.action, { method: 'POST', body: data, credentials: 'same-origin' })
      .then(function (response) {
        return response.text();
      })
      .then(function (html) {
        var next = new DOMParser().parseFromString(html, 'text/html').getElementById('rendered');
        var shown = document.getElementById('rendered');
        if (next && shown && next.hasAttribute('srcdoc')) shown.setAttribute('srcdoc', next.getAttribute('srcdoc'));
      })
      .catch(function () {});
  }
})();
