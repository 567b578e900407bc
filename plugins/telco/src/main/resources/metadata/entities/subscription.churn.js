// Churn risk of a subscription: how likely is the customer to leave? From 0 (content) to 100 (leaving).
//
// Runs on every save of a subscription (rule 'churn_risk' in subscription.yaml); billing updates the usage trend
// and service the complaint count, so the score follows them. From 60 the process (subscription_order.yaml)
// moves the subscription to 'at_risk', which opens a retention task. The reasons are written in the language of
// the user who saves; the examples in subscription.yaml run on every load.

const TEXTS = {
  de: {usageFell: p => 'Datennutzung um ' + p + ' % gesunken', complaints: n => n + ' Beschwerden in 90 Tagen',
       complaint: 'Eine Beschwerde in 90 Tagen', termEnded: 'Mindestlaufzeit abgelaufen (monatlich kündbar)',
       termEnding: d => 'Mindestlaufzeit endet in ' + d + ' Tagen'},
  en: {usageFell: p => 'Data usage fell by ' + p + ' %', complaints: n => n + ' complaints in 90 days',
       complaint: 'One complaint in 90 days', termEnded: 'Minimum term ended (can cancel monthly)',
       termEnding: d => 'Minimum term ends in ' + d + ' days'}
};
const t = TEXTS[user.language] || TEXTS.en;

let score = 0;
const reasons = [];
function add(points, reason) {
  score += points;
  reasons.push({points, reason});
}

const trend = record.data_usage_trend;
if (trend != null && trend <= -30) {
  add(30, t.usageFell(Math.abs(trend)));
} else if (trend != null && trend <= -10) {
  add(15, t.usageFell(Math.abs(trend)));
}

const complaints = record.complaints_90d || 0;
if (complaints >= 3) {
  add(30, t.complaints(complaints));
} else if (complaints >= 1) {
  add(10 * complaints, complaints == 1 ? t.complaint : t.complaints(complaints));
}

const end = telco.termEnd(record.start_date, record.term_months);
if (end != null) {
  const days = daysBetween(today, end);
  if (days < 0) {
    add(30, t.termEnded);
  } else if (days <= 90) {
    add(20, t.termEnding(days));
  }
}

return {score: Math.min(score, 100), reasons};
