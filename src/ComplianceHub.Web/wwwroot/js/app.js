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
