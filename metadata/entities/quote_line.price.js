// The list price of a quote line (metadata/entities/quote_line.yaml): the unit price of the line's product from
// the price list that applies to the quote, in the volume tier of the line's quantity.
//
// A price list applies when it is active, in the quote's currency and valid on the quote's date (valid_until
// empty: open-ended). The customer's own price list (its account is the quote's account) wins over the standard
// lists (without account) for the products it prices; among several, the one that started last. Within a list the
// tier is the item with the largest "from quantity" not above the line's quantity.
if (record.product == null || record.quote == null) return null;
const quote = lookup('quote', record.quote);
if (quote == null) return null;
const on = quote.quote_date ?? today;
const quantity = record.quantity ?? 1;

const priceIn = (account) => {
  const list = related.first('price_list', {account: account, currency: quote.currency, active: true,
      valid_from: {lte: on}, valid_until: {gte: on, orEmpty: true}}, '-valid_from');
  if (list == null) return null;
  const tier = related.first('price_list_item', {price_list: list.id, product: record.product,
      min_quantity: {lte: quantity}}, '-min_quantity');
  return tier == null ? null : tier.unit_price;
};

const own = quote.account == null ? null : priceIn(quote.account);
return own ?? priceIn(null);
