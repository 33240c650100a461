// Keyboard work in the queues (issue 21; docs/guides/keyboard-and-bulk-actions.md). In a container marked data-queue, each row holds one
// element marked data-queue-row (its selection checkbox): with the focus there, ArrowDown/j and ArrowUp/k move between rows,
// Home/End go to the first and last, Space selects (the checkbox itself), and a letter presses the row's control marked
// data-queue-key="<letter>" (Enter presses the one marked "Enter": open). Nothing happens while typing in a field.
(function () {
  function focusable(row) {
    return row.querySelector('input, button, [tabindex]') || row;
  }
  function allRowsOf(container) {
    return Array.from(container.querySelectorAll('[data-queue-row]'));
  }
  // A row that cannot be acted on (its checkbox disabled: your own request, a finding already answered, a hit already decided)
  // cannot take the focus, so moving skips it rather than stopping there.
  function rowsOf(container) {
    return allRowsOf(container).filter(function (row) {
      return !focusable(row).disabled;
    });
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
    if (i < 0) {
      return;
    }
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
      if (clickable.getAttribute('aria-haspopup') === 'menu') {
        focusMenuOf(clickable);
      }
    }
  });
  // A control that opens a menu (the findings' W) opens it in a popover outside the row, once the server has answered: the focus
  // goes to its first item, so that the arrows move in the menu, Enter chooses and Escape closes it (the menu's own keys).
  function focusMenuOf(button) {
    function firstItem() {
      var menu = document.getElementById(button.getAttribute('aria-controls') || '');
      return menu && menu.querySelector('[role=menuitem]:not([aria-disabled=true])');
    }
    var item = firstItem();
    if (item) {
      item.focus();
      return;
    }
    var observer = new MutationObserver(function () {
      var found = firstItem();
      if (found) {
        observer.disconnect();
        found.focus();
      }
    });
    observer.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['aria-controls', 'class'] });
    setTimeout(function () { observer.disconnect(); }, 10000);
  }
  // After a decision the page asks for the row now at the same place (the next item) to take the focus.
  window.complianceHubQueue = {
    focusRow: function (selector, index) {
      var container = document.querySelector(selector);
      if (!container) { return false; }
      // The index counts every row of the page (the page knows its items, not which can take the focus): the row there, or
      // the nearest after it that can be acted on, or else the nearest before it.
      var all = allRowsOf(container);
      var at = Math.min(Math.max(index, 0), all.length - 1);
      var enabled = rowsOf(container);
      var target = enabled.find(function (row) { return all.indexOf(row) >= at; }) || enabled[enabled.length - 1];
      if (!target) { return false; }
      focusable(target).focus();
      return true;
    }
  };
})();
