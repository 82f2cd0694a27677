/** Hands the browser a BPMN file to save, as a download named `fileName`. */
export function downloadXml(xml: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([xml], { type: 'application/xml' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // The click has handed the blob over; the address can go once the browser has started the download.
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
