// Keyboard work in the queues (issue 21; docs/guides/keyboard.md). In a container marked data-queue, each row holds one
// element marked data-queue-row (its selection checkbox): with the focus there, ArrowDown/j and ArrowUp/k move between rows,
// Home/End go to the first and last, Space selects (the checkbox itself), and a letter presses the row's control marked
// data-queue-key="<letter>" (Enter presses the one marked "Enter": open). Nothing happens while typing in a field.
(function () {
  function focusable(row) {
    return row.querySelector('input, button, [tabindex]') || row;
  }
  function rowsOf(container) {
    return Array.from(container.querySelectorAll('[data-queue-row]'));
  }
  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || !e.target.closest) {
      return;
    }
    var row = e.target.closest('[data-queue-row]');
    var container = row && row.closest('[data-queue]');
    if (!container) {
      return;
    }
    var rows = rowsOf(container);
    var i = rows.indexOf(row);
    var next = null;
    switch (e.key) {
      case 'ArrowDown': case 'j': next = rows[Math.min(i + 1, rows.length - 1)]; break;
      case 'ArrowUp': case 'k': next = rows[Math.max(i - 1, 0)]; break;
      case 'Home': next = rows[0]; break;
      case 'End': next = rows[rows.length - 1]; break;
    }
    if (next) {
      e.preventDefault();
      focusable(next).focus();
      return;
    }
    var line = row.closest('tr') || row.parentElement;
    var key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    var control = line && (line.querySelector('[data-queue-key="' + key + '"]')
      // A row without an explicit "open" control opens with its first button (a grid's expand toggle).
      || (key === 'Enter' ? line.querySelector('button') : null));
    if (control) {
      e.preventDefault();
      var clickable = control.matches('button, a, input') ? control : (control.querySelector('button, a, input') || control);
      clickable.click();
    }
  });
  // After a decision the page asks for the row now at the same place (the next item) to take the focus.
  window.complianceHubQueue = {
    focusRow: function (selector, index) {
      var container = document.querySelector(selector);
      if (!container) { return false; }
      var rows = rowsOf(container);
      if (rows.length === 0) { return false; }
      focusable(rows[Math.min(Math.max(index, 0), rows.length - 1)]).focus();
      return true;
    }
  };
})();
