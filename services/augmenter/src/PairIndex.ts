/**
 * (company, title) → value, keyed company → title: two Map lookups on the strings the parser
 * already made, instead of building and hashing a joined key per lookup (which cost more than
 * the rest of the lookup). Nested maps also cannot collide: no separator is ever joined, so a
 * company or title holding any character (a tab, "\u0000", "|") stays a key of its own.
 */
export class PairIndex<V> {
  private byCompany = new Map<string, Map<string, V>>();
  private entries = 0;

  /** Pairs held. */
  get size(): number {
    return this.entries;
  }

  get(company: string, title: string): V | undefined {
    return this.byCompany.get(company)?.get(title);
  }

  has(company: string, title: string): boolean {
    return this.byCompany.get(company)?.has(title) ?? false;
  }

  set(company: string, title: string, value: V): void {
    let titles = this.byCompany.get(company);
    if (!titles) {
      titles = new Map();
      this.byCompany.set(company, titles);
    }
    if (!titles.has(title)) this.entries++;
    titles.set(title, value);
  }

  /** Removes the pair; false when it was not held. */
  delete(company: string, title: string): boolean {
    const titles = this.byCompany.get(company);
    if (!titles?.delete(title)) return false;
    if (titles.size === 0) this.byCompany.delete(company);
    this.entries--;
    return true;
  }

  clear(): void {
    this.byCompany = new Map();
    this.entries = 0;
  }
}
