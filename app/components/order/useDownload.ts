// Downloads a file the app serves (packing slip, order export). Fetched rather than linked: the
// app's own fetch carries the session token, a plain link would arrive without one.
import { useState } from "react";

export function useDownload(failed: (status: number) => string) {
  const [loading, setLoading] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const download = async (path: string, filename: string) => {
    setLoading(path);
    setError(null);
    try {
      const response = await fetch(path);
      if (!response.ok) throw new Error((await response.text()) || failed(response.status));
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement("a");
      link.href = url;
      link.download = filename;
      document.body.appendChild(link);
      link.click();
      link.remove();
      // Give the browser a moment to start the download before the blob goes away.
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setLoading(null);
    }
  };
  return { download, loading, error };
}
