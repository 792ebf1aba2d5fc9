/** "Did you mean": the known word nearest to one that was mistyped (a step phrase, an option, a command, a tag). */

/**
 * By edit distance over characters, case-insensitive, relative to the longer text: a slip
 * ("each hosts", "Windows Server 2019") is a few characters whatever the phrase's length. A
 * suggestion further than 40 % away misleads more than it helps, so none is offered then.
 */
export function closestPhrase(text: string, phrases: readonly string[]): string | undefined {
  const a = text.toLowerCase();
  let best: { phrase: string; distance: number } | undefined;
  for (const phrase of phrases) {
    const b = phrase.toLowerCase();
    const distance = editDistance(a, b);
    if (distance <= 0.4 * Math.max(a.length, b.length) && (best === undefined || distance < best.distance)) best = { phrase, distance };
  }
  return best?.phrase;
}

/**
 * The known word `word` is a slip of: the one it begins (`--inv` for `--inventory`), when it begins
 * only one, else the nearest by edit distance. A prefix several words share (`--no-`) names none.
 */
export function closestWord(word: string, known: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  const prefixed = known.filter((k) => k.toLowerCase().startsWith(lower) && k.length > word.length);
  if (prefixed.length === 1 && lower.replace(/^-+/, "").length >= 2) return prefixed[0];
  return closestPhrase(word, known);
}

/** Insertions, deletions, substitutions and swaps of two neighbours (`hihg`, `verfiy`): each one slip. */
function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, before[j - 2]! + 1);
    }
    before = prev;
    prev = row;
  }
  return prev[b.length]!;
}

/** `Did you mean X? ` when a known word is near `word`, else nothing: the head of an error's fix. */
export function didYouMean(word: string, known: readonly string[]): string {
  const near = closestWord(word, known);
  return near !== undefined && near !== word ? `Did you mean ${near}? ` : "";
}
