import { ApiError } from '../../api/client';
import { session } from '../../api/session';

/** Saves an API CSV export as a file (the JSON client cannot carry a text body). */
export async function downloadCsv(path: string, query: Record<string, string | undefined>, filename: string): Promise<void> {
  const params = new URLSearchParams(Object.entries(query).filter((entry): entry is [string, string] => !!entry[1]));
  const token = session.accessToken();
  const response = await fetch(`/api/v1${path}?${params.toString()}`, {
    headers: { accept: 'text/csv', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  if (!response.ok) throw new ApiError({ ...((await response.json().catch(() => ({}))) as object), status: response.status });
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}
