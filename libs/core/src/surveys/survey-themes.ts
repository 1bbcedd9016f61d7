/**
 * Themes of free-text comments, by keywords (French and English). A comment counts once per theme
 * whose keyword starts one of its words, after lower-casing and removing accents: "attendu",
 * "attente" and "waiting" all give `waiting`. Deliberately simple and predictable: supervisors
 * see why a comment is counted, and the list below is the whole method.
 */
export const THEME_KEYWORDS: Record<string, string[]> = {
  waiting: ['attente', 'attendu', 'attendre', 'queue', 'file', 'wait', 'long', 'lent', 'slow'],
  welcome: ['accueil', 'aimable', 'poli', 'impoli', 'desagreable', 'agressi', 'mepris', 'rude', 'unfriendly', 'impolite', 'welcome', 'staff'],
  information: ['information', 'renseign', 'explication', 'expliqu', 'clair', 'compris', 'confus', 'unclear', 'explain', 'answer', 'reponse'],
  opening_hours: ['horaire', 'ferme', 'ouvert', 'hours', 'closed', 'opening'],
  premises: ['locaux', 'sale', 'propre', 'bruit', 'bruyant', 'chaise', 'place', 'toilette', 'dirty', 'noise', 'noisy', 'seat', 'room'],
  phone: ['telephon', 'appel', 'joindre', 'injoignable', 'phone', 'call', 'reach'],
  processing_time: ['delai', 'semaine', 'mois', 'retard', 'relance', 'delay', 'weeks', 'months', 'late'],
  documents: ['document', 'papier', 'formulaire', 'piece', 'dossier', 'paperwork', 'form'],
  accessibility: ['accessib', 'handicap', 'fauteuil', 'ascenseur', 'wheelchair', 'lift', 'elevator', 'access'],
  online: ['site web', 'internet', 'en ligne', 'appli', 'website', 'online', 'app'],
};

function normalise(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

export function themesOf(comment: string): string[] {
  const text = ` ${normalise(comment)}`;
  return Object.entries(THEME_KEYWORDS)
    .filter(([, keywords]) => keywords.some((keyword) => text.includes(` ${keyword}`)))
    .map(([theme]) => theme);
}

/** Themes ranked by the number of comments mentioning them, then by name. */
export function rankThemes(comments: string[]): { theme: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const comment of comments) for (const theme of themesOf(comment)) counts.set(theme, (counts.get(theme) ?? 0) + 1);
  return [...counts].map(([theme, count]) => ({ theme, count })).sort((a, b) => b.count - a.count || a.theme.localeCompare(b.theme));
}
