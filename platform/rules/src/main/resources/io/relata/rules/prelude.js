// Runs once in every rule Context before any rule script. It removes what a rule must not see, freezes
// every built-in object (so no rule can change what the next one sees) and returns a setup function that the
// engine calls once with its lookup and related callbacks; that gives the functions the engine calls each rule through.
// Rules never see host objects: record values arrive as primitives (or JSON text for lists) and are put into
// read-only record objects by generated "record makers" (ContextPool.Shape); the user and lookup results
// travel as JSON text. This source and the makers are internal sources: their statements do not
// count against a rule's statement limit.
(function () {
  'use strict';
  const parse = JSON.parse;
  const freeze = Object.freeze;
  const ownKeys = Reflect.ownKeys;
  const getPrototypeOf = Object.getPrototypeOf;
  const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
  const defineProperty = Object.defineProperty;
  const dateUtc = Date.UTC;
  const NativeDate = Date;
  const NativeTypeError = TypeError;
  const NativePromise = Promise;
  const NativeString = String;
  const NativeNumber = Number;
  const floor = Math.floor;
  const trunc = Math.trunc;
  const isFinite = Number.isFinite;
  const dayMillis = 86400000;
  const datePattern = /^(\d{4})-(\d{2})-(\d{2})/;

  // Non-standard and asynchronous globals (host access shims, shared memory, callbacks after GC) and binary
  // buffers (one call could allocate gigabytes; the community edition has no heap limit).
  const removed = ['ArrayBuffer', 'DataView', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array',
    'Uint16Array', 'Int32Array', 'Uint32Array', 'Float16Array', 'Float32Array', 'Float64Array', 'BigInt64Array',
    'BigUint64Array','Java', 'Packages', 'java', 'javax', 'javafx', 'com', 'org', 'edu', 'net', 'arguments',
    'Polyglot', 'Graal', 'print', 'printErr', 'console', 'load', 'loadWithNewGlobal', 'quit', 'exit', 'read',
    'readbuffer', 'readline', 'SharedArrayBuffer', 'Atomics', 'WeakRef', 'FinalizationRegistry'];
  for (let i = 0; i < removed.length; i++) {
    delete globalThis[removed[i]];
  }

  // Freezing a prototype makes "obj.toString = ..." fail on every object that inherits it (the "override
  // mistake"); these few common properties become accessors that define an own property instead.
  const tame = (target, key) => {
    const d = getOwnPropertyDescriptor(target, key);
    if (!d || !('value' in d)) {
      return;
    }
    const value = d.value;
    defineProperty(target, key, {
      get: function () { return value; },
      set: function (v) {
        if (this === target) {
          throw new NativeTypeError('Cannot assign to read only property \'' + NativeString(key) + '\'');
        }
        defineProperty(this, key, { value: v, writable: true, enumerable: true, configurable: true });
      },
      enumerable: d.enumerable,
      configurable: false
    });
  };
  ['toString', 'valueOf', 'constructor', 'toLocaleString', 'hasOwnProperty'].forEach(k => tame(Object.prototype, k));
  ['name', 'message', 'toString', 'constructor'].forEach(k => tame(Error.prototype, k));

  // One call of these could allocate a gigabyte before the deadline is checked: cap their results.
  const maxString = 16777216;
  const apply = Reflect.apply;
  const NativeRangeError = RangeError;
  const tooLong = () => new NativeRangeError('Invalid string length: a rule may build strings of up to '
    + maxString + ' characters');
  const nativeRepeat = String.prototype.repeat;
  const nativePadStart = String.prototype.padStart;
  const nativePadEnd = String.prototype.padEnd;
  defineProperty(String.prototype, 'repeat', { value: function repeat(count) {
    if (NativeString(this).length * NativeNumber(count) > maxString) {
      throw tooLong();
    }
    return apply(nativeRepeat, this, [count]);
  }, writable: true, enumerable: false, configurable: true });
  defineProperty(String.prototype, 'padStart', { value: function padStart(length, fill) {
    if (NativeNumber(length) > maxString) {
      throw tooLong();
    }
    return apply(nativePadStart, this, [length, fill]);
  }, writable: true, enumerable: false, configurable: true });
  defineProperty(String.prototype, 'padEnd', { value: function padEnd(length, fill) {
    if (NativeNumber(length) > maxString) {
      throw tooLong();
    }
    return apply(nativePadEnd, this, [length, fill]);
  }, writable: true, enumerable: false, configurable: true });

  const seen = new Set();
  const harden = o => {
    if (o === null || (typeof o !== 'object' && typeof o !== 'function') || seen.has(o)) {
      return;
    }
    seen.add(o);
    freeze(o);
    harden(getPrototypeOf(o));
    const keys = ownKeys(o);
    for (let i = 0; i < keys.length; i++) {
      const d = getOwnPropertyDescriptor(o, keys[i]);
      if ('value' in d) {
        harden(d.value);
      } else {
        harden(d.get);
        harden(d.set);
      }
    }
  };
  harden(globalThis);

  const deepFreeze = v => {
    if (v !== null && typeof v === 'object') {
      const keys = ownKeys(v);
      for (let i = 0; i < keys.length; i++) {
        deepFreeze(v[keys[i]]);
      }
      freeze(v);
    }
    return v;
  };
  const toJs = json => json === null || json === undefined ? null : deepFreeze(parse(json));

  // A record object for one record shape (its field names in order): frozen, with one enumerable, getter-only
  // accessor per field that reads the field's slot in `values` (assigning throws in strict mode and
  // Reflect.set returns false, as for a frozen data property). The record maker of the shape refills `values`
  // for every evaluation, so the object is made once per Context and shape instead of once per evaluation
  // (Object.freeze of a fresh object costs GraalJS ~70 ns per property). Rules cannot keep it from one
  // evaluation to the next (they cannot keep any state: see RuleScript.isWholeFunction), and `values` stays in
  // the maker. Object.keys, JSON.stringify, spreading and `in` see the fields as on a plain object.
  const view = names => {
    const values = [];
    const object = {};
    for (let i = 0; i < names.length; i++) {
      values.push(null);
      defineProperty(object, names[i], { get: freeze(() => values[i]), enumerable: true, configurable: false });
    }
    return freeze({ object: freeze(object), values });
  };

  const dayNumber = (s, what) => {
    const m = typeof s === 'string' ? datePattern.exec(s) : null;
    if (m === null) {
      throw new NativeTypeError(what + ' expects a date like \'2025-01-31\' but got ' + NativeString(s));
    }
    return floor(dateUtc(NativeNumber(m[1]), NativeNumber(m[2]) - 1, NativeNumber(m[3])) / dayMillis);
  };
  const addDays = freeze((date, days) => {
    if (typeof days !== 'number' || !isFinite(days)) {
      throw new NativeTypeError('addDays expects a number of days but got ' + NativeString(days));
    }
    return new NativeDate((dayNumber(date, 'addDays') + trunc(days)) * dayMillis).toISOString().substring(0, 10);
  });
  const daysBetween = freeze((from, to) => dayNumber(to, 'daysBetween') - dayNumber(from, 'daysBetween'));

  // decimal(x): exact decimal arithmetic for money (quote lines, totals, tax), on the host's BigDecimal
  // (Decimals.java) instead of binary floating point. A Decimal holds its value as decimal text; each operation
  // crosses to the host with texts and returns a new frozen Decimal. A computed or default rule may return one
  // (the field gets the exact value); valueOf gives a number, so that d > 100 still compares.
  let hostDecimal = null;
  const decimalText = (x, what) => {
    if (x instanceof Decimal) {
      return x.text;
    }
    if (typeof x === 'number' && isFinite(x)) {
      return NativeString(x); // the shortest text that is this number: 10.05 stays 10.05
    }
    if (typeof x === 'string') {
      return x;
    }
    throw new NativeTypeError(what + ' expects a number, a decimal text such as \'12.50\' or a decimal, not '
      + (x === null ? 'null' : x === undefined ? 'undefined' : typeof x === 'number' ? NativeString(x) : typeof x));
  };
  const decimalScale = (scale, what) => {
    if (typeof scale !== 'number' || !isFinite(scale) || trunc(scale) !== scale) {
      throw new NativeTypeError(what + ' expects a whole number of decimals, e.g. 2');
    }
    return scale;
  };
  const decimalCall = (op, a, b, scale, mode) => {
    if (mode !== undefined && typeof mode !== 'string') {
      throw new NativeTypeError('decimal.' + op + ": the rounding is 'half-up' or 'half-even'");
    }
    const answer = hostDecimal(op, a, b, scale, mode === undefined ? null : mode);
    if (answer.charAt(0) === 'E') {
      throw new NativeTypeError(answer.substring(1));
    }
    return answer.substring(1);
  };
  function Decimal(text) {
    defineProperty(this, 'text', { value: text, enumerable: false, writable: false, configurable: false });
    freeze(this);
  }
  const decimalMethods = {
    plus(x) { return new Decimal(decimalCall('plus', this.text, decimalText(x, 'plus'), 0)); },
    minus(x) { return new Decimal(decimalCall('minus', this.text, decimalText(x, 'minus'), 0)); },
    times(x) { return new Decimal(decimalCall('times', this.text, decimalText(x, 'times'), 0)); },
    div(x, scale, mode) {
      return new Decimal(decimalCall('div', this.text, decimalText(x, 'div'),
        scale === undefined ? 10 : decimalScale(scale, 'div'), mode));
    },
    round(scale, mode) {
      return new Decimal(decimalCall('round', this.text, null, scale === undefined ? 2 : decimalScale(scale, 'round'), mode));
    },
    cmp(x) { return NativeNumber(decimalCall('cmp', this.text, decimalText(x, 'cmp'), 0)); },
    eq(x) { return this.cmp(x) === 0; },
    lt(x) { return this.cmp(x) < 0; },
    lte(x) { return this.cmp(x) <= 0; },
    gt(x) { return this.cmp(x) > 0; },
    gte(x) { return this.cmp(x) >= 0; },
    toNumber() { return NativeNumber(this.text); },
    valueOf() { return NativeNumber(this.text); },
    toString() { return this.text; },
    toJSON() { return this.text; }
  };
  const decimalNames = ownKeys(decimalMethods);
  for (let i = 0; i < decimalNames.length; i++) {
    defineProperty(Decimal.prototype, decimalNames[i], { value: freeze(decimalMethods[decimalNames[i]]),
      enumerable: false, writable: false, configurable: false });
  }
  freeze(Decimal.prototype);
  freeze(Decimal);
  const decimal = freeze(x => new Decimal(decimalCall('of', decimalText(x, 'decimal'), null, 0)));

  // Warm-up: the first use of dates, number formatting, collation and regular expressions loads data
  // (time zones, ICU) that would otherwise count against the first rule's deadline.
  addDays('2025-01-31', 1);
  daysBetween('2025-01-31', '2025-02-01');
  [new NativeDate(0).getFullYear(), NativeString(new NativeDate(0)), new NativeDate(0).toLocaleDateString(),
    (1234.5).toFixed(2), (1234.5).toLocaleString(), 'a'.localeCompare('b'), 'Ab'.toUpperCase().toLowerCase(),
    /^[a-z]+@(\w+)$/i.test('a@b'), 'a,b'.split(','), JSON.stringify({ a: [1] }), parse('{"a":1}')];

  // What a validation returned, reduced for the engine in one step: null when valid; for the usual shapes a
  // string ('M' + message; 'L' then message + NUL per message of a list; 'F' then field + NUL + message + NUL
  // per entry of a {field: message} object); anything else (false, numbers, odd objects, non-string messages,
  // texts containing NUL) as it is, for the engine to read member by member and report.
  const ObjectPrototype = Object.prototype;
  const isArray = Array.isArray;
  const keysOf = Object.keys;
  const isSafeInteger = Number.isSafeInteger;
  const isPlain = o => {
    const proto = getPrototypeOf(o);
    return (proto === ObjectPrototype || proto === null) && !isArray(o);
  };
  const notPromise = result => {
    if (result instanceof NativePromise) {
      throw new NativeTypeError('a rule must return its result, not a Promise (async functions are not supported)');
    }
    return result;
  };
  const errorsOf = result => {
    if (result === undefined || result === null || result === true) {
      return null;
    }
    if (typeof result === 'string') {
      return 'M' + result;
    }
    if (typeof result !== 'object') {
      return result;
    }
    if (isArray(result)) {
      let out = 'L';
      for (let i = 0; i < result.length; i++) {
        const message = result[i];
        if (message === undefined || message === null) {
          continue;
        }
        if (typeof message !== 'string' || message.indexOf('\u0000') >= 0) {
          return result;
        }
        out += message + '\u0000';
      }
      return out;
    }
    if (!isPlain(result)) {
      return notPromise(result);
    }
    const keys = keysOf(result);
    let out = 'F';
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const message = result[key];
      if (message === undefined || message === null || message === true) {
        continue;
      }
      if (typeof message !== 'string' || message.indexOf('\u0000') >= 0 || key.indexOf('\u0000') >= 0) {
        return result;
      }
      out += key + '\u0000' + message + '\u0000';
    }
    return out;
  };

  // What a score returned, reduced likewise: a number as it is; {score, reasons} with a number score and
  // reasons that are texts or {points: safe integer, reason: text} as 'S' + score + '\0' + ('1' if there are
  // reasons, else '0') + the reason lines joined by '\n' ('+20 Company given'); a string (wrong) as 'R' + it;
  // anything else as it is.
  const scoreOf = result => {
    if (typeof result === 'string') {
      return 'R' + result;
    }
    if (typeof result !== 'object' || result === null) {
      return result;
    }
    if (!isPlain(result)) {
      return notPromise(result);
    }
    const score = result.score;
    if (typeof score !== 'number') {
      return result;
    }
    const reasons = result.reasons;
    let lines = '';
    let count = 0;
    if (reasons !== undefined && reasons !== null) {
      if (!isArray(reasons)) {
        return result;
      }
      for (let i = 0; i < reasons.length; i++) {
        const reason = reasons[i];
        let line;
        if (typeof reason === 'string') {
          line = reason;
        } else if (typeof reason === 'object' && reason !== null && isPlain(reason)) {
          const points = reason.points;
          const text = reason.reason;
          if (typeof points !== 'number' || !isSafeInteger(points) || typeof text !== 'string') {
            return result;
          }
          line = (points >= 0 ? '+' : '') + points + ' ' + text;
        } else {
          return result;
        }
        lines = count === 0 ? line : lines + '\n' + line;
        count++;
      }
    }
    return 'S' + score + '\u0000' + (count > 0 ? '1' : '0') + lines;
  };

  // The engine calls this once per Context with its lookup and related callbacks. It calls every rule through
  // exec: rule(record, previous, user, today, lookup, addDays, daysBetween, related), the result reduced by kind (0: as it
  // is, for computed and default rules, a decimal as its text; 1: validation; 2: score; 3: condition, truthiness). The first rule of an
  // evaluation gets its record from a record maker (which calls exec with it), later ones pass null for "the
  // record of this evaluation", kept here where no rule can reach it.
  // related.count/exists/sum/min/max/first: the question crosses as primitives (the filter flattened to
  // [field, operator, value, ...] with operator '=' for equality, else lt, lte, gt, gte, not or orEmpty; the order
  // of first as an array of field names); the answer as JSON text, or 'E' + message when the host refuses it.
  const comparisons = { lt: true, lte: true, gt: true, gte: true, not: true, orEmpty: true };
  const filterValue = (what, key, v) => {
    const t = typeof v;
    if (v !== null && v !== undefined && t !== 'string' && t !== 'boolean' && !(t === 'number' && isFinite(v))) {
      throw new NativeTypeError('related.' + what + ': the filter value of ' + key
        + ' must be a text, number, true/false or null, or {lt, lte, gt, gte, not: value, orEmpty: true}');
    }
    return v === undefined ? null : v;
  };
  const askRelated = (hostRelated, what, entity, field, filter, order) => {
    if (typeof entity !== 'string') {
      throw new NativeTypeError('related.' + what + ' expects an entity name as its first argument, e.g. related.'
        + what + "('activity', {account: record.account})");
    }
    if (what !== 'count' && what !== 'exists' && what !== 'first' && typeof field !== 'string') {
      throw new NativeTypeError('related.' + what + ' expects a field name as its second argument, e.g. related.'
        + what + "('" + entity + "', 'amount', {account: record.account})");
    }
    const triples = [];
    if (filter !== undefined && filter !== null) {
      if (typeof filter !== 'object' || !isPlain(filter)) {
        throw new NativeTypeError('related.' + what + ' expects its filter as an object {field: value}');
      }
      const keys = keysOf(filter);
      for (let i = 0; i < keys.length; i++) {
        const v = filter[keys[i]];
        if (typeof v === 'object' && v !== null && isPlain(v)) {
          const ops = keysOf(v);
          if (ops.length === 0) {
            throw new NativeTypeError('related.' + what + ': the filter of ' + keys[i] + ' is empty; write e.g. {gte: 10}');
          }
          for (let j = 0; j < ops.length; j++) {
            const op = ops[j];
            if (comparisons[op] !== true) {
              throw new NativeTypeError('related.' + what + ': ' + keys[i] + ' has the comparison ' + op
                + '; use lt, lte, gt, gte, not or orEmpty: true');
            }
            if (op === 'orEmpty' && typeof v[op] !== 'boolean') {
              throw new NativeTypeError('related.' + what + ': orEmpty of ' + keys[i] + ' is true or false');
            }
            triples.push(keys[i], op, filterValue(what, keys[i], v[op]));
          }
        } else {
          triples.push(keys[i], '=', filterValue(what, keys[i], v));
        }
      }
    }
    const orderBy = [];
    if (order !== undefined && order !== null) {
      const names = isArray(order) ? order : [order];
      for (let i = 0; i < names.length; i++) {
        if (typeof names[i] !== 'string') {
          throw new NativeTypeError('related.first orders by field names, e.g. \'-valid_from\' (descending) or'
            + ' [\'name\', \'-amount\']');
        }
        orderBy.push(names[i]);
      }
    }
    const answer = hostRelated(what === 'exists' ? 'count' : what, entity, field === undefined ? null : field, triples,
      orderBy);
    if (typeof answer === 'string' && answer.charAt(0) === 'E') {
      throw new NativeTypeError(answer.substring(1));
    }
    const value = toJs(answer);
    return what === 'exists' ? value > 0 : value;
  };

  // A namespace of host functions (a plugin's rule functions, e.g. insurance.premium): each function passes its
  // arguments to the host, which converts them to plain values and answers with JSON text, or 'E' + message.
  const namespace = (hostFunction, name, functionNamesJson) => {
    const names = parse(functionNamesJson);
    const out = {};
    for (let i = 0; i < names.length; i++) {
      const fn = names[i];
      out[fn] = freeze(function () {
        const args = [];
        for (let j = 0; j < arguments.length; j++) {
          args.push(arguments[j]);
        }
        const answer = hostFunction(name, fn, args);
        if (typeof answer === 'string' && answer.charAt(0) === 'E') {
          throw new NativeTypeError(answer.substring(1));
        }
        return toJs(answer);
      });
    }
    return freeze(out);
  };

  return freeze((hostLookup, hostRelated, hostFunction, hostDecimalOp) => {
    hostDecimal = hostDecimalOp;
    const lookup = freeze((entity, id) => toJs(hostLookup(NativeString(entity), NativeNumber(id))));
    const related = {
      count: freeze((entity, filter) => askRelated(hostRelated, 'count', entity, null, filter)),
      exists: freeze((entity, filter) => askRelated(hostRelated, 'exists', entity, null, filter)),
      sum: freeze((entity, field, filter) => askRelated(hostRelated, 'sum', entity, field, filter)),
      min: freeze((entity, field, filter) => askRelated(hostRelated, 'min', entity, field, filter)),
      max: freeze((entity, field, filter) => askRelated(hostRelated, 'max', entity, field, filter)),
      first: freeze((entity, filter, orderBy) => askRelated(hostRelated, 'first', entity, null, filter, orderBy))
    };
    // related.id: the id of the stored record the rule runs on (null for a new one)
    defineProperty(related, 'id', { get: freeze(() => toJs(hostRelated('id'))), enumerable: true, configurable: false });
    freeze(related);
    let current = null;
    const exec = (kind, rule, record, previous, user, today) => {
      if (record === null) {
        record = current;
      } else {
        current = record;
      }
      const result = rule(record, previous, user, today, lookup, addDays, daysBetween, related, decimal);
      switch (kind) {
        case 1: return errorsOf(result);
        case 2: return scoreOf(result);
        case 3: return typeof result === 'object' && result !== null ? !!notPromise(result) : !!result;
        default: return typeof result === 'object' && result !== null
          ? (result instanceof Decimal ? result.text : notPromise(result)) : result;
      }
    };
    return freeze({ exec, toJs, view, text: s => NativeString(s),
      namespace: (name, functionNamesJson) => namespace(hostFunction, name, functionNamesJson) });
  });
})()
