/**
 * An unambiguous string identity of one exact (company, title) spelling, for in-process maps keyed
 * by a single string: `${company.length}:${company}${title}`. The length (in UTF-16 units) fixes
 * where the company ends, so two different pairs never share it — unlike a separator join, where
 * ("X\0Intern", "CEO") and ("X", "Intern\0CEO") meet. Not normalized and not hashed: the key of
 * a spelling, not of a cache entry (that is pairKey).
 */
export function spellingKey(company: string, title: string): string {
  return `${company.length}:${company}${title}`;
}
