// The label that ties sample-quality numbers to the proxy and N they were computed with. Shared by
// the proxy worker, which stamps evaluations, and the page, which groups them.

/** A stable label of one proxy + N: evaluations with different labels are not comparable. */
export function referenceKeyOf(proxyKey: string, n: number): string {
  return `${proxyKey}|N=${n}`;
}
