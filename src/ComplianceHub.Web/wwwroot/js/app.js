// ComplianceHub's own browser helpers (script-src 'self': no inline scripts).
window.complianceHub = {
  // Saves a file streamed from the circuit (DotNetStreamReference) under the given name.
  downloadStream: async function (fileName, contentType, streamRef) {
    const buffer = await streamRef.arrayBuffer();
    const url = URL.createObjectURL(new Blob([buffer], { type: contentType }));
    const anchor = document.createElement('a');
    anchor.href = url;
    anchor.download = fileName;
    document.body.appendChild(anchor);
    anchor.click();
    anchor.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 30000);
  }
};

// The reader's time zone (an IANA name such as "America/New_York"), kept in a cookie the server reads when it renders the
// page: times are shown in the reader's zone, with UTC on hover (ReaderClock). Not a secret and not personal data beyond
// what the browser tells every site; refreshed on each page load so travel is followed.
(function () {
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone) {
      // Over HTTPS every cookie the portal reads is a __Host- cookie (HostCookiesMiddleware drops any other): Secure,
      // Path=/, no Domain. Over plain HTTP (the local demo) browsers refuse that prefix, so the plain name is used.
      var https = location.protocol === 'https:';
      document.cookie = (https ? '__Host-' : '') + 'ch_tz=' + encodeURIComponent(zone) + '; Path=/; Max-Age=31536000; SameSite=Lax' +
        (https ? '; Secure' : '');
    }
  } catch (e) { /* an old browser: times stay in UTC */ }
})();
