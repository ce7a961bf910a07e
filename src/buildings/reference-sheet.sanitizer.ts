import sanitizeHtml from 'sanitize-html';

/**
 * The reference sheet is rich text a dispatcher reads aloud: headings, lists, tables, links and
 * emphasis survive; scripts, styles, event handlers and foreign protocols do not.
 */
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'h1',
    'h2',
    'h3',
    'h4',
    'p',
    'br',
    'hr',
    'ul',
    'ol',
    'li',
    'b',
    'strong',
    'i',
    'em',
    'u',
    's',
    'a',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    'blockquote',
    'span',
    'div',
  ],
  allowedAttributes: { a: ['href', 'title'], td: ['colspan', 'rowspan'], th: ['colspan', 'rowspan'] },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer' }) },
  allowedSchemesAppliedToAttributes: ['href'],
  disallowedTagsMode: 'discard',
};

export const REFERENCE_SHEET_MAX_LENGTH = 100_000;

export function sanitizeReferenceSheet(html: string): string {
  return sanitizeHtml(html, {
    ...OPTIONS,
    allowedAttributes: { ...OPTIONS.allowedAttributes, a: ['href', 'title', 'rel'] },
  }).trim();
}
