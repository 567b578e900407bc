// Opportunity validation: nothing when valid, else {field: message}.
// ECMAScript 5 only, so that Nashorn runs the very same text.
var errors = {};
var count = 0;
function fail(field, message) {
  errors[field] = message;
  count++;
}
var closed = record.stage === 'won' || record.stage === 'lost';

if (!closed && record.close_date && record.close_date < today) {
  fail('close_date', 'The close date ' + record.close_date + ' is in the past: move it, or mark the opportunity won or lost.');
}
if (record.amount == null || record.amount <= 0) {
  fail('amount', 'Enter an amount greater than 0.');
}
if (record.probability != null && (record.probability < 0 || record.probability > 100)) {
  fail('probability', 'The probability must be between 0 and 100, not ' + record.probability + '.');
}
if (record.stage === 'lost' && !record.loss_reason) {
  fail('loss_reason', 'Say why the opportunity was lost.');
}
return count > 0 ? errors : undefined;
