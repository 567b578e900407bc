// Lead score: how promising is an enquiry? From 0 (cold) to 100 (hot).
//
// Runs on every save of a lead (rule 'lead_score' in lead.yaml). The score goes into the field 'score',
// the reasons into 'score_reasons', one per line with their points, e.g. "+20 Source: trade fair".
// What a script can use (record, previous, user, today, addDays, daysBetween, lookup) is described in
// docs/rules.md. The examples in lead.yaml run on every metadata load: adjust them when you change points.

// Mail providers for private addresses: such an address says nothing about a company behind the enquiry.
const FREEMAIL_DOMAINS = [
  'gmail.com', 'googlemail.com', 'yahoo.com', 'yahoo.de', 'hotmail.com', 'hotmail.de', 'outlook.com',
  'outlook.de', 'live.com', 'icloud.com', 'me.com', 'aol.com', 'proton.me', 'protonmail.com',
  'web.de', 'gmx.de', 'gmx.net', 'gmx.at', 'gmx.ch', 't-online.de', 'freenet.de', 'posteo.de', 'mail.de'
];

// How much the way a lead reached us says about real interest. Option values of the field 'source'.
const SOURCE_POINTS = {
  trade_fair: 20,  // we talked to them in person
  referral: 20,    // a customer vouches for them
  web: 10,         // they filled in the contact form themselves
  api: 5,          // came in through a partner system
  import: 0        // bought or old address lists
};

// Words in the description that show a concrete project (German and English).
const BUDGET_WORDS = /budget|etat/i;
const URGENT_WORDS = /urgent|dringend|asap|sofort|kurzfristig/i;

// The reasons are written in the language of the user who saves (user.language: 'de' or 'en'); the field
// keeps them as they were written, like a note.
const TEXTS = {
  de: {company: 'Firma angegeben', freemail: 'Freemail-Adresse', businessMail: 'Geschäftliche E-Mail-Adresse',
       phone: 'Telefonnummer angegeben', source: 'Quelle', budget: 'Budget erwähnt', urgent: 'Dringend',
       contacted: 'Bereits kontaktiert', qualified: 'Qualifiziert',
       sources: {trade_fair: 'Messe', referral: 'Empfehlung', web: 'Web', api: 'API', import: 'Import'}},
  en: {company: 'Company given', freemail: 'Freemail address', businessMail: 'Business e-mail address',
       phone: 'Phone number given', source: 'Source', budget: 'Budget mentioned', urgent: 'Urgent',
       contacted: 'Already contacted', qualified: 'Qualified',
       sources: {trade_fair: 'trade fair', referral: 'referral', web: 'web', api: 'api', import: 'import'}}
};
const t = TEXTS[user.language] || TEXTS.en;

const reasons = [];

function award(points, reason) {
  reasons.push({points: points, reason: reason});
}

if (record.company && record.company.trim() !== '') {
  award(15, t.company);
}

if (record.email) {
  const domain = record.email.substring(record.email.lastIndexOf('@') + 1).toLowerCase();
  if (FREEMAIL_DOMAINS.includes(domain)) {
    award(-5, t.freemail + ' (' + domain + ')');
  } else {
    award(15, t.businessMail);
  }
}

if (record.phone) {
  award(10, t.phone);
}

const sourcePoints = SOURCE_POINTS[record.source] || 0;
if (sourcePoints > 0) {
  award(sourcePoints, t.source + ': ' + t.sources[record.source]);
}

const description = record.description || '';
if (BUDGET_WORDS.test(description)) {
  award(15, t.budget);
}
if (URGENT_WORDS.test(description)) {
  award(10, t.urgent);
}

if (record.status === 'contacted') {
  award(5, t.contacted);
} else if (record.status === 'qualified') {
  award(15, t.qualified);
}

// The sum, kept between 0 and 100 (a freemail address alone must not make a score negative).
const total = reasons.reduce((sum, r) => sum + r.points, 0);
return {score: Math.max(0, Math.min(100, total)), reasons: reasons};
