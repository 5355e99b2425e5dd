/** Offers data as a file download (in Electron, its native save dialog appears). */
export function downloadFile(fileName: string, data: Blob | string): void {
  const url =
    typeof data === 'string' && data.startsWith('data:') ? data : URL.createObjectURL(data instanceof Blob ? data : new Blob([data], { type: 'text/plain' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  if (url.startsWith('blob:')) setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export { safeFileName } from '../../shared/safeFileName';
