// How the benchmark tables print their figures. Peak RSS comes from
// process.resourceUsage().maxRSS, in KiB, which the runners report as
// `maxRssMB` = KiB / 1024, i.e. MiB; files are sized in decimal MB. Both are
// printed here in decimal units (1 MB = 10^6 bytes, 1 GB = 10^9), so a peak
// reads against a file size and against a target in GB as they are.

export const seconds = (ms) => (ms >= 10000 ? `${(ms / 1000).toFixed(0)} s` : `${(ms / 1000).toFixed(2)} s`);

const bytesOfMiB = (mib) => mib * 2 ** 20;

/** A runner's `maxRssMB` (MiB) in decimal MB or GB. */
export function peakRss(mib) {
  const bytes = bytesOfMiB(mib);
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(0)} MB`;
}

/** A runner's `maxRssMB` (MiB) as a multiple of a file of `fileBytes`. */
export function timesFile(mib, fileBytes) {
  return `${(bytesOfMiB(mib) / fileBytes).toFixed(2)}× file`;
}
