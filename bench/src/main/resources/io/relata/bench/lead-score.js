// Lead score: 0..100 points with the reasons, e.g. {score: 60, reasons: [{points: 20, reason: 'Company given'}]}.
// ECMAScript 5 only, so that Nashorn runs the very same text.
var score = 0;
var reasons = [];
function add(points, reason) {
  score += points;
  reasons.push({ points: points, reason: reason });
}
var freemail = ['gmail.com', 'googlemail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'live.com',
  'icloud.com', 'aol.com', 'gmx.de', 'gmx.net', 'web.de', 't-online.de'];

if (record.company) {
  add(20, 'Company given');
}
if (record.email) {
  var domain = record.email.substring(record.email.lastIndexOf('@') + 1).toLowerCase();
  if (freemail.indexOf(domain) >= 0) {
    add(5, 'Free-mail address');
  } else {
    add(15, 'Business e-mail domain (' + domain + ')');
  }
}
if (record.phone) {
  add(10, 'Phone given');
}
if (record.source === 'trade_fair' || record.source === 'referral') {
  add(25, 'Source: ' + record.source);
} else if (record.source === 'web') {
  add(10, 'Source: web');
}
if (record.description && /\b(budget|urgent|asap)\b/i.test(record.description)) {
  add(15, 'Mentions budget or urgency');
}
if (record.status === 'qualified') {
  add(20, 'Qualified');
} else if (record.status === 'unqualified') {
  add(-30, 'Marked unqualified');
}
return { score: Math.max(0, Math.min(100, score)), reasons: reasons };
